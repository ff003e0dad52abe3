import type { BackfillRun, IssueReadMark, IssueReadMarks, ReconcileLedger } from '#shared/ports.ts';

/**
 * The reconcile ledger and its read marks in memory, with the DynamoDB adapter's contract
 * (test/contract); `marks` are its watermarks, `readMarks` each issue's last full read.
 */
export function createInMemoryReconcileLedger(): ReconcileLedger &
  IssueReadMarks & {
    readonly marks: Map<string, number>;
    readonly readMarks: ReadonlyMap<string, IssueReadMark>;
  } {
  const marks = new Map<string, number>();
  const readMarks = new Map<string, IssueReadMark>();
  const runs = new Map<string, BackfillRun>();
  const finished = new Map<string, Set<string>>();
  return {
    marks,
    readMarks,
    watermark: async (name) => marks.get(name) ?? null,
    async saveWatermark(name, atMs) {
      marks.set(name, atMs);
    },
    readInFullAt: async (issueId) => readMarks.get(issueId) ?? null,
    async saveReadInFull(issueId, mark) {
      readMarks.set(issueId, mark);
    },
    backfillRun: async (runId) => structuredClone(runs.get(runId) ?? null),
    async saveBackfillRun(run) {
      runs.set(run.runId, structuredClone(run));
    },
    finishedIssues: async (runId) => new Set(finished.get(runId)),
    async markFinished(runId, ids) {
      const set = finished.get(runId) ?? new Set<string>();
      for (const id of ids) set.add(id);
      finished.set(runId, set);
    },
  };
}
