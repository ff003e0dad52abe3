import type { CiActivity } from '#shared/domain/ci-activity.ts';
import type { Deployment } from '#shared/domain/deployments.ts';
import { type FollowUps, followUpReport } from '#shared/domain/follow-up-report.ts';
import { type IsoWeek, weekBounds } from '#shared/domain/iso-weeks.ts';
import type { IncidentState } from '#shared/domain/timeline.ts';
import type { PostmortemRecord, WeeklyMetricsInput } from '#shared/domain/weekly-metrics.ts';
import type { WeekSummary } from '#shared/domain/weekly-trend.ts';
import { settingsWith } from './builders.ts';
import { at, history } from './weekly-builders.ts';

/**
 * A week computed by hand: 2026-W47 in Europe/Berlin (CET, UTC+1, no daylight-saving change), from
 * Mon Nov 16 00:00 CET (Nov 15 23:00Z) to Mon Nov 23 00:00 CET (Nov 22 23:00Z). Times below are UTC.
 * The default board: Detected, Declared (acknowledges), Triaged, Investigating, Mitigating, Resolved
 * (resolves), Postmortem, Done. Priorities: Highest SEV1, High SEV2, Medium SEV3, Low SEV4.
 *
 * | key     | sev  | opened (UTC)    | acknowledged | resolved (final)     | TTA    | TTR                 | reopens |
 * | INC-101 | SEV1 | Mon 16 08:00    | 08:04        | Mon 16 10:00         | 4m     | 2h = 7,200 s        | 0       |
 * | INC-102 | SEV2 | Tue 17 13:00    | 13:10        | Tue 17 17:30         | 10m    | 4h 30m = 16,200 s   | 1       |
 * | INC-103 | SEV3 | Wed 18 09:00    | never        | Wed 18 09:30         | -      | 30m = 1,800 s       | 0       |
 * | INC-104 | SEV2 | Fri 13 16:00 W46| 16:20        | Mon 16 12:40         | 20m    | 68h 40m = 247,200 s | 0       |
 * | INC-105 | SEV4 | Fri 20 14:00    | 14:45        | still open           | 45m    | -                   | 0       |
 * | INC-106 | none | Sun 22 21:30    | never        | still open           | -      | -                   | 0       |
 * | INC-107 | SEV1 | Thu 19 20:00    | 20:02        | Fri 20 04:40         | 2m     | 8h 40m = 31,200 s   | 0       |
 * | INC-108 | SEV3 | Sat 21 07:00    | 07:15        | Sat 21 07:45:30      | 15m    | 45m 30s = 2,730 s   | 0       |
 * | INC-109 | SEV2 | Tue 17 10:00    | deleted in Jira Tue 17 11:00: only counted as deleted             |
 */
export const HAND_WEEK: IsoWeek = { year: 2026, week: 47 };
export const HAND_ZONE = 'Europe/Berlin';

