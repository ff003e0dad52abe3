import type { Log } from '#shared/ports.ts';
import type { SyncOutcome } from '#shared/use-cases/sync-follow-ups.ts';

export interface PostmortemSyncDeps {
  readonly sync: () => Promise<SyncOutcome>;
  readonly log: Log;
}

/**
 * The scheduled (or hand-invoked: `aws lambda invoke`) sync of postmortems' action items. Its log line
 * says what changed; items left pending are named with the error that names the setting to fix.
 */
export function makePostmortemSyncHandler(deps: PostmortemSyncDeps) {
  return async () => {
    const outcome = await deps.sync();
    deps.log.info('follow-ups synced', {
      postmortems: outcome.postmortems,
      created: outcome.created,
      updated: outcome.updated,
      done: outcome.done,
      removed: outcome.removed,
      closedIncidents: outcome.closedIncidents,
      pending: outcome.pending.length,
    });
    if (outcome.pending.length > 0) deps.log.warn('action items left pending', { pending: outcome.pending });
    return {
      postmortems: outcome.postmortems,
      created: outcome.created.length,
      updated: outcome.updated.length,
      done: outcome.done.length,
      pending: outcome.pending.length,
    };
  };
}
