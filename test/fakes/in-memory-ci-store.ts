import type { CiStreak } from '#shared/domain/ci-streaks.ts';
import type { FixLink } from '#shared/domain/fix-links.ts';
import type { CiDeliveries, CiStreaks, FixLinks } from '#shared/ports.ts';

/** CI streaks, deliveries and fix links in memory, with the DynamoDB adapter's version check. */
export function createInMemoryCiStore(): CiStreaks & CiDeliveries & FixLinks {
  const streaks = new Map<string, CiStreak>();
  const deliveries = new Set<string>();
  const fixes = new Map<string, FixLink>();
  return {
    async streakOf(streakKey) {
      return streaks.get(streakKey) ?? null;
    },
    async saveStreak(streak, expectedVersion) {
      if ((streaks.get(streak.streakKey)?.version ?? 0) !== expectedVersion) return false;
      streaks.set(streak.streakKey, { ...streak, version: expectedVersion + 1 });
      return true;
    },
    async isHandled(source, deliveryId) {
      return deliveries.has(`${source}#${deliveryId}`);
    },
    async markHandled(source, deliveryId) {
      deliveries.add(`${source}#${deliveryId}`);
    },
    async recordFix(fix) {
      const key = `${fix.incidentKey}#${fix.changeId}#${fix.what}`;
      if (fixes.has(key)) return 'duplicate';
      fixes.set(key, fix);
      return 'stored';
    },
    async fixesOf(incidentKey) {
      return [...fixes.values()]
        .filter((fix) => fix.incidentKey === incidentKey)
        .sort((a, b) => a.atMs - b.atMs);
    },
  };
}
