import type { CiEvent, RunOutcome } from '../domain/ci-events.ts';
import { gitlabTimeMs } from './gitlab-time.ts';
import type { DeploymentHook, MergeRequestHook, PipelineHook } from './gitlab-webhook.ts';

const FINISHED: Record<string, RunOutcome> = {
  failed: 'failure',
  success: 'success',
  canceled: 'other',
  skipped: 'other',
};

/** A Pipeline Hook as a run; null while the pipeline is not finished (pending, running…). */
export function runOfPipeline(hook: PipelineHook): CiEvent | null {
  const pipeline = hook.object_attributes;
  const outcome = FINISHED[pipeline.status];
  if (outcome === undefined) return null;
  return {
    kind: 'run',
    source: 'gitlab',
    repository: hook.project.path_with_namespace,
    defaultBranch: hook.project.default_branch ?? null,
    workflow: pipeline.name || 'pipeline',
    branch: pipeline.ref,
    // A retried job can turn the same pipeline from failed to success: each status is a result.
    runId: `${pipeline.id}:${pipeline.status}`,
    outcome,
    sha: pipeline.sha,
    commitTitle: hook.commit?.title ?? hook.commit?.message.split('\n')[0] ?? null,
    author: hook.commit?.author?.name ?? hook.user?.name ?? null,
    url: pipeline.url ?? `${hook.project.web_url}/-/pipelines/${pipeline.id}`,
    failedJobs: (hook.builds ?? [])
      .filter((build) => build.status === 'failed')
      .map((build) => `${build.stage}: ${build.name}`),
    finishedAtMs: gitlabTimeMs(pipeline.finished_at ?? pipeline.created_at),
  };
}

/** A Deployment Hook as a deployment's result. */
export function deploymentOfHook(hook: DeploymentHook): CiEvent {
  const fullSha = hook.commit_url?.split('/').at(-1);
  return {
    kind: 'deployment',
    source: 'gitlab',
    repository: hook.project.path_with_namespace,
    service: hook.project.name,
    deploymentId: `gitlab:${hook.project.path_with_namespace}:${hook.deployment_id}`,
    environment: hook.environment,
    markedProduction: hook.environment_tier === 'production',
    outcome: hook.status === 'success' ? 'success' : hook.status === 'failed' ? 'failure' : 'other',
    sha: fullSha?.startsWith(hook.short_sha) ? fullSha : hook.short_sha,
    ref: hook.ref,
    url: hook.deployable_url ?? null,
    atMs: gitlabTimeMs(hook.status_changed_at),
  };
}

/** A Merge Request Hook as a change: open or reopen is opened, merge is merged, the rest other. */
export function changeOfMergeRequest(hook: MergeRequestHook): CiEvent {
  const request = hook.object_attributes;
  const action = request.action ?? '';
  return {
    kind: 'change',
    source: 'gitlab',
    repository: hook.project.path_with_namespace,
    changeId: `gitlab:${hook.project.path_with_namespace}!${request.id}`,
    action: action === 'merge' ? 'merged' : action === 'open' || action === 'reopen' ? 'opened' : 'other',
    title: request.title,
    body: request.description ?? '',
    branch: request.source_branch,
    author: hook.user?.username ?? null,
    url: request.url,
    atMs: gitlabTimeMs(request.updated_at),
  };
}
