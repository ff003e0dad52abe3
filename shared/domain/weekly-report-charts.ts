import type { OverdueFollowUp } from './follow-up-report.ts';
import type { FollowUp } from './follow-ups.ts';
import type { SeverityCounts } from './weekly-metrics.ts';

/** The incidents opened in one week, by final severity, for the 8-week chart. */
export type WeekSeverityCounts = {
  readonly weekId: string;
  readonly opened: SeverityCounts;
};

/** One owner's follow-ups: opened and done in the week, overdue at its end. */
export type OwnerFollowUps = {
  readonly owner: string;
  readonly openedCount: number;
  readonly doneCount: number;
  readonly overdueCount: number;
};

/**
 * What the HTML email charts beyond the report itself: the incidents opened in each of the eight
 * weeks (the oldest first, this week last) and the follow-ups by owner (null: not tracked).
 */
export type ReportCharts = {
  readonly severityHistory: readonly WeekSeverityCounts[];
  readonly followUpOwners: readonly OwnerFollowUps[] | null;
};

/** How a follow-up without a named owner is listed. */
export const NO_OWNER = 'No owner';

/**
 * The week's follow-ups grouped by owner name: opened and done in the week, overdue at its end;
 * owners with the most overdue first, then the most opened, then by name.
 */
export function followUpsByOwner(
  openedInWeek: readonly FollowUp[],
  doneInWeek: readonly FollowUp[],
  overdue: readonly OverdueFollowUp[],
): OwnerFollowUps[] {
  const byOwner = new Map<string, { openedCount: number; doneCount: number; overdueCount: number }>();
  const add = (owner: string | null, field: 'openedCount' | 'doneCount' | 'overdueCount') => {
    const name = owner ?? NO_OWNER;
    const counts = byOwner.get(name) ?? { openedCount: 0, doneCount: 0, overdueCount: 0 };
    byOwner.set(name, { ...counts, [field]: counts[field] + 1 });
  };
  for (const followUp of openedInWeek) add(followUp.ownerName, 'openedCount');
  for (const followUp of doneInWeek) add(followUp.ownerName, 'doneCount');
  for (const line of overdue) add(line.owner, 'overdueCount');
  return [...byOwner.entries()]
    .map(([owner, counts]) => ({ owner, ...counts }))
    .sort(
      (a, b) =>
        b.overdueCount - a.overdueCount ||
        b.openedCount - a.openedCount ||
        (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0),
    );
}
