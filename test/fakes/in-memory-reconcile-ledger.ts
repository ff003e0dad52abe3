import type { BackfillRun, IssueReadMark, IssueReadMarks, ReconcileLedger } from '#shared/ports.ts';

/** The reconcile ledger and its read marks in memory, with the DynamoDB adapter's contract. */
export function createInMemoryReconcileLedger(): ReconcileLedger &
  IssueReadMarks & { readonly readMarks: ReadonlyMap<string, IssueReadMark> } {
  const watermarks = new Map<string, number>();
  const readMarks = new Map<string, IssueReadMark>();
  const runs = new Map<string, BackfillRun>();
  const finished = new Map<string, Set<string>>();
  return {
    readMarks,
    watermark: async (name) => watermarks.get(name) ?? null,
    saveWatermark: async (name, atMs) => {
      watermarks.set(name, atMs);
    },
    readInFullAt: async (issueId) => readMarks.get(issueId) ?? null,
    saveReadInFull: async (issueId, mark) => {
      readMarks.set(issueId, mark);
    },
    backfillRun: async (runId) => runs.get(runId) ?? null,
    saveBackfillRun: async (run) => {
      runs.set(run.runId, run);
    },
    finishedIssues: async (runId) => new Set(finished.get(runId)),
    markFinished: async (runId, issueIds) => {
      const set = finished.get(runId) ?? new Set<string>();
      for (const issueId of issueIds) set.add(issueId);
      finished.set(runId, set);
    },
  };
}
