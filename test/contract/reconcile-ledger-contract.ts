import { describe, expect, it } from 'vitest';
import type { ReconcileLedger } from '#shared/ports.ts';

/** What every ReconcileLedger promises; run against the fake and the DynamoDB adapter alike. */
export function reconcileLedgerContract(name: string, makeLedger: () => Promise<ReconcileLedger>): void {
  describe(`${name} keeps the ReconcileLedger contract`, () => {
    it('has no watermark before the first run, then the one saved last', async () => {
      const ledger = await makeLedger();

      expect(await ledger.watermark('incidents')).toBeNull();
      await ledger.saveWatermark('incidents', 1_000);
      await ledger.saveWatermark('incidents', 2_000);

      expect(await ledger.watermark('incidents')).toBe(2_000);
      expect(await ledger.watermark('another')).toBeNull();
    });

    it('keeps a backfill run and the issues it finished, more than one query page of them', async () => {
      const ledger = await makeLedger();
      const run = { runId: 'abc', jql: 'project = OPS', startedAtMs: 5, effectsFromMs: 7 };
      await ledger.saveBackfillRun(run);
      const ids = Array.from({ length: 1_500 }, (_, i) => String(10_000 + i));

      await Promise.all(
        Array.from({ length: 15 }, (_, i) => ledger.markFinished('abc', ids.slice(i * 100, i * 100 + 100))),
      );

      expect(await ledger.backfillRun('abc')).toEqual(run);
      expect(await ledger.backfillRun('other')).toBeNull();
      const finished = await ledger.finishedIssues('abc');
      expect(finished.size).toBe(1_500);
      expect(finished.has('10042')).toBe(true);
      expect((await ledger.finishedIssues('other')).size).toBe(0);
    });
  });
}
