import { type CiActivity, ciActivityId } from '#shared/domain/ci-activity.ts';
import type { CiActivityLog } from '#shared/ports.ts';

/** The CI activity log in memory: one record per identity, read by time. */
export function createInMemoryCiActivityLog(): CiActivityLog & { readonly records: () => CiActivity[] } {
  const byId = new Map<string, CiActivity>();
  return {
    async recordActivity(activity) {
      byId.set(ciActivityId(activity), activity);
    },
    async activityBetween(startMs, endMs) {
      return [...byId.values()]
        .filter((activity) => activity.atMs >= startMs && activity.atMs < endMs)
        .sort((a, b) => a.atMs - b.atMs);
    },
    records: () => [...byId.values()],
  };
}
