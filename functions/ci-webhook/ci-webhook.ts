import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { CiEvent } from '#shared/domain/ci-events.ts';
import { BadRequestError, NotFoundError, UnauthorizedError } from '#shared/errors.ts';
import {
  changeOfPullRequest,
  deploymentOfStatus,
  runOfWorkflowRun,
} from '#shared/github/github-ci-events.ts';
import {
  GITHUB_FOLLOWED_EVENTS,
  type GitHubFollowedEvent,
  isFollowedGitHubEvent,
} from '#shared/github/github-webhook.ts';
import { changeOfMergeRequest, deploymentOfHook, runOfPipeline } from '#shared/gitlab/gitlab-ci-events.ts';
import {
  GITLAB_FOLLOWED_EVENTS,
  type GitLabFollowedEvent,
  isFollowedGitLabEvent,
} from '#shared/gitlab/gitlab-webhook.ts';
import {
  formatPath,
  type HttpResult,
  header,
  httpErrors,
  json,
  parseJsonBody,
  rawBody,
} from '#shared/lambda/http.ts';
import { isValidSharedSecret, type WebhookSecrets } from '#shared/lambda/webhook-signature.ts';
import type { CiDeliveries, Log } from '#shared/ports.ts';
import { type CiEventDeps, type CiOutcome, handleCiEvent } from '#shared/use-cases/handle-ci-event.ts';
import { isGitHubSignatureValid } from './github-signature.ts';

export interface CiWebhookDeps extends CiEventDeps {
  readonly deliveries: CiDeliveries;
  /** GitHub's webhook secret, GitLab's token (current and previous); null turns checking off locally. */
  readonly secrets: () => Promise<WebhookSecrets | null>;
  readonly nowMs: () => number;
  readonly log: Log;
}

/** A followed delivery, authenticated and parsed: its id and what it says (null: nothing to act on). */
interface Delivery {
  readonly source: 'github' | 'gitlab';
  readonly deliveryId: string;
  readonly event: CiEvent | null;
}

function parsed<Schema extends z.ZodMiniType>(body: unknown, schema: Schema, what: string): z.infer<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  throw new BadRequestError(`the body is not ${what}: ${problems.map((p) => p.path).join(', ')}`, problems);
}

function requiredHeader(event: APIGatewayProxyEventV2, name: string): string {
  const value = header(event, name)?.trim();
  if (!value)
    throw new BadRequestError(`the ${name} header is missing`, [{ path: name, message: 'required' }]);
  return value;
}

async function readGitHub(
  event: APIGatewayProxyEventV2,
  secrets: WebhookSecrets | null,
): Promise<Delivery | { ignored: string }> {
  const body = rawBody(event);
  if (
    secrets !== null &&
    !(await isGitHubSignatureValid(body, header(event, 'x-hub-signature-256'), secrets))
  )
    throw new UnauthorizedError();
  const name = requiredHeader(event, 'X-GitHub-Event');
  if (!isFollowedGitHubEvent(name))
    return { ignored: name === 'ping' ? 'ping' : `${name} events are not followed` };
  const deliveryId = requiredHeader(event, 'X-GitHub-Delivery');
  const json = parseJsonBody(body);
  const what = `a GitHub ${name} event`;
  return { source: 'github', deliveryId, event: gitHubEventOf(name, json, what) };
}

/** The followed GitHub event as the CI rules read it: a run, a deployment, or a change. */
function gitHubEventOf(name: GitHubFollowedEvent, json: unknown, what: string): Delivery['event'] {
  switch (name) {
    case 'workflow_run':
      return runOfWorkflowRun(parsed(json, GITHUB_FOLLOWED_EVENTS[name], what));
    case 'deployment_status':
      return deploymentOfStatus(parsed(json, GITHUB_FOLLOWED_EVENTS[name], what));
    case 'pull_request':
      return changeOfPullRequest(parsed(json, GITHUB_FOLLOWED_EVENTS[name], what));
    default:
      return name satisfies never;
  }
}

async function readGitLab(
  event: APIGatewayProxyEventV2,
  secrets: WebhookSecrets | null,
): Promise<Delivery | { ignored: string }> {
  const body = rawBody(event);
  // The token is compared in constant time (both sides hashed first), each secret tried.
  if (secrets !== null && !isValidSharedSecret(header(event, 'x-gitlab-token'), secrets))
    throw new UnauthorizedError('missing or invalid X-Gitlab-Token');
  const name = requiredHeader(event, 'X-Gitlab-Event');
  if (!isFollowedGitLabEvent(name)) return { ignored: `${name} events are not followed` };
  const deliveryId = requiredHeader(event, 'X-Gitlab-Event-UUID');
  const json = parseJsonBody(body);
  const what = `a GitLab ${name}`;
  return { source: 'gitlab', deliveryId, event: gitLabEventOf(name, json, what) };
}

/** The followed GitLab hook as the CI rules read it: a run, a deployment, or a change. */
function gitLabEventOf(name: GitLabFollowedEvent, json: unknown, what: string): Delivery['event'] {
  switch (name) {
    case 'Pipeline Hook':
      return runOfPipeline(parsed(json, GITLAB_FOLLOWED_EVENTS[name], what));
    case 'Deployment Hook':
      return deploymentOfHook(parsed(json, GITLAB_FOLLOWED_EVENTS[name], what));
    case 'Merge Request Hook':
      return changeOfMergeRequest(parsed(json, GITLAB_FOLLOWED_EVENTS[name], what));
    default:
      return name satisfies never;
  }
}

const STATUS_OF: Record<CiOutcome['kind'], number> = {
  'premortem-opened': 202,
  'premortem-commented': 202,
  'green-again': 202,
  'incident-opened': 202,
  'deployment-recorded': 202,
  'fix-linked': 202,
  ignored: 200,
};

/**
 * POST /webhooks/github (and /webhooks/gitlab): authenticate (401 before anything is read), answer
 * events not followed as ignored, skip a delivery already handled, parse (400 naming the field), act.
 * A delivery is marked handled only once acted on: every step is idempotent, so a retry after a crash
 * finishes the work instead of losing it.
 */
export function makeCiWebhookHandler(deps: CiWebhookDeps) {
  return middy<APIGatewayProxyEventV2, HttpResult>(
    async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
      const secrets = await deps.secrets();
      const read = event.rawPath.endsWith('/github')
        ? await readGitHub(event, secrets)
        : event.rawPath.endsWith('/gitlab')
          ? await readGitLab(event, secrets)
          : null;
      if (read === null) throw new NotFoundError(`no CI webhook at ${event.rawPath}`);
      if ('ignored' in read) return json(200, { ignored: read.ignored });
      if (await deps.deliveries.isHandled(read.source, read.deliveryId))
        return json(200, { duplicate: true, delivery: read.deliveryId });
      const outcome: CiOutcome =
        read.event === null
          ? { kind: 'ignored', reason: 'a run that has not completed' }
          : await handleCiEvent(read.event, deps);
      await deps.deliveries.markHandled(read.source, read.deliveryId, deps.nowMs());
      if (outcome.kind === 'ignored')
        return json(200, { ignored: outcome.reason, delivery: read.deliveryId });
      return json(STATUS_OF[outcome.kind], { ...outcome, delivery: read.deliveryId });
    },
  ).use(httpErrors(deps.log));
}
