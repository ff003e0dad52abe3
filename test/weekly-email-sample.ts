import type { CiActivity } from '#shared/domain/ci-activity.ts';
import type { FollowUps } from '#shared/domain/follow-up-report.ts';
import type { FollowUp } from '#shared/domain/follow-ups.ts';
import { type IsoWeek, weekBounds } from '#shared/domain/iso-weeks.ts';
import { type SeverityCounts, weeklyReport } from '#shared/domain/weekly-metrics.ts';
import type { ReportCharts } from '#shared/domain/weekly-report-charts.ts';
import { WEEK_SUMMARY_VERSION, type WeekSummary } from '#shared/domain/weekly-trend.ts';
import { history, weeklySettings } from './weekly-builders.ts';

/** 2026-W47, Monday 16 to Sunday 22 November (UTC). */
export const SAMPLE_WEEK: IsoWeek = { year: 2026, week: 47 };

const MINUTE = 60_000;

const counts = (SEV1: number, SEV2: number, SEV3: number, SEV4: number, none = 0): SeverityCounts => ({
  total: SEV1 + SEV2 + SEV3 + SEV4 + none,
  bySeverity: { SEV1, SEV2, SEV3, SEV4, none },
});

/** A busy week as the board shows it: five incidents of every severity, one reopened, one still open. */
function sampleIncidents() {
  return [
    history('INC-101', '2026-11-16T10:00:00Z', {
      priority: 'Highest',
      summary: 'Checkout failing for card payments',
    })
      .created()
      .move('2026-11-16T10:06:00Z', 'Detected', 'Declared')
      .move('2026-11-16T10:20:00Z', 'Declared', 'Triaged')
      .move('2026-11-16T10:35:00Z', 'Triaged', 'Investigating')
      .move('2026-11-16T11:40:00Z', 'Investigating', 'Mitigating')
      .move('2026-11-16T12:10:00Z', 'Mitigating', 'Resolved')
      .fold(),
    history('INC-102', '2026-11-17T08:30:00Z', {
      priority: 'High',
      summary: 'Search results slow after the index rebuild',
      labels: ['caused-by-change'],
    })
      .created()
      .move('2026-11-17T08:41:00Z', 'Detected', 'Declared')
      .move('2026-11-17T09:05:00Z', 'Declared', 'Investigating')
      .move('2026-11-17T10:50:00Z', 'Investigating', 'Mitigating')
      .move('2026-11-17T13:15:00Z', 'Mitigating', 'Resolved')
      .fold(),
    history('INC-103', '2026-11-18T14:00:00Z', {
      priority: 'Medium',
      summary: 'Nightly export <job> timing out for large "EU" tenants',
    })
      .created()
      .move('2026-11-18T14:25:00Z', 'Detected', 'Declared')
      .move('2026-11-18T15:00:00Z', 'Declared', 'Investigating')
      .move('2026-11-19T09:00:00Z', 'Investigating', 'Resolved')
      .move('2026-11-19T11:00:00Z', 'Resolved', 'Investigating')
      .move('2026-11-19T16:30:00Z', 'Investigating', 'Resolved')
      .fold(),
    history('INC-104', '2026-11-19T09:00:00Z', {
      priority: 'Low',
      summary: 'Status emails show the wrong time zone',
    })
      .created()
      .move('2026-11-19T10:30:00Z', 'Detected', 'Declared')
      .move('2026-11-20T09:00:00Z', 'Declared', 'Resolved')
      .fold(),
    history('INC-105', '2026-11-21T22:10:00Z', {
      priority: 'High',
      summary: 'Webhook deliveries delayed in eu-west-1',
    })
      .created()
      .move('2026-11-21T22:18:00Z', 'Detected', 'Declared')
      .move('2026-11-21T22:40:00Z', 'Declared', 'Investigating')
      .fold(),
  ];
}

/** The seven weeks before, the most recent first, as stored summaries. */
const previousSummaries: WeekSummary[] = [
  [3, 3, 14, 95],
  [2, 2, 9, 160],
  [4, 3, 6, 120],
  [1, 1, 22, 300],
  [2, 2, 11, 140],
  [0, 0, null, null],
  [3, 2, 8, 180],
].map(([opened, resolved, mtta, mttr]) => ({
  version: WEEK_SUMMARY_VERSION,
  openedCount: opened ?? 0,
  resolvedCount: resolved ?? 0,
  mttaMedianMs: mtta === null || mtta === undefined ? null : mtta * MINUTE,
  mttrMedianMs: mttr === null || mttr === undefined ? null : mttr * MINUTE,
  changeFailureRate: null,
}));

