import { dayIn, daysBetween, type FollowUp } from './follow-ups.ts';
import type { WeekBounds } from './iso-weeks.ts';
import { compareKeys } from './key-order.ts';
import type { IncidentState } from './timeline.ts';

/** One overdue follow-up as the report lists it. */
export type OverdueFollowUp = {
  readonly key: string;
  readonly incidentKey: string;
  readonly owner: string | null;
  readonly daysOverdue: number;
};

/** A resolved incident whose postmortem is not Published some days after its resolution. */
export type UnwrittenPostmortem = {
  readonly incidentKey: string;
  readonly resolvedAtMs: number;
  /** The day of the (final) resolution in the team's time zone: "2026-11-18". */
  readonly resolvedOn: string;
  /** Calendar days in the team's time zone from `resolvedOn` to the day the report is made. */
  readonly daysSinceResolution: number;
  readonly status: string | null;
};

/** What the weekly report says of follow-ups; "not tracked" where no follow-up store exists. */
export type FollowUps =
  | { readonly kind: 'not-tracked' }
  | {
      readonly kind: 'tracked';
      readonly openedCount: number;
      readonly doneCount: number;
      /** Open and past their due date at the week's end, the most overdue first. */
      readonly overdue: readonly OverdueFollowUp[];
      /** Overdue by more than the escalation threshold: for manage-closely. */
      readonly escalated: readonly OverdueFollowUp[];
      /** Open follow-ups whose item named no owner Jira knows (held by the incident's assignee). */
      readonly withoutOwner: readonly { readonly key: string; readonly incidentKey: string }[];
      readonly unwrittenPostmortems: readonly UnwrittenPostmortem[];
    };

export interface FollowUpReportInput {
  readonly bounds: WeekBounds;
  /** The moment the report is made: unwritten postmortems are counted to it. */
  readonly nowMs: number;
  readonly timeZone: string;
  readonly openedInWeek: readonly FollowUp[];
  readonly doneInWeek: readonly FollowUp[];
  /** Every follow-up open now. */
  readonly open: readonly FollowUp[];
  /** The incidents whose postmortems are followed, with the page's Status as last read. */
  readonly postmortems: readonly { readonly state: IncidentState; readonly status: string | null }[];
  readonly escalateAfterDays: number;
  readonly unwrittenPostmortemDays: number;
}

/**
 * The follow-up figures of a week: opened and done in the week; open ones overdue at the week's end
 * (Monday 00:00 in the team's time zone, or the report's moment for the week in progress) by whole
 * calendar days from their due date. Postmortems not Published `unwrittenPostmortemDays` calendar
 * days after the incident's resolution, counted to the day the report is made. Open means open now:
 * a ticket closed since the week ended is not listed.
 */
export function followUpReport(input: FollowUpReportInput): FollowUps {
  const endDay = dayIn(Math.min(input.bounds.endMs, input.nowMs), input.timeZone);
  const today = dayIn(input.nowMs, input.timeZone);
  const overdue = input.open
    .map((followUp) => ({
      key: followUp.ticketKey,
      incidentKey: followUp.incidentKey,
      owner: followUp.ownerName,
      daysOverdue: daysBetween(followUp.dueDate, endDay),
    }))
    .filter((line) => line.daysOverdue > 0)
    .sort((a, b) => b.daysOverdue - a.daysOverdue || compareKeys(a.key, b.key));
  const unwrittenPostmortems = input.postmortems
    .flatMap(({ state, status }) => {
      if (state.resolvedAtMs === null || state.deleted || status?.toLowerCase() === 'published') return [];
      const resolvedOn = dayIn(state.resolvedAtMs, input.timeZone);
      const days = daysBetween(resolvedOn, today);
      return days >= input.unwrittenPostmortemDays
        ? [
            {
              incidentKey: state.key,
              resolvedAtMs: state.resolvedAtMs,
              resolvedOn,
              daysSinceResolution: days,
              status,
            },
          ]
        : [];
    })
    .sort(
      (a, b) => b.daysSinceResolution - a.daysSinceResolution || compareKeys(a.incidentKey, b.incidentKey),
    );
  return {
    kind: 'tracked',
    openedCount: input.openedInWeek.length,
    doneCount: input.doneInWeek.length,
    overdue,
    escalated: overdue.filter((line) => line.daysOverdue > input.escalateAfterDays),
    withoutOwner: input.open
      .filter((followUp) => followUp.ownerUnresolved)
      .map((followUp) => ({ key: followUp.ticketKey, incidentKey: followUp.incidentKey }))
      .sort((a, b) => compareKeys(a.key, b.key)),
    unwrittenPostmortems,
  };
}
