import { describe, expect, it } from 'vitest';
import { followUpReport } from '#shared/domain/follow-up-report.ts';
import type { FollowUp } from '#shared/domain/follow-ups.ts';
import { type IsoWeek, weekBounds } from '#shared/domain/iso-weeks.ts';
import { weeklyReport } from '#shared/domain/weekly-metrics.ts';
import { renderReportText } from '#shared/domain/weekly-report-text.ts';
import { history, weeklySettings } from '../weekly-builders.ts';

const W47: IsoWeek = { year: 2026, week: 47 };
// Week 47 of 2026 in Berlin: Monday 16 November 00:00 to Monday 23 November 00:00 (CET, UTC+1).
const bounds = weekBounds(W47, 'Europe/Berlin');

function followUp(key: string, overrides: Partial<FollowUp> = {}): FollowUp {
  return {
    itemId: `item-${key}`,
    incidentIssueId: '1',
    incidentKey: 'INC-1',
    ticketKey: key,
    ticketUrl: `https://acme.atlassian.net/browse/${key}`,
    summary: `Fix ${key}`,
    assigneeAccountId: 'acc-ana',
    ownerName: 'Ana',
    ownerUnresolved: false,
    dueDate: '2026-12-01',
    dueDateSource: 'item',
    state: 'open',
    createdAtMs: Date.parse('2026-11-17T10:00:00Z'),
    doneAtMs: null,
    fingerprint: '',
    writtenBack: true,
    itemRemovedAtMs: null,
    lastReminderAtMs: null,
    earlyReminderSent: false,
    ...overrides,
  };
}

const resolvedIncident = (key: string, resolvedAt: string) =>
  history(key, '2026-11-01T08:00:00Z')
    .created()
    .move('2026-11-01T08:10:00Z', 'Detected', 'Declared')
    .move(resolvedAt, 'Declared', 'Resolved')
    .fold();

describe('the follow-up figures of a week', () => {
  const report = followUpReport({
    bounds,
    // Made as scheduled, Monday 09:00 in Berlin.
    nowMs: Date.parse('2026-11-23T08:00:00Z'),
    timeZone: 'Europe/Berlin',
    openedInWeek: [followUp('OPS-1'), followUp('OPS-2')],
    doneInWeek: [followUp('OPS-3', { state: 'done' })],
    open: [
      // Due on Sunday the 22nd: the week ends Monday the 23rd, one day overdue.
      followUp('OPS-4', { dueDate: '2026-11-22' }),
      // Due on the 23rd itself: not overdue at the week's end.
      followUp('OPS-5', { dueDate: '2026-11-23' }),
      followUp('OPS-6', { dueDate: '2026-11-01', ownerName: 'Sam' }),
      followUp('OPS-7', {
        dueDate: '2026-12-24',
        ownerUnresolved: true,
        ownerName: 'Lee',
        incidentKey: 'INC-2',
      }),
    ],
    postmortems: [
      { state: resolvedIncident('INC-1', '2026-11-10T09:00:00Z'), status: 'Draft' },
      { state: resolvedIncident('INC-2', '2026-11-10T09:00:00Z'), status: 'Published' },
      // Resolved Thursday 00:30 in Berlin, 4 days before the report: within the 5 days people have to write it.
      { state: resolvedIncident('INC-3', '2026-11-18T23:30:00Z'), status: null },
    ],
    escalateAfterDays: 14,
    unwrittenPostmortemDays: 5,
  });

  it('counts opened and done in the week, and overdue days as of the week’s end in the team’s zone', () => {
    expect(report).toEqual({
      kind: 'tracked',
      openedCount: 2,
      doneCount: 1,
      overdue: [
        { key: 'OPS-6', incidentKey: 'INC-1', owner: 'Sam', daysOverdue: 22 },
        { key: 'OPS-4', incidentKey: 'INC-1', owner: 'Ana', daysOverdue: 1 },
      ],
      escalated: [{ key: 'OPS-6', incidentKey: 'INC-1', owner: 'Sam', daysOverdue: 22 }],
      withoutOwner: [{ key: 'OPS-7', incidentKey: 'INC-2' }],
      // Resolved Tuesday Nov 10 in Berlin: 13 calendar days to Monday Nov 23, the report's day.
      unwrittenPostmortems: [
        {
          incidentKey: 'INC-1',
          resolvedAtMs: Date.parse('2026-11-10T09:00:00Z'),
          resolvedOn: '2026-11-10',
          daysSinceResolution: 13,
          status: 'Draft',
        },
      ],
    });
  });

  it('reads in the email: the counts, the overdue with owners, manage-closely, unwritten postmortems', () => {
    const text = renderReportText(
      weeklyReport(
        {
          week: W47,
          bounds,
          incidents: [],
          deployments: [],
          settings: weeklySettings('Europe/Berlin', 'x'),
        },
        [],
        report,
      ),
      { jiraBaseUrl: 'https://acme.atlassian.net' },
    );

    expect(text).toContain('2 follow-ups opened, 1 done this week; 2 overdue, 1 without an owner.');
    expect(text).toMatch(/OPS-6\s+22 days overdue, Sam \(INC-1\)/);
    expect(text).toMatch(/OPS-4\s+1 day overdue, Ana \(INC-1\)/);
    expect(text).toContain('Manage closely: follow-ups long overdue');
    expect(text).toMatch(/OPS-7\s+from INC-2/);
    expect(text).toContain('Postmortems not written yet');
    expect(text).toMatch(/INC-1\s+resolved 2026-11-10, 13 days ago; postmortem Draft/);
    expect(text).not.toContain('INC-3  resolved');
  });

  it('says follow-ups are not tracked where no postmortem database is set', () => {
    const text = renderReportText(
      weeklyReport(
        {
          week: W47,
          bounds,
          incidents: [],
          deployments: [],
          settings: weeklySettings('Europe/Berlin', 'x'),
        },
        [],
      ),
      {},
    );

    expect(text).toContain('Follow-ups are not tracked (no postmortem database is set).');
  });
});
