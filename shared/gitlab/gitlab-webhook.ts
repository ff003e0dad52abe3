import * as z from 'zod/mini';
import '../domain/zod-english.ts';
import { gitlabTimeMs } from './gitlab-time.ts';

// Only the fields Incident Flow reads, as GitLab sends them (docs.gitlab.com, "Webhook events").
const gitlabTime = z
  .string()
  .check(
    z.refine((text) => !Number.isNaN(gitlabTimeMs(text)), 'a GitLab time such as 2017-12-10 17:01:11 UTC'),
  );

const project = z.object({
  name: z.string(),
  path_with_namespace: z.string(),
  web_url: z.string(),
  default_branch: z.optional(z.nullable(z.string())),
});

/** Pipeline Hook: sent at every status change of a pipeline; `object_attributes` is the pipeline. */
export const pipelineHookSchema = z.object({
  object_attributes: z.object({
    id: z.number(),
    name: z.optional(z.nullable(z.string())),
    ref: z.string(),
    tag: z.optional(z.boolean()),
    sha: z.string(),
    status: z.string(),
    created_at: gitlabTime,
    finished_at: z.optional(z.nullable(gitlabTime)),
    url: z.optional(z.string()),
  }),
  user: z.optional(z.nullable(z.object({ name: z.string() }))),
  project,
  commit: z.optional(
    z.nullable(
      z.object({
        message: z.string(),
        title: z.optional(z.string()),
        author: z.optional(z.nullable(z.object({ name: z.string() }))),
      }),
    ),
  ),
  builds: z.optional(
    z.nullable(z.array(z.object({ name: z.string(), stage: z.string(), status: z.string() }))),
  ),
});
/** A Pipeline Hook payload, as far as Incident Flow reads it. */
export type PipelineHook = z.infer<typeof pipelineHookSchema>;

/** Deployment Hook: a deployment's status changed; its fields sit at the top level. */
export const deploymentHookSchema = z.object({
  status: z.string(),
  status_changed_at: gitlabTime,
  deployment_id: z.number(),
  deployable_url: z.optional(z.nullable(z.string())),
  environment: z.string(),
  environment_tier: z.optional(z.nullable(z.string())),
  short_sha: z.string(),
  commit_url: z.optional(z.nullable(z.string())),
  ref: z.string(),
  project,
});
/** A Deployment Hook payload, as far as Incident Flow reads it. */
export type DeploymentHook = z.infer<typeof deploymentHookSchema>;

/** Merge Request Hook: opened, updated, merged…; `object_attributes` is the merge request. */
export const mergeRequestHookSchema = z.object({
  user: z.optional(z.nullable(z.object({ username: z.string() }))),
  project,
  object_attributes: z.object({
    id: z.number(),
    title: z.string(),
    description: z.optional(z.nullable(z.string())),
    source_branch: z.string(),
    url: z.string(),
    action: z.optional(z.string()),
    updated_at: gitlabTime,
  }),
});
/** A Merge Request Hook payload, as far as Incident Flow reads it. */
export type MergeRequestHook = z.infer<typeof mergeRequestHookSchema>;

/** The hooks Incident Flow follows, by the X-Gitlab-Event header; any other is answered as ignored. */
export const GITLAB_FOLLOWED_EVENTS = {
  'Pipeline Hook': pipelineHookSchema,
  'Deployment Hook': deploymentHookSchema,
  'Merge Request Hook': mergeRequestHookSchema,
} as const;
/** The X-Gitlab-Event of a hook Incident Flow follows. */
export type GitLabFollowedEvent = keyof typeof GITLAB_FOLLOWED_EVENTS;

/** True for an X-Gitlab-Event Incident Flow follows. */
export function isFollowedGitLabEvent(name: string): name is GitLabFollowedEvent {
  return Object.hasOwn(GITLAB_FOLLOWED_EVENTS, name);
}
