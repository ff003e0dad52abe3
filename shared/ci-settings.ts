import * as z from 'zod/mini';
import './domain/zod-english.ts';

const nonEmpty = z.string().check(z.minLength(1));
const label = z.string().check(z.regex(/^\S+$/, 'a label without spaces'));

/**
 * What CI/CD webhooks (GitHub, GitLab) do: which runs are watched, what a premortem ticket is, which
 * workflows and environments are production. Apart from settings.ts so the CI webhook's bundle holds no other schema.
 */
export const ciSchema = z.strictObject({
  /** The Jira project of premortem tickets and of the incidents a failed deploy opens. */
  projectKey: z.optional(z.string().check(z.regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key such as OPS'))),
  /** Workflows (GitHub) or pipelines (GitLab, by name or "pipeline") watched; empty: every one. */
  workflows: z._default(z.array(nonEmpty), []),
  /** Branches watched; empty: the repository's default branch. */
  branches: z._default(z.array(nonEmpty), []),
  /** The issue type of premortem tickets. */
  issueType: z._default(nonEmpty, 'Bug'),
  labels: z._default(z.array(label), ['ci-failure']),
  /** Move the premortem ticket to `doneStatus` when its workflow is green again. */
  closeWhenGreen: z._default(z.boolean(), false),
  doneStatus: z._default(nonEmpty, 'Done'),
  /** Workflows that deploy to production: their failure is a change failure, an incident, not a premortem. */
  productionWorkflows: z._default(z.array(nonEmpty), []),
  /** Deployment environments that are production (compared without case). */
  productionEnvironments: z._default(z.array(nonEmpty), ['production']),
});
/** The `ci` settings, defaults applied. */
export type CiSettings = z.infer<typeof ciSchema>;
