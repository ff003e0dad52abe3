import type { Context } from 'aws-lambda';
import type { Log } from '#shared/ports.ts';
import type { ReconcileRun } from '#shared/use-cases/reconcile-incidents.ts';

export interface ReconcilerDeps {
  /** One reconciliation pass that starts no new page of issues after `deadlineMs`. */
  readonly reconcile: (deadlineMs: number) => Promise<ReconcileRun>;
  readonly nowMs: () => number;
  readonly log: Log;
}

/** Leaves the run this long to finish the page under way and save its watermark before Lambda's timeout. */
export const STOP_BEFORE_TIMEOUT_MS = 90_000;
/** The repaired issues named in one log line; the count covers the rest. */
const NAMED_REPAIRS = 50;

/**
 * The scheduled reconciler. Its log line `reconciled` carries `eventsAdded` and `repairing` (1 when
 * it stored anything): the stack turns them into metrics, and alarms when runs repair often, which
 * means webhooks are not arriving.
 */
export function makeReconcilerHandler(deps: ReconcilerDeps) {
  return async (_event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const remainingMs = context?.getRemainingTimeInMillis() ?? 15 * 60_000;
    const run = await deps.reconcile(deps.nowMs() + Math.max(0, remainingMs - STOP_BEFORE_TIMEOUT_MS));
    const summary = {
      issuesRead: run.issuesRead,
      eventsAdded: run.eventsAdded,
      repairing: run.eventsAdded > 0 ? 1 : 0,
      issuesRepaired: run.repaired.length,
      repaired: run.repaired.slice(0, NAMED_REPAIRS),
      failed: run.failed.length,
      complete: run.complete,
      watermark: run.watermarkMs === null ? null : new Date(run.watermarkMs).toISOString(),
    };
    deps.log.info('reconciled', summary);
    if (run.failed.length > 0) deps.log.warn('issues left for the next run', { failed: run.failed });
    return summary;
  };
}
