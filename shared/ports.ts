import type { IncidentEvent } from './domain/events.ts';
import type { IncidentState } from './domain/timeline.ts';

/** What became of one event offered to the store. */
export type AppendOutcome = 'stored' | 'duplicate';

/** The durable record of what happened to incidents, and the state folded from it. */
export interface EventStore {
  /** Stores each event once (by its identity); a known identity is a duplicate and changes nothing. */
  append(events: readonly IncidentEvent[]): Promise<AppendOutcome[]>;
  /** True when the store holds any event of this issue. */
  hasIncident(issueId: string): Promise<boolean>;
  /** Every stored event of an issue, in no particular order. */
  loadEvents(issueId: string): Promise<IncidentEvent[]>;
  /** Saves the folded state unless a state folded from more events is already there. */
  saveState(state: IncidentState): Promise<'saved' | 'stale'>;
  getStateByKey(key: string): Promise<IncidentState | null>;
  /** Every incident's state, most recently opened first. */
  listStates(): Promise<IncidentState[]>;
}

/** Structured log lines; never given a secret, a token or a contact. */
export interface Log {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}
