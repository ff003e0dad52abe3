import { describe, expect, it } from 'vitest';
import type { WeekSummaries } from '#shared/ports.ts';

/** What every WeekSummaries promises; run against the fake and the DynamoDB adapter alike. */
export function weekSummariesContract(name: string, make: () => Promise<WeekSummaries>): void {
  describe(`${name} keeps the WeekSummaries contract`, () => {
    it('keeps, returns and forgets week summaries', async () => {
      const store = await make();
      const summary = {
        version: 2 as const,
        openedCount: 3,
        resolvedCount: 2,
        mttaMedianMs: 240_000,
        mttrMedianMs: null,
        changeFailureRate: 0.5,
      };

      await store.saveWeekSummary('2026-W40', summary);
      await store.saveWeekSummary('2026-W41', summary);
      await store.forgetWeekSummaries(['2026-W41']);

      expect(await store.getWeekSummaries(['2026-W40', '2026-W41', '2026-W42'])).toEqual(
        new Map([['2026-W40', summary]]),
      );
    });
  });
}
