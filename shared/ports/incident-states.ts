import type { IncidentState } from '../domain/timeline.ts';

/** The ISO weeks (in the team's time zone) an incident is reported in. */
export interface IncidentWeeks {
  readonly openedWeek: string;
  readonly resolvedWeek: string | null;
}

/** What became of a folded state offered to the store. */
export type SaveStateOutcome =
  | { readonly kind: 'saved'; readonly previousWeeks: IncidentWeeks | null }
  | { readonly kind: 'stale' };

/** The state folded from each incident's events, indexed by its key, its opening and its weeks. */
export interface IncidentStates {
  /**
   * Saves the folded state, indexed by its weeks, unless a state folded from more events is already
   * there; tells the weeks the incident was indexed under before (null for a new incident).
   */
  saveState(state: IncidentState, weeks: IncidentWeeks): Promise<SaveStateOutcome>;
  /** The incidents opened, or finally resolved, in an ISO week ('2026-W47'): a query, never a scan. */
  listStatesByWeek(week: string, by: 'opened' | 'resolved'): Promise<IncidentState[]>;
  /** The state of the incident with this issue key (the most recently opened, should two share it). */
  getStateByKey(key: string): Promise<IncidentState | null>;
  /** Every incident's state, most recently opened first. */
  listStates(): Promise<IncidentState[]>;
}
