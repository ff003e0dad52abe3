import type { WeekSummary } from '#shared/domain/weekly-trend.ts';
import type { WeekSummaries } from '#shared/ports.ts';

/** Week summaries in memory, with the DynamoDB adapter's contract (test/contract). */
export function createInMemoryWeekSummaries(): WeekSummaries {
  const summaries = new Map<string, WeekSummary>();
  const clone = <T>(value: T): T => structuredClone(value);
  return {
    async getWeekSummaries(weekIds) {
      return new Map(
        weekIds.flatMap((weekId) => {
          const summary = summaries.get(weekId);
          return summary ? [[weekId, clone(summary)] as const] : [];
        }),
      );
    },
    async saveWeekSummary(weekId, summary) {
      summaries.set(weekId, clone(summary));
    },
    async forgetWeekSummaries(weekIds) {
      for (const weekId of weekIds) summaries.delete(weekId);
    },
  };
}
