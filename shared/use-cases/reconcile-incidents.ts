import type { ReconcileDeps, SweepResult } from './sweep-issues.ts';
import { incidentJql, sweep } from './sweep-issues.ts';

/** The ledger's name for the reconciler's watermark. */
export const RECONCILER_WATERMARK = 'incidents';

/** A reconciler run: its pass over Jira, the JQL it searched with and the watermark it left. */
export interface ReconcileRun extends SweepResult {
  readonly jql: string;
  readonly watermarkMs: number | null;
}

/**
 * The hourly repair: asks Jira for incidents updated since the last run's watermark minus an overlap,
 * stores what the webhooks missed, and moves the watermark only past what was fully processed: to the
 * run's start when everything was, else to the last page read without a failure.
 */
export async function reconcileIncidents(
  deps: ReconcileDeps,
  options: {
    readonly overlapMinutes: number;
    readonly firstRunLookbackHours: number;
    readonly deadlineMs?: number;
  },
): Promise<ReconcileRun> {
  const runStartMs = deps.nowMs();
  const watermark = await deps.ledger.watermark(RECONCILER_WATERMARK);
  const fromMs =
    (watermark ?? runStartMs - options.firstRunLookbackHours * 3_600_000) - options.overlapMinutes * 60_000;
  // A relative JQL time: absolute JQL dates are read in the Jira user's time zone, at minute precision.
  const minutesBack = Math.max(1, Math.ceil((runStartMs - fromMs) / 60_000));
  const jql = `${incidentJql(deps.incidents)} AND updated >= -${minutesBack}m ORDER BY updated ASC`;
  const result = await sweep(deps, {
    jql,
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  });
  let watermarkMs = watermark;
  const advanceTo = result.complete ? runStartMs : result.processedUntilMs;
  if (advanceTo !== null && (watermark === null || advanceTo > watermark)) {
    await deps.ledger.saveWatermark(RECONCILER_WATERMARK, advanceTo);
    watermarkMs = advanceTo;
  }
  return { ...result, jql, watermarkMs };
}
