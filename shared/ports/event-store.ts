import type { DeliveryRecords, SendLedger } from './deliveries.ts';
import type { EventHistory, EventJournal } from './events.ts';
import type { IncidentStates } from './incident-states.ts';
import type { PostmortemRecords } from './postmortems.ts';
import type { WeekSummaries } from './weekly-report.ts';

/**
 * Every port the incident table serves, as a composition root builds them over one table; use cases
 * name only the parts they use.
 */
export type EventStore = EventJournal &
  EventHistory &
  IncidentStates &
  WeekSummaries &
  SendLedger &
  DeliveryRecords &
  PostmortemRecords;