export const handIncidents: readonly IncidentState[] = [
  history('INC-101', '2026-11-16T08:00:00Z', { priority: 'Highest', summary: 'Checkout payments failing' })
    .created()
    .move('2026-11-16T08:04:00Z', 'Detected', 'Declared')
    .move('2026-11-16T08:10:00Z', 'Declared', 'Triaged')
    .move('2026-11-16T08:30:00Z', 'Triaged', 'Investigating')
    .move('2026-11-16T09:30:00Z', 'Investigating', 'Mitigating')
    .move('2026-11-16T10:00:00Z', 'Mitigating', 'Resolved')
    .move('2026-11-18T10:00:00Z', 'Resolved', 'Postmortem')
    .fold(),
  history('INC-102', '2026-11-17T13:00:00Z', { priority: 'High', summary: 'Search results empty' })
    .created()
    .move('2026-11-17T13:10:00Z', 'Detected', 'Declared')
    .move('2026-11-17T13:20:00Z', 'Declared', 'Investigating')
    .move('2026-11-17T14:00:00Z', 'Investigating', 'Resolved')
    .move('2026-11-17T15:30:00Z', 'Resolved', 'Investigating')
    .move('2026-11-17T16:30:00Z', 'Investigating', 'Mitigating')
    .move('2026-11-17T17:30:00Z', 'Mitigating', 'Resolved')
    .fold(),
  history('INC-103', '2026-11-18T09:00:00Z', {
    priority: 'Medium',
    summary: 'Invoice emails delayed',
    labels: ['deploy-7'],
  })
    .created()
    .move('2026-11-18T09:30:00Z', 'Detected', 'Resolved')
    .fold(),
  history('INC-104', '2026-11-13T16:00:00Z', { priority: 'High', summary: 'Login timeouts in EU' })
    .created()
    .move('2026-11-13T16:20:00Z', 'Detected', 'Declared')
    .move('2026-11-14T10:00:00Z', 'Declared', 'Investigating')
    .move('2026-11-16T12:40:00Z', 'Investigating', 'Resolved')
    .move('2026-11-17T09:00:00Z', 'Resolved', 'Postmortem')
    .move('2026-11-18T15:00:00Z', 'Postmortem', 'Done')
    .fold(),
  history('INC-105', '2026-11-20T14:00:00Z', { priority: 'Low', summary: 'Report export slow' })
    .created()
    .move('2026-11-20T14:45:00Z', 'Detected', 'Declared')
    .move('2026-11-20T15:00:00Z', 'Declared', 'Investigating')
    .fold(),
  history('INC-106', '2026-11-22T21:30:00Z', { summary: 'Disk filling on batch host' }).created().fold(),
  history('INC-107', '2026-11-19T20:00:00Z', {
    priority: 'Highest',
    summary: 'Payments API 500s after release',
    labels: ['caused-by-change'],
  })
    .created()
    .move('2026-11-19T20:02:00Z', 'Detected', 'Declared')
    .move('2026-11-19T20:05:00Z', 'Declared', 'Mitigating')
    .move('2026-11-20T04:40:00Z', 'Mitigating', 'Resolved')
    .move('2026-11-20T10:00:00Z', 'Resolved', 'Postmortem')
    .fold(),
  history('INC-108', '2026-11-21T07:00:00Z', { priority: 'Medium', summary: 'Stale prices in cache' })
    .created()
    .move('2026-11-21T07:15:00Z', 'Detected', 'Declared')
    .move('2026-11-21T07:45:30Z', 'Declared', 'Resolved')
    .fold(),
  history('INC-109', '2026-11-17T10:00:00Z', { priority: 'High', summary: 'Duplicate of INC-102' })
    .created()
    .deleted('2026-11-17T11:00:00Z')
    .fold(),
];

const deployment = (id: string, iso: string): Deployment => ({
  id,
  service: 'shop',
  version: id,
  atMs: at(iso),
});

/** Four deployments in the week (deploy-6 is Sunday 23:30 CET of W46, deploy-11 Monday 00:00 CET of W48). */
export const handDeployments: readonly Deployment[] = [
  deployment('deploy-6', '2026-11-15T22:30:00Z'),
  deployment('deploy-7', '2026-11-18T08:30:00Z'),
  deployment('deploy-8', '2026-11-19T19:00:00Z'),
  deployment('deploy-9', '2026-11-20T09:00:00Z'),
  deployment('deploy-10', '2026-11-22T22:59:59Z'),
  deployment('deploy-11', '2026-11-22T23:00:00Z'),
];

const ciStreak = (workflow: string, generation = 1) => ({
  streakKey: `github:acme/shop:${workflow}:main`,
  generation,
  repository: 'acme/shop',
  workflow,
  branch: 'main',
});

/**
 * CI in the week: four failing streaks opened, three green again after 30m, 1h and 4h (median 1h);
 * fixes merged for INC-101 1h 30m after it opened and for INC-104 3d 16h 00m after (median 1d 20h 45m).
 */
