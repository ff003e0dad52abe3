import type {
  DeploymentStatusCreatedEvent,
  PullRequestEvent as OctokitPullRequestEvent,
  WorkflowRunEvent as OctokitWorkflowRunEvent,
} from '@octokit/webhooks-types';
import { describe, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import type {
  deploymentStatusEventSchema,
  pullRequestEventSchema,
  workflowRunEventSchema,
} from '#shared/github/github-webhook.ts';

// Checked by the compiler (tsc --noEmit runs on test/): a payload @octokit/webhooks-types describes is
// one our schemas take, so a field we read that GitHub may omit or null is a type error here.
describe('the GitHub webhook schemas', () => {
  it('take every workflow_run payload GitHub documents', () => {
    expectTypeOf<OctokitWorkflowRunEvent>().toExtend<z.input<typeof workflowRunEventSchema>>();
  });

  it('take every deployment_status payload GitHub documents', () => {
    expectTypeOf<DeploymentStatusCreatedEvent>().toExtend<z.input<typeof deploymentStatusEventSchema>>();
  });

  it('take every pull_request payload GitHub documents', () => {
    expectTypeOf<OctokitPullRequestEvent>().toExtend<z.input<typeof pullRequestEventSchema>>();
  });
});
