import type { IncidentEvent } from '#shared/domain/events.ts';
import type { Delivery, EventStore } from '#shared/ports.ts';
import { createInMemoryDeliveryRecords } from './in-memory-delivery-records.ts';
import { createInMemoryEventJournal } from './in-memory-event-journal.ts';
import { createInMemoryIncidentStates } from './in-memory-incident-states.ts';
import { createInMemoryPostmortemRecords } from './in-memory-postmortem-records.ts';
import { createInMemorySendLedger } from './in-memory-send-ledger.ts';
import { createInMemoryWeekSummaries } from './in-memory-week-summaries.ts';

/** Every port of the incident table in memory, gathered as createDynamoEventStore gathers its adapters. */
export function createInMemoryEventStore(): EventStore & { readonly events: Map<string, IncidentEvent> } {
  const journal = createInMemoryEventJournal();
  const { holds, ...states } = createInMemoryIncidentStates();
  // One delivery log, as the send ledger and the delivery records share the table's rows.
  const deliveries = new Map<string, Delivery & { issueId: string }>();
  return {
    ...journal,
    ...states,
    ...createInMemoryWeekSummaries(),
    ...createInMemorySendLedger(deliveries),
    ...createInMemoryDeliveryRecords(deliveries),
    ...createInMemoryPostmortemRecords(),
    // The table's partition of an incident holds its state beside its events.
    async hasIncident(issueId) {
      return (await journal.hasIncident(issueId)) || holds(issueId);
    },
  };
}
