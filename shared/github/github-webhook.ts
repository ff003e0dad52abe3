import * as z from 'zod/mini';
import '../domain/zod-english.ts';

// Only the fields Incident Flow reads, typed as GitHub sends them (test/unit/github-webhook.test.ts
// checks with the compiler that every payload @octokit/webhooks-types describes passes these schemas).
const isoTime = z
  .string()
  .check(
    z.refine((text) => !Number.isNaN(Date.parse(text)), 'an ISO 8601 time such as 2022-10-07T18:06:21Z'),
  );

const repository = z.object({
  full_name: z.string(),
  name: z.string(),
  default_branch: z.optional(z.string()),
});

/** `workflow_run`: a run was requested, is in progress, or completed (then `conclusion` says how). */
export const workflowRunEventSchema = z.object({
  action: z.string(),
  workflow_run: z.object({
    id: z.number(),
    name: z.nullable(z.string()),
    head_branch: z.nullable(z.string()),
    head_sha: z.string(),
    run_attempt: z.optional(z.number()),
    conclusion: z.nullable(z.string()),
    html_url: z.string(),
    updated_at: isoTime,
    head_commit: z.nullable(
      z.object({ message: z.string(), author: z.nullable(z.object({ name: z.string() })) }),
    ),
    actor: z.optional(z.nullable(z.object({ login: z.string() }))),
  }),
  repository,
});
/** A workflow_run payload, as far as Incident Flow reads it. */
export type WorkflowRunEvent = z.infer<typeof workflowRunEventSchema>;

/** `deployment_status`: a deployment's state changed. */
export const deploymentStatusEventSchema = z.object({
  action: z.string(),
  deployment_status: z.object({
    state: z.string(),
    environment: z.string(),
    created_at: isoTime,
    target_url: z.optional(z.nullable(z.string())),
    log_url: z.optional(z.nullable(z.string())),
  }),
  deployment: z.object({
    id: z.number(),
    sha: z.string(),
    ref: z.string(),
    production_environment: z.optional(z.nullable(z.boolean())),
  }),
  repository,
});
/** A deployment_status payload, as far as Incident Flow reads it. */
export type DeploymentStatusEvent = z.infer<typeof deploymentStatusEventSchema>;

/** `pull_request`: opened, edited, closed (a merge only when `pull_request.merged`)… */
export const pullRequestEventSchema = z.object({
  action: z.string(),
  pull_request: z.object({
    id: z.number(),
    html_url: z.string(),
    title: z.string(),
    body: z.nullable(z.string()),
    head: z.object({ ref: z.string() }),
    user: z.nullable(z.object({ login: z.string() })),
    merged: z.optional(z.nullable(z.boolean())),
    merged_at: z.nullable(isoTime),
    updated_at: isoTime,
  }),
  repository,
});
/** A pull_request payload, as far as Incident Flow reads it. */
export type PullRequestEvent = z.infer<typeof pullRequestEventSchema>;

/** The events Incident Flow follows, by the X-GitHub-Event header; any other is answered as ignored. */
export const GITHUB_FOLLOWED_EVENTS = {
  workflow_run: workflowRunEventSchema,
  deployment_status: deploymentStatusEventSchema,
  pull_request: pullRequestEventSchema,
} as const;
/** The name of an event Incident Flow follows. */
export type GitHubFollowedEvent = keyof typeof GITHUB_FOLLOWED_EVENTS;

/** True for an event name Incident Flow follows. */
export function isFollowedGitHubEvent(name: string): name is GitHubFollowedEvent {
  return Object.hasOwn(GITHUB_FOLLOWED_EVENTS, name);
}
