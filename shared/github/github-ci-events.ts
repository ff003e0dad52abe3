import type { CiEvent, RunOutcome } from '../domain/ci-events.ts';
import type { DeploymentStatusEvent, PullRequestEvent, WorkflowRunEvent } from './github-webhook.ts';

function outcomeOf(conclusion: string | null): RunOutcome {
  if (conclusion === 'failure' || conclusion === 'timed_out' || conclusion === 'startup_failure')
    return 'failure';
  return conclusion === 'success' ? 'success' : 'other';
}

/** A workflow_run event as a run; null unless it completed (requested and in_progress say nothing yet). */
export function runOfWorkflowRun(event: WorkflowRunEvent): CiEvent | null {
  const run = event.workflow_run;
  if (event.action !== 'completed' || run.head_branch === null) return null;
  return {
    kind: 'run',
    source: 'github',
    repository: event.repository.full_name,
    defaultBranch: event.repository.default_branch ?? null,
    workflow: run.name ?? 'workflow',
    branch: run.head_branch,
    runId: `${run.id}#${run.run_attempt ?? 1}`,
    outcome: outcomeOf(run.conclusion),
    sha: run.head_sha,
    commitTitle: run.head_commit?.message.split('\n')[0] ?? null,
    author: run.head_commit?.author?.name ?? run.actor?.login ?? null,
    url: run.html_url,
    failedJobs: [],
    finishedAtMs: Date.parse(run.updated_at),
  };
}

const DEPLOYMENT_OUTCOMES: Record<string, RunOutcome> = {
  success: 'success',
  failure: 'failure',
  error: 'failure',
};

/** A deployment_status event as a deployment's result. */
export function deploymentOfStatus(event: DeploymentStatusEvent): CiEvent {
  const status = event.deployment_status;
  return {
    kind: 'deployment',
    source: 'github',
    repository: event.repository.full_name,
    service: event.repository.name,
    deploymentId: `github:${event.repository.full_name}:${event.deployment.id}`,
    environment: status.environment,
    markedProduction: event.deployment.production_environment === true,
    outcome: DEPLOYMENT_OUTCOMES[status.state] ?? 'other',
    sha: event.deployment.sha,
    ref: event.deployment.ref,
    url: status.log_url || status.target_url || null,
    atMs: Date.parse(status.created_at),
  };
}

/** A pull_request event as a change: opened (or reopened), merged (closed with `merged`), or other. */
export function changeOfPullRequest(event: PullRequestEvent): CiEvent {
  const pr = event.pull_request;
  const merged = event.action === 'closed' && pr.merged === true;
  const opened = event.action === 'opened' || event.action === 'reopened';
  return {
    kind: 'change',
    source: 'github',
    repository: event.repository.full_name,
    changeId: `github:${event.repository.full_name}#${pr.id}`,
    action: merged ? 'merged' : opened ? 'opened' : 'other',
    title: pr.title,
    body: pr.body ?? '',
    branch: pr.head.ref,
    author: pr.user?.login ?? null,
    url: pr.html_url,
    atMs: Date.parse(merged && pr.merged_at !== null ? pr.merged_at : pr.updated_at),
  };
}
