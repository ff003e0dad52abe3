import { dayIn, daysBetween, type FollowUp } from './follow-ups.ts';
import type { WeekBounds } from './iso-weeks.ts';
import type { IncidentState } from './timeline.ts';
import { compareKeys } from './weekly-metrics.ts';

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
 * The follow-up figures of a week, counted as of the week's end (Monday 00:00 in the team's time
 * zone): opened and done in the week; open ones whose due date is before the week's last day ended
 * are overdue by whole calendar days; postmortems not Published `unwrittenPostmortemDays` after the
 * incident's resolution. Open means open now: a ticket closed since the week ended is not listed.
 */
export function followUpReport(input: FollowUpReportInput): FollowUps {
  const endDay = dayIn(input.bounds.endMs, input.timeZone);
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
      const days = Math.floor((input.bounds.endMs - state.resolvedAtMs) / 86_400_000);
      return days >= input.unwrittenPostmortemDays
        ? [{ incidentKey: state.key, daysSinceResolution: days, status }]
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