const followUps: FollowUps = {
  kind: 'tracked',
  openedCount: 6,
  doneCount: 4,
  overdue: [
    { key: 'OPS-88', incidentKey: 'INC-91', owner: 'Priya Natarajan', daysOverdue: 16 },
    { key: 'OPS-93', incidentKey: 'INC-95', owner: 'Sam Okafor', daysOverdue: 5 },
    { key: 'OPS-97', incidentKey: 'INC-98', owner: 'Priya Natarajan', daysOverdue: 2 },
  ],
  escalated: [{ key: 'OPS-88', incidentKey: 'INC-91', owner: 'Priya Natarajan', daysOverdue: 16 }],
  withoutOwner: [{ key: 'OPS-110', incidentKey: 'INC-103' }],
  unwrittenPostmortems: [
    {
      incidentKey: 'INC-98',
      resolvedAtMs: Date.parse('2026-11-14T16:00:00Z'),
      resolvedOn: '2026-11-14',
      daysSinceResolution: 9,
      status: 'Draft',
    },
  ],
};

const ciStreak = (workflow: string, branch: string) => ({
  streakKey: `github:acme/storefront:${workflow}:${branch}`,
  generation: 3,
  repository: 'acme/storefront',
  workflow,
  branch,
});

/** CI in the sample week: two failing streaks, one green again, and a merged fix with a long title. */
const sampleCiActivity: readonly CiActivity[] = [
  { kind: 'failure-opened', ...ciStreak('Build and test', 'main'), atMs: Date.parse('2026-11-17T09:00:00Z') },
  {
    kind: 'green-again',
    ...ciStreak('Build and test', 'main'),
    failingSinceMs: Date.parse('2026-11-17T09:00:00Z'),
    atMs: Date.parse('2026-11-17T10:40:00Z'),
  },
  {
    kind: 'failure-opened',
    ...ciStreak('End-to-end', 'release/2026-11'),
    atMs: Date.parse('2026-11-20T15:00:00Z'),
  },
  {
    kind: 'fix-merged',
    incidentKey: 'INC-103',
    changeId: 'github:acme/storefront#812',
    title:
      'Retry the payment provider with a jittered backoff and surface its timeouts in the checkout dashboard',
    author: 'Priya Natarajan',
    url: 'https://github.com/acme/storefront/pull/812',
    atMs: Date.parse('2026-11-19T16:20:00Z'),
  },
];

/** The sample week's report, built by the real metrics from folded incidents. */
export function sampleReport() {
  return weeklyReport(
    {
      week: SAMPLE_WEEK,
      bounds: weekBounds(SAMPLE_WEEK, 'UTC'),
      incidents: sampleIncidents(),
      deployments: [
        { id: 'deploy-1', service: 'search', version: '4.2.0', atMs: Date.parse('2026-11-17T08:00:00Z') },
        { id: 'deploy-2', service: 'checkout', version: '9.1.3', atMs: Date.parse('2026-11-18T12:00:00Z') },
        { id: 'deploy-3', service: 'search', version: '4.2.1', atMs: Date.parse('2026-11-19T12:00:00Z') },
        { id: 'deploy-4', service: 'api', version: '2.0.7', atMs: Date.parse('2026-11-20T12:00:00Z') },
      ],
      ciActivity: sampleCiActivity,
      settings: weeklySettings(),
    },
    previousSummaries,
    followUps,
  );
}

/** The charts of the sample week: the earlier weeks by severity, and the follow-ups by owner. */
export function sampleCharts(): ReportCharts {
  const report = sampleReport();
  return {
    severityHistory: [
      { weekId: '2026-W40', opened: counts(0, 1, 1, 1) },
      { weekId: '2026-W41', opened: counts(0, 0, 0, 0) },
      { weekId: '2026-W42', opened: counts(0, 1, 1, 0) },
      { weekId: '2026-W43', opened: counts(0, 0, 1, 0) },
      { weekId: '2026-W44', opened: counts(1, 1, 1, 1) },
      { weekId: '2026-W45', opened: counts(0, 1, 0, 1) },
      { weekId: '2026-W46', opened: counts(0, 1, 1, 0, 1) },
      { weekId: report.weekId, opened: report.metrics.opened },
    ],
    followUpOwners: [
      { owner: 'Priya Natarajan', openedCount: 2, doneCount: 1, overdueCount: 2 },
      { owner: 'Sam Okafor', openedCount: 1, doneCount: 2, overdueCount: 1 },
      { owner: 'Lena Fischer', openedCount: 3, doneCount: 1, overdueCount: 0 },
    ],
  };
}

/** A follow-up ticket of the sample week, open unless told otherwise. */
export function sampleFollowUp(ticketKey: string, overrides: Partial<FollowUp> = {}): FollowUp {
  return {
    itemId: `item-${ticketKey}`,
    incidentIssueId: 'id-INC-101',
    incidentKey: 'INC-101',
    ticketKey,
    ticketUrl: `https://acme.atlassian.net/browse/${ticketKey}`,
    summary: `Fix ${ticketKey}`,
    assigneeAccountId: 'acc-1',
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
