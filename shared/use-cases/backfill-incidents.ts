import { createHash } from 'node:crypto';
import type { ReconcileDeps, SweepProgress, SweepResult } from './sweep-issues.ts';
import { incidentJql, sweep } from './sweep-issues.ts';

/** What to import: the first day, an optional JQL filter, the effects cut-off and progress callbacks. */
export interface BackfillOptions {
  /** The first day to import (YYYY-MM-DD): incidents created on or after it. */
  readonly since: string;
  /** Picks the issues instead of the settings' incident types and labels (no ORDER BY). */
  readonly jql?: string;
  /** Effects only for events at or after this time; default: when this backfill first started. */
  readonly effectsFromMs?: number;
  readonly onStart?: (info: {
    readonly total: number | null;
    readonly alreadyFinished: number;
    readonly resumed: boolean;
  }) => void;
  readonly onProgress?: (progress: SweepProgress) => void;
}

/** A backfill pass: its sweep result, the run it belongs to and that run's effects cut-off. */
export interface BackfillResult extends SweepResult {
  readonly runId: string;
  readonly jql: string;
  readonly effectsFromMs: number;
}

/**
 * Imports a team's incident history with the reconciler's code. The run is named by its JQL, so the
 * same command after a crash, a Ctrl-C or a 429 storm resumes: issues it finished are skipped, and its
 * effects cut-off stays the one of its first start.
 */
export async function backfillIncidents(
  deps: ReconcileDeps,
  options: BackfillOptions,
): Promise<BackfillResult> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.since) || Number.isNaN(Date.parse(options.since)))
    throw new Error(`--since ${JSON.stringify(options.since)}: give a day as YYYY-MM-DD, e.g. 2025-01-01`);
  if (options.jql !== undefined && /\border\s+by\b/i.test(options.jql))
    throw new Error('--jql: leave ORDER BY out; the backfill orders by creation so it can resume');
  const filter = options.jql === undefined ? incidentJql(deps.incidents) : `(${options.jql})`;
  const selection = `${filter} AND created >= "${options.since}"`;
  const jql = `${selection} ORDER BY created ASC, key ASC`;
  const runId = createHash('sha256').update(jql).digest('hex').slice(0, 16);
  const known = await deps.ledger.backfillRun(runId);
  const run = known ?? {
    runId,
    jql,
    startedAtMs: deps.nowMs(),
    effectsFromMs: options.effectsFromMs ?? deps.nowMs(),
  };
  if (!known) await deps.ledger.saveBackfillRun(run);
  const finished = await deps.ledger.finishedIssues(runId);
  options.onStart?.({
    total: await deps.source.approximateCount(selection),
    alreadyFinished: finished.size,
    resumed: known !== null,
  });
  const result = await sweep(deps, {
    jql,
    skip: finished,
    effectsFromMs: run.effectsFromMs,
    onIssueFinished: (issueId) => deps.ledger.markFinished(runId, [issueId]),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { ...result, runId, jql, effectsFromMs: run.effectsFromMs };
}
