import type { IncidentEvent } from '#shared/domain/events.ts';
import type { IncidentState } from '#shared/domain/timeline.ts';
import type { AppendOutcome, EventStore } from '#shared/ports.ts';

/** The event store in memory, with the same contract as the DynamoDB adapter (test/contract). */
export function createInMemoryEventStore(): EventStore & { readonly events: Map<string, IncidentEvent> } {
  const events = new Map<string, IncidentEvent>();
  const states = new Map<string, IncidentState>();
  const eventKey = (event: IncidentEvent) => `${event.issueId}|${event.eventId}`;
  const clone = <T>(value: T): T => structuredClone(value);
  return {
    events,
    async append(batch) {
      return batch.map((event): AppendOutcome => {
        if (events.has(eventKey(event))) return 'duplicate';
        events.set(eventKey(event), clone(event));
        return 'stored';
      });
    },
    async hasIncident(issueId) {
      return [...events.values()].some((event) => event.issueId === issueId) || states.has(issueId);
    },
    async loadEvents(issueId) {
      return [...events.values()].filter((event) => event.issueId === issueId).map(clone);
    },
    async saveState(state) {
      const existing = states.get(state.issueId);
      if (existing && existing.eventCount > state.eventCount) return 'stale';
      states.set(state.issueId, clone(state));
      return 'saved';
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
