import type { IncidentState } from '#shared/domain/timeline.ts';
import type { IncidentStates, IncidentWeeks } from '#shared/ports.ts';

/** Incident states in memory, with the DynamoDB adapter's contract (test/contract). */
export function createInMemoryIncidentStates(): IncidentStates & {
  /** True when a state of this issue is saved. */
  readonly holds: (issueId: string) => boolean;
} {
  const states = new Map<string, IncidentState>();
  const weeks = new Map<string, IncidentWeeks>();
  const clone = <T>(value: T): T => structuredClone(value);
  return {
    holds: (issueId) => states.has(issueId),
    async saveState(state, stateWeeks) {
      const existing = states.get(state.issueId);
      if (existing && existing.eventCount > state.eventCount) return { kind: 'stale' };
      const previousWeeks = weeks.get(state.issueId) ?? null;
      states.set(state.issueId, clone(state));
      weeks.set(state.issueId, stateWeeks);
      return { kind: 'saved', previousWeeks };
    },
    async listStatesByWeek(week, by) {
      const inWeek = (issueId: string) => {
        const indexed = weeks.get(issueId);
        return (by === 'opened' ? indexed?.openedWeek : indexed?.resolvedWeek) === week;
      };
      return [...states.values()].filter((state) => inWeek(state.issueId)).map(clone);
    },
    async getStateByKey(key) {
      const matches = [...states.values()].filter((state) => state.key === key);
      return clone(matches.sort((a, b) => b.openedAtMs - a.openedAtMs)[0] ?? null);
    },
    async listStates() {
      return [...states.values()].sort((a, b) => b.openedAtMs - a.openedAtMs).map(clone);
    },
  };
}
