import type { IncidentEvent } from '../domain/events.ts';
import { formatIsoWeek, isoWeekOf, parseIsoWeek, weekBounds } from '../domain/iso-weeks.ts';
import { type FoldSettings, foldIncident, type IncidentState } from '../domain/timeline.ts';
import type { EventHistory, IncidentStates, IncidentWeeks, WeekSummaries } from '../ports.ts';

/** The ISO weeks, in the team's time zone, an incident is reported in: opening and final resolution. */
export function weeksOf(state: IncidentState, timeZone: string): IncidentWeeks {
  return {
    openedWeek: formatIsoWeek(isoWeekOf(state.openedAtMs, timeZone)),
    resolvedWeek: state.resolvedAtMs === null ? null : formatIsoWeek(isoWeekOf(state.resolvedAtMs, timeZone)),
  };
}

/** An incident's state and the events it was folded from. */
export interface RefreshedIncident {
  readonly state: IncidentState;
  readonly events: readonly IncidentEvent[];
}

/**
 * Folds everything stored about one incident into its state and saves it; null when nothing is
 * stored. A change that reaches back into weeks already over (a late event, a reopen, a backfill)
 * forgets those weeks' stored summaries, so the next report recomputes them; a change in the
 * current week, the usual case, costs nothing more.
 */
export async function refreshIncident(
  issueId: string,
  deps: {
    readonly store: EventHistory & IncidentStates & WeekSummaries;
    readonly settings: FoldSettings & { readonly timeZone: string };
    readonly nowMs: () => number;
  },
): Promise<RefreshedIncident | null> {
  const events = await deps.store.loadEvents(issueId);
  const state = foldIncident(events, deps.settings);
  if (!state) return null;
  const weeks = weeksOf(state, deps.settings.timeZone);
  const outcome = await deps.store.saveState(state, weeks);
  if (outcome.kind === 'saved') {
    const nowMs = deps.nowMs();
    const touched = new Set(
      [weeks, outcome.previousWeeks].flatMap((each) => (each ? [each.openedWeek, each.resolvedWeek] : [])),
    );
    const over = [...touched].filter((weekId): weekId is string => {
      const week = weekId === null ? null : parseIsoWeek(weekId);
      return week !== null && weekBounds(week, deps.settings.timeZone).endMs <= nowMs;
    });
    if (over.length > 0) await deps.store.forgetWeekSummaries(over);
  }
  return { state, events };
}
