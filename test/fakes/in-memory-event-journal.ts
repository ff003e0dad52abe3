import type { IncidentEvent } from '#shared/domain/events.ts';
import type { AppendOutcome, EventHistory, EventJournal } from '#shared/ports.ts';

/** The events in memory, appended and read back, with the DynamoDB adapters' contract (test/contract). */
export function createInMemoryEventJournal(): EventJournal &
  EventHistory & { readonly events: Map<string, IncidentEvent> } {
  const events = new Map<string, IncidentEvent>();
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
      return [...events.values()].some((event) => event.issueId === issueId);
    },
    async loadEvents(issueId) {
      return [...events.values()].filter((event) => event.issueId === issueId).map(clone);
    },
  };
}
