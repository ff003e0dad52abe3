import type { BackfillRun, ReconcileLedger } from '#shared/ports.ts';

/** The reconcile ledger in memory, with the DynamoDB adapter's contract (test/contract); `marks` are its watermarks. */
export function createInMemoryReconcileLedger(): ReconcileLedger & { readonly marks: Map<string, number> } {
  const marks = new Map<string, number>();
  const runs = new Map<string, BackfillRun>();
  const finished = new Map<string, Set<string>>();
  return {
    marks,
    watermark: async (name) => marks.get(name) ?? null,
    async saveWatermark(name, atMs) {
      marks.set(name, atMs);
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
