import type { Context } from 'aws-lambda';
import { UpstreamUnavailableError } from '#shared/errors.ts';
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

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The scheduled reconciler. Its log line `reconciled` carries `eventsAdded`, `repairing` (1 when it
 * stored anything) and `unfinished` (1 when it left work it could not do: Jira unreachable, issues it
 * could not reconcile); a run that could not run at all logs `reconciler could not finish` with
 * `unfinished: 1`. The stack turns them into metrics, and alarms when runs repair often (webhooks are
 * not arriving) and when a run could not finish (the safety net is down). A run Jira stopped fails
 * once its watermark is saved, and one that threw fails as it did, so Lambda counts and retries both.
 */
export function makeReconcilerHandler(deps: ReconcilerDeps) {
  return async (_event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const remainingMs = context?.getRemainingTimeInMillis() ?? 15 * 60_000;
    let run: ReconcileRun;
    try {
      run = await deps.reconcile(deps.nowMs() + Math.max(0, remainingMs - STOP_BEFORE_TIMEOUT_MS));
    } catch (error) {
      deps.log.error('reconciler could not finish', { unfinished: 1, error: messageOf(error) });
      throw error;
    }
    const stoppedByJira = run.stoppedBy?.kind === 'jira-unavailable' ? run.stoppedBy : null;
    const watermark = run.watermarkMs === null ? null : new Date(run.watermarkMs).toISOString();
    const summary = {
      issuesRead: run.issuesRead,
      eventsAdded: run.eventsAdded,
      repairing: run.eventsAdded > 0 ? 1 : 0,
      issuesRepaired: run.repaired.length,
      repaired: run.repaired.slice(0, NAMED_REPAIRS),
      failed: run.failed.length,
      complete: run.complete,
      // A deadline stop is by design (the next run goes on); it is not a run that could not finish.
      unfinished: stoppedByJira !== null || run.failed.length > 0 ? 1 : 0,
      watermark,
    };
    deps.log.info('reconciled', summary);
    if (run.failed.length > 0) deps.log.warn('issues left for the next run', { failed: run.failed });
    if (stoppedByJira)
      throw new UpstreamUnavailableError(
        `the reconciler could not finish: ${stoppedByJira.error}; what it read is saved (watermark ${watermark ?? 'none yet'})`,
      );
    return summary;
  };
}
