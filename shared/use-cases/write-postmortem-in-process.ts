import { foldIncident } from '../domain/timeline.ts';
import type { EventHistory, PostmortemRequests, RecheckScheduler } from '../ports.ts';
import { type PublishPostmortemDeps, publishPostmortem } from './publish-postmortem.ts';

/** When a postmortem that could not be written in-process (local mode) is tried again. */
export const POSTMORTEM_RETRY_MS = 5 * 60_000;

export interface InProcessPostmortemDeps extends PublishPostmortemDeps {
  readonly store: PublishPostmortemDeps['store'] & EventHistory;
  /**
   * Runs the failed request again at a time, as SQS redelivers a failed message: a postmortem written
   * whose link comment failed is recorded, so no later fold asks for it again.
   */
  readonly retryAt?: ((atMs: number, retry: () => Promise<void>) => void) | undefined;
  /** Without retryAt, brings the incident back instead; absent both, the next delivery retries. */
  readonly recheck?: RecheckScheduler | undefined;
}

/**
 * The postmortem queue of local mode: each request writes the postmortem at once, in-process, as the
 * postmortem function does on AWS, so the fold that asked finds it recorded. A failure (recorded by
 * publishPostmortem, so GET /incidents/:key shows it) brings the incident back after POSTMORTEM_RETRY_MS
 * instead of failing the fold: timings and notifications never wait on the writer.
 */
export function createInProcessPostmortemRequests(deps: InProcessPostmortemDeps): PostmortemRequests {
  const requests: PostmortemRequests = {
    async request(issueId) {
      const events = await deps.store.loadEvents(issueId);
      const state = foldIncident(events, deps.settings);
      if (!state) return;
      try {
        await publishPostmortem(state, events, deps);
      } catch {
        const atMs = deps.nowMs() + POSTMORTEM_RETRY_MS;
        if (deps.retryAt) deps.retryAt(atMs, () => requests.request(issueId));
        else await deps.recheck?.recheckAt(issueId, atMs);
      }
    },
  };
  return requests;
}
