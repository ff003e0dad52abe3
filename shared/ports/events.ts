import type { IncidentEvent } from '../domain/events.ts';

/** What became of one event offered to the store. */
export type AppendOutcome = 'stored' | 'duplicate';

/** The append side of the event store: all that ingesting a webhook needs. */
export interface EventJournal {
  /** Stores each event once (by its identity); a known identity is a duplicate and changes nothing. */
  append(events: readonly IncidentEvent[]): Promise<AppendOutcome[]>;
  /** True when the store holds any event of this issue. */
  hasIncident(issueId: string): Promise<boolean>;
}

/** The read side of the event store: the events an incident's state is folded from. */
export interface EventHistory {
  /** Every stored event of an issue, in no particular order. */
  loadEvents(issueId: string): Promise<IncidentEvent[]>;
}