export const handCiActivity: readonly CiActivity[] = [
  { kind: 'failure-opened', ...ciStreak('CI'), atMs: at('2026-11-16T09:00:00Z') },
  {
    kind: 'green-again',
    ...ciStreak('CI'),
    failingSinceMs: at('2026-11-16T09:00:00Z'),
    atMs: at('2026-11-16T09:30:00Z'),
  },
  { kind: 'failure-opened', ...ciStreak('E2E'), atMs: at('2026-11-17T10:00:00Z') },
  {
    kind: 'green-again',
    ...ciStreak('E2E'),
    failingSinceMs: at('2026-11-17T10:00:00Z'),
    atMs: at('2026-11-17T11:00:00Z'),
  },
  { kind: 'failure-opened', ...ciStreak('Lint'), atMs: at('2026-11-19T08:00:00Z') },
  {
    kind: 'green-again',
    ...ciStreak('Lint'),
    failingSinceMs: at('2026-11-19T08:00:00Z'),
    atMs: at('2026-11-19T12:00:00Z'),
  },
  { kind: 'failure-opened', ...ciStreak('CI', 2), atMs: at('2026-11-21T10:00:00Z') },
  {
    kind: 'fix-merged',
    incidentKey: 'INC-101',
    changeId: 'github:acme/shop#41',
    title: 'Retry payment provider timeouts',
    author: 'dana',
    url: 'https://github.com/acme/shop/pull/41',
    atMs: at('2026-11-16T09:30:00Z'),
  },
  {
    kind: 'fix-merged',
    incidentKey: 'INC-104',
    changeId: 'github:acme/shop#44',
    title: 'Raise the EU login pool',
    author: null,
    url: 'https://github.com/acme/shop/pull/44',
    atMs: at('2026-11-17T08:00:00Z'),
  },
];

/** Written postmortems by issue id, with the page's Status where the sync follows it. */
export const handPostmortems: ReadonlyMap<string, PostmortemRecord> = new Map([
  ['id-INC-101', { status: 'Draft' }],
  ['id-INC-102', { status: 'In review' }],
  // Closed: no longer followed, so its Status is not known.
  ['id-INC-104', { status: null }],
  ['id-INC-107', { status: 'Draft' }],
]);

const board = settingsWith().board;

/** The week's input, counted to its end unless `asOfMs` says otherwise. */
export function handWeekInput(asOfMs?: number): WeeklyMetricsInput {
  return {
    week: HAND_WEEK,
    bounds: weekBounds(HAND_WEEK, HAND_ZONE),
    ...(asOfMs === undefined ? {} : { asOfMs }),
    incidents: handIncidents,
    deployments: handDeployments,
    postmortems: handPostmortems,
    ciActivity: handCiActivity,
    settings: {
      changeLabel: 'caused-by-change',
      resolveStage: board.resolveStage,
      statuses: board.statuses,
      timeZone: HAND_ZONE,
    },
  };
}

/** The week in progress, made Thu Nov 19 12:00Z (13:00 CET): only the incidents opened by then exist. */
export function handWeekSoFarInput(): WeeklyMetricsInput {
  const asOfMs = at('2026-11-19T12:00:00Z');
  return { ...handWeekInput(asOfMs), incidents: handIncidents.filter((i) => i.openedAtMs < asOfMs) };
}

const noIncidents: WeekSummary = {
  version: 2,
  openedCount: 0,
  resolvedCount: 0,
  mttaMedianMs: null,
  mttrMedianMs: null,
  changeFailureRate: null,
};

/** The four weeks before, the most recent first: one incident in W46 (MTTA 5m, MTTR 2h), none in W43-W45. */
export const HAND_WEEKS_BEFORE: readonly WeekSummary[] = [
  { ...noIncidents, openedCount: 1, resolvedCount: 1, mttaMedianMs: 5 * 60_000, mttrMedianMs: 120 * 60_000 },
  noIncidents,
  noIncidents,
  noIncidents,
];

function handState(key: string): IncidentState {
  const state = handIncidents.find((incident) => incident.key === key);
  if (!state) throw new Error(`${key} is not an incident of the hand-computed week`);
  return state;
}

/** The week's follow-ups as a report made Wed Nov 25 10:00Z sees them: three postmortems not published. */
export function handFollowUps(): FollowUps {
  return followUpReport({
    bounds: weekBounds(HAND_WEEK, HAND_ZONE),
    nowMs: at('2026-11-25T10:00:00Z'),
    timeZone: HAND_ZONE,
    openedInWeek: [],
    doneInWeek: [],
    open: [],
    postmortems: [
      { state: handState('INC-101'), status: handPostmortems.get('id-INC-101')?.status ?? null },
      { state: handState('INC-102'), status: 'In review' },
      { state: handState('INC-107'), status: 'Draft' },
    ],
    escalateAfterDays: 14,
    unwrittenPostmortemDays: 5,
  });
}
