import type { RecheckScheduler } from '#shared/ports.ts';

/** A recheck the recording scheduler was asked for. */
export interface RecordedRecheck {
  readonly issueId: string;
  readonly atMs: number;
}

/** A recheck scheduler that keeps the rechecks it is asked for, in order, and brings none back. */
export function createRecordingRecheckScheduler(): RecheckScheduler & {
  readonly rechecks: readonly RecordedRecheck[];
} {
  const rechecks: RecordedRecheck[] = [];
  return {
    rechecks,
    async recheckAt(issueId, atMs) {
      rechecks.push({ issueId, atMs });
    },
  };
}
