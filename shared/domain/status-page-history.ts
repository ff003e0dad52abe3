import { isAtOrAfter, type KnownStage } from './lifecycle.ts';
import { type DayKey, dayKeyOf, daysEndingOn, daysFrom } from './local-days.ts';
import {
  affectedComponents,
  type ComponentState,
  incidentComponentState,
  type PublicComponent,
  type StatusPageOptions,
  worseState,
} from './status-page-states.ts';
import type { IncidentState } from './timeline.ts';

/** A span of time the incident was not resolved: from `startMs` to `endMs` (exclusive). */
export interface ImpactSpan {
  readonly startMs: number;
  readonly endMs: number;
}

/** One day of a component's history: its worst state, and the incidents of that day. */
export interface HistoryDay {
  readonly day: DayKey;
  readonly state: ComponentState;
  /** Ids of the incidents that affected the component that day, in the order given. */
  readonly incidentIds: readonly string[];
}

/** A component's bar: one day per entry, oldest first, ending today. */
export interface ComponentHistory {
  readonly component: string;
  readonly days: readonly HistoryDay[];
}

/**
 * When an incident was unresolved: its visits before the resolving stage, joined where they touch; a
 * status the board does not map counts as unresolved. An open visit runs until `nowMs`.
 */
export function impactSpans(state: IncidentState, resolveStage: KnownStage, nowMs: number): ImpactSpan[] {
  const spans: ImpactSpan[] = [];
  for (const visit of state.visits) {
    if (isAtOrAfter(visit.stage, resolveStage)) continue;
    const span = { startMs: visit.enteredAtMs, endMs: visit.leftAtMs ?? nowMs };
    const last = spans.at(-1);
    if (last && last.endMs >= span.startMs) spans[spans.length - 1] = { ...last, endMs: span.endMs };
    else spans.push(span);
  }
  return spans;
}

/** The days (in the zone) a span touches: an incident open from 23:50 to 00:10 marks both days. */
function daysOfSpan(span: ImpactSpan, timeZone: string): DayKey[] {
  return daysFrom(
    dayKeyOf(span.startMs, timeZone),
    dayKeyOf(Math.max(span.startMs, span.endMs - 1), timeZone),
  );
}

/** The incident's id on the page, stable across rebuilds. */
export type IncidentIdOf = (state: IncidentState) => string;

/**
 * The last `options.historyDays` days of each component, ending on today in the team's time zone:
 * each day the worst state of the incidents that affected it that day.
 */
export function componentHistory(input: {
  readonly incidents: readonly IncidentState[];
  readonly components: readonly PublicComponent[];
  readonly options: StatusPageOptions;
  readonly resolveStage: KnownStage;
  readonly timeZone: string;
  readonly nowMs: number;
  readonly idOf: IncidentIdOf;
}): ComponentHistory[] {
  const { components, options, timeZone, nowMs } = input;
  const days = daysEndingOn(dayKeyOf(nowMs, timeZone), options.historyDays);
  const byComponent = new Map(
    components.map((component) => [
      component.name,
      new Map<DayKey, { state: ComponentState; incidentIds: string[] }>(),
    ]),
  );
  for (const incident of input.incidents) {
    const state = incidentComponentState(incident, options);
    const id = input.idOf(incident);
    const incidentDays = new Set(
      impactSpans(incident, input.resolveStage, nowMs).flatMap((span) => daysOfSpan(span, timeZone)),
    );
    for (const name of affectedComponents(incident.components, components)) {
      const history = byComponent.get(name);
      if (!history) continue;
      for (const day of incidentDays) {
        const seen = history.get(day) ?? { state: 'operational', incidentIds: [] };
        history.set(day, {
          state: worseState(seen.state, state),
          incidentIds: seen.incidentIds.includes(id) ? seen.incidentIds : [...seen.incidentIds, id],
        });
      }
    }
  }
  return components.map((component) => {
    const history = byComponent.get(component.name);
    return {
      component: component.name,
      days: days.map((day) => ({ day, state: 'operational', incidentIds: [], ...history?.get(day) })),
    };
  });
}
