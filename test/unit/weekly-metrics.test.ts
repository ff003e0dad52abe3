import { describe, expect, it } from 'vitest';
import type { Deployment } from '#shared/domain/deployments.ts';
import { weekBounds } from '#shared/domain/iso-weeks.ts';
import type { IncidentState } from '#shared/domain/timeline.ts';
import {
  DEFAULT_CHANGE_LABEL,
  durationStats,
  PERCENT_CHANGE_MIN_INCIDENTS,
  trend,
  weeklyMetrics,
  weeklyReport,
  weekSummary,
} from '#shared/domain/weekly-metrics.ts';
import type { WeekSummary } from '#shared/domain/weekly-trend.ts';
import { at, history, weeklySettings } from '../weekly-builders.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const ZONE = 'Europe/Berlin';
// 2026-W43 in Berlin: Mon Oct 19 00:00 CEST (Oct 18 22:00Z) to Mon Oct 26 00:00 CET (Oct 25 23:00Z);
// clocks go back on Sunday Oct 25 at 03:00 CEST, so the week lasts 169 hours.
const W43 = { year: 2026, week: 43 };
const W44 = { year: 2026, week: 44 };
const settings = weeklySettings(ZONE, DEFAULT_CHANGE_LABEL);

// Priorities map to severities: Highest SEV1, High SEV2, Medium SEV3, Low SEV4; none: no severity.
const incidents: IncidentState[] = [
  // Opened and resolved in the week: TTA 5m, TTR 2h.
  history('INC-1', '2026-10-20T10:00:00Z', { priority: 'High' })
    .created()
    .move('2026-10-20T10:05:00Z', 'Detected', 'Declared')
    .move('2026-10-20T10:15:00Z', 'Declared', 'Triaged')
    .move('2026-10-20T10:30:00Z', 'Triaged', 'Investigating')
    .move('2026-10-20T11:00:00Z', 'Investigating', 'Mitigating')
    .move('2026-10-20T12:00:00Z', 'Mitigating', 'Resolved')
    .fold(),
  // Across the DST change: 02:30 CEST to 04:30 CET is 3 real hours, not 2. TTA 10m, TTR 3h.
  history('INC-2', '2026-10-25T00:30:00Z', { priority: 'Highest' })
    .created()
    .move('2026-10-25T00:40:00Z', 'Detected', 'Declared')
    .move('2026-10-25T00:50:00Z', 'Declared', 'Triaged')
    .move('2026-10-25T01:30:00Z', 'Triaged', 'Investigating')
    .move('2026-10-25T03:30:00Z', 'Investigating', 'Resolved')
    .fold(),
  // Resolved in W43, reopened on Monday of W44 and finally resolved then: counts as resolved in W44 only.
  history('INC-3', '2026-10-22T08:00:00Z', { priority: 'Medium' })
    .created()
    .move('2026-10-22T08:20:00Z', 'Detected', 'Declared')
    .move('2026-10-22T09:00:00Z', 'Declared', 'Investigating')
    .move('2026-10-22T10:00:00Z', 'Investigating', 'Resolved')
    .move('2026-10-26T07:00:00Z', 'Resolved', 'Investigating')
    .move('2026-10-26T09:00:00Z', 'Investigating', 'Resolved')
    .fold(),
  // Spans two weeks: opened Friday of W42, resolved Monday of W43. TTA 30m, TTR 58h.
  history('INC-4', '2026-10-16T20:00:00Z', { priority: 'Low' })
    .created()
    .move('2026-10-16T20:30:00Z', 'Detected', 'Declared')
    .move('2026-10-17T09:00:00Z', 'Declared', 'Investigating')
    .move('2026-10-19T06:00:00Z', 'Investigating', 'Resolved')
    .fold(),
  // Deleted in Jira: counted nowhere but in deletedCount.
  history('INC-5', '2026-10-21T12:00:00Z', { priority: 'High' })
    .created()
    .deleted('2026-10-21T13:00:00Z')
    .fold(),
  // SEV3 raised to SEV1 mid-incident: counts as SEV1. Caused by a change. TTA 5m, TTR 1h 30m.
  history('INC-6', '2026-10-23T14:00:00Z', { priority: 'Medium', labels: ['Caused-By-Change'] })
    .created()
    .move('2026-10-23T14:05:00Z', 'Detected', 'Declared')
    .priority('2026-10-23T14:10:00Z', 'Highest')
    .move('2026-10-23T14:20:00Z', 'Declared', 'Triaged')
    .move('2026-10-23T14:50:00Z', 'Triaged', 'Mitigating')
    .move('2026-10-23T15:30:00Z', 'Mitigating', 'Resolved')
    .fold(),
  // Never acknowledged (straight to Resolved), no severity, linked to deployment deploy-42. TTR 45m.
  history('INC-7', '2026-10-21T09:00:00Z', { labels: ['deploy-42'] })
    .created()
    .move('2026-10-21T09:45:00Z', 'Detected', 'Resolved')
    .fold(),
  // Opened on Sunday evening, still open.
  history('INC-8', '2026-10-25T20:00:00Z', { priority: 'High' })
    .created()
    .move('2026-10-25T20:10:00Z', 'Detected', 'Declared')
    .fold(),
  // Opened and resolved in W42: not a candidate of W43, ignored.
  history('INC-9', '2026-10-12T10:00:00Z', { priority: 'High' })
    .created()
    .move('2026-10-12T10:30:00Z', 'Detected', 'Resolved')
    .fold(),
];

const deployment = (id: string, iso: string): Deployment => ({
  id,
  service: 'checkout',
  version: id,
  atMs: at(iso),
});
const deployments = [
  deployment('deploy-41', '2026-10-19T12:00:00Z'),
  deployment('deploy-42', '2026-10-21T08:30:00Z'),
  deployment('deploy-43', '2026-10-23T13:00:00Z'),
  deployment('deploy-44', '2026-10-25T22:59:00Z'),
  // Monday 00:00 CET of W44: outside W43.
  deployment('deploy-45', '2026-10-25T23:00:00Z'),
];

const w43 = weeklyMetrics({ week: W43, bounds: weekBounds(W43, ZONE), incidents, deployments, settings });
const w44 = weeklyMetrics({ week: W44, bounds: weekBounds(W44, ZONE), incidents, deployments, settings });

describe('weeklyMetrics, golden week 2026-W43 in Europe/Berlin', () => {
  it('counts opened, resolved and still open incidents by final severity', () => {
    const { opened, resolved, stillOpen } = w43;

    // Opened: INC-1 SEV2, INC-2 SEV1, INC-3 SEV3, INC-6 SEV1 (raised from SEV3), INC-7 none, INC-8 SEV2.
    expect(opened).toEqual({ total: 6, bySeverity: { SEV1: 2, SEV2: 2, SEV3: 1, SEV4: 0, none: 1 } });
    // Resolved: INC-1 SEV2, INC-2 SEV1, INC-4 SEV4, INC-6 SEV1, INC-7 none; INC-3's final resolution is in W44.
    expect(resolved).toEqual({ total: 5, bySeverity: { SEV1: 2, SEV2: 1, SEV3: 0, SEV4: 1, none: 1 } });
    // Still open: INC-3 (finally resolved after the week) SEV3, INC-8 SEV2.
    expect(stillOpen).toEqual({ total: 2, bySeverity: { SEV1: 0, SEV2: 1, SEV3: 1, SEV4: 0, none: 0 } });
  });

  it('times acknowledgement over the resolved incidents, leaving out the one never acknowledged', () => {
    const { timeToAcknowledge } = w43;

    // INC-1 5m, INC-2 10m, INC-4 30m, INC-6 5m; sorted 5, 5, 10, 30.
    expect(timeToAcknowledge).toEqual({
      stats: {
        count: 4,
        medianMs: 7.5 * MIN, // h = 1.5 -> (5 + 10) / 2 = 7m 30s
        meanMs: 12.5 * MIN, // (5 + 5 + 10 + 30) / 4 = 12m 30s
        p90Ms: 24 * MIN, // h = 2.7 -> 10 + 0.7 × 20 = 24m
        worst: { key: 'INC-4', ms: 30 * MIN },
      },
      leftOut: [
        { key: 'INC-3', reason: 'still-open' },
        { key: 'INC-7', reason: 'never-acknowledged' },
        { key: 'INC-8', reason: 'still-open' },
      ],
      leftOutKeys: ['INC-3', 'INC-7', 'INC-8'],
    });
  });

  it('times resolution over the resolved incidents, the one spanning the DST change at 3 real hours', () => {
    const { timeToResolve } = w43;

    // INC-7 45m, INC-6 1h 30m, INC-1 2h, INC-2 3h, INC-4 58h.
    expect(timeToResolve).toEqual({
      stats: {
        count: 5,
        medianMs: 2 * HOUR, // h = 2 -> 2h
        meanMs: 783 * MIN, // (45 + 90 + 120 + 180 + 3480) / 5 = 783m = 13h 03m
        p90Ms: 36 * HOUR, // h = 3.6 -> 180 + 0.6 × 3300 = 2160m
        worst: { key: 'INC-4', ms: 58 * HOUR },
      },
      // Opened in the week and not finally resolved by its end: listed, as the text lists them.
      leftOut: [
        { key: 'INC-3', reason: 'still-open' },
        { key: 'INC-8', reason: 'still-open' },
      ],
      leftOutKeys: ['INC-3', 'INC-8'],
    });
  });

  it('takes the median time per status over the resolved incidents, open visits to the week’s end', () => {
    const { stageTimes } = w43;

    // Open visits to Resolved run to Oct 25 23:00Z: INC-1 131h, INC-2 19h 30m, INC-4 161h,
    // INC-6 55h 30m, INC-7 109h 15m.
    expect(stageTimes.map(({ status, count, medianMs }) => [status, count, medianMs])).toEqual([
      // INC-1 5, INC-2 10, INC-4 30, INC-6 5, INC-7 45 -> 5, 5, 10, 30, 45: h = 2 -> 10m.
      ['Detected', 5, 10 * MIN],
      // INC-1 10, INC-2 10, INC-4 750, INC-6 15 -> 10, 10, 15, 750: h = 1.5 -> 12m 30s.
      ['Declared', 4, 12.5 * MIN],
      // INC-1 15, INC-2 40, INC-6 30 -> 15, 30, 40: 30m.
      ['Triaged', 3, 30 * MIN],
      // INC-1 30, INC-2 120, INC-4 2700 -> 120m.
      ['Investigating', 3, 120 * MIN],
      // INC-1 60, INC-6 40 -> (40 + 60) / 2 = 50m.
      ['Mitigating', 2, 50 * MIN],
      // 1170, 3330, 6555, 7860, 9660 -> 6555m = 109h 15m.
      ['Resolved', 5, 6555 * MIN],
    ]);
  });

  it('rates change failures as incidents opened by a change over the week’s deployments', () => {
    const { changeFailureRate } = w43;

    // INC-6 by label (any case), INC-7 by naming deploy-42; deploy-41..44 in the week, deploy-45 not.
    expect(changeFailureRate).toEqual({
      kind: 'measured',
      rate: 0.5,
      deploymentCount: 4,
      causedKeys: ['INC-6', 'INC-7'],
    });
  });

  it('leaves the deleted incident out of everything but its count', () => {
    const keys = w43.incidents.map((incident) => incident.key);

    expect(w43.deletedCount).toBe(1);
    expect(keys).toEqual(['INC-1', 'INC-2', 'INC-3', 'INC-4', 'INC-6', 'INC-7', 'INC-8']);
  });

  it('lists the incident with doubtful numbers with every reason', () => {
    const { dataQuality } = w43;

    expect(dataQuality).toEqual([
      {
        key: 'INC-7',
        reasons: [
          { kind: 'skipped-declaration' },
          { kind: 'no-severity' },
          { kind: 'resolved-unacknowledged' },
        ],
      },
    ]);
  });

  it('lists no reopened incident when the reopened one is finally resolved the next week', () => {
    const { reopened } = w43;

    expect(reopened).toEqual([]);
  });
});

describe('weeklyMetrics, 2026-W44: the week of the reopened incident’s final resolution', () => {
  it('counts the reopened incident once, as resolved, with its reopen count', () => {
    const { opened, resolved, reopened } = w44;

    expect(opened.total).toBe(0);
    expect(resolved).toEqual({ total: 1, bySeverity: { SEV1: 0, SEV2: 0, SEV3: 1, SEV4: 0, none: 0 } });
    expect(reopened).toEqual([{ key: 'INC-3', reopenCount: 1 }]);
  });

  it('times it from its opening to its final resolution', () => {
    const { timeToAcknowledge, timeToResolve } = w44;

    expect(timeToAcknowledge.stats?.medianMs).toBe(20 * MIN); // 08:00 -> 08:20
    expect(timeToResolve.stats?.medianMs).toBe(97 * HOUR); // Oct 22 08:00Z -> Oct 26 09:00Z = 4d 1h
  });

  it('sums its repeat visits to a stage', () => {
    const { stageTimes } = w44;

    expect(stageTimes.map(({ label, count, medianMs }) => [label, count, medianMs])).toEqual([
      ['Detected (detection)', 1, 20 * MIN],
      ['Declared (declaration)', 1, 40 * MIN],
      ['Investigating (diagnosis)', 1, 3 * HOUR], // 1h in W43 + 2h after the reopen
      // Oct 22 10:00Z -> Oct 26 07:00Z = 93h, then Oct 26 09:00Z to the week's end Nov 1 23:00Z = 158h.
      ['Resolved (resolution)', 1, 251 * HOUR],
    ]);
  });

  it('says n/a, not 0%, for the change failure rate of a week with no deployments', () => {
    const metrics = weeklyMetrics({
      week: W44,
      bounds: weekBounds(W44, ZONE),
      incidents,
      deployments: [],
      settings,
    });

    expect(metrics.changeFailureRate).toEqual({ kind: 'no-deployments', causedKeys: [] });
  });
});

describe('weeklyMetrics data quality', () => {
  const bounds = weekBounds(W43, ZONE);
  const listed = (state: IncidentState) =>
    weeklyMetrics({ week: W43, bounds, incidents: [state], deployments: [], settings }).dataQuality;

  it.each([
    [
      'a visit longer than 90 days',
      history('INC-20', '2026-07-01T10:00:00Z', { priority: 'High' })
        .created()
        .move('2026-07-01T10:05:00Z', 'Detected', 'Declared')
        .move('2026-10-20T10:00:00Z', 'Declared', 'Resolved')
        .fold(),
      // Jul 1 10:05Z -> Oct 20 10:00Z = 110d 23h 55m.
      [
        {
          kind: 'implausible-stage-time',
          stage: 'declaration',
          durationMs: at('2026-10-20T10:00:00Z') - at('2026-07-01T10:05:00Z'),
        },
      ],
    ],
    [
      'a negative visit from a change dated before the issue was created',
      history('INC-21', '2026-10-20T10:00:00Z', { priority: 'High' })
        .created()
        .move('2026-10-20T09:00:00Z', 'Detected', 'Declared')
        .move('2026-10-20T11:00:00Z', 'Declared', 'Triaged')
        .fold(),
      [{ kind: 'implausible-stage-time', stage: 'detection', durationMs: -60 * MIN }],
    ],
    [
      'a clean incident',
      history('INC-22', '2026-10-20T10:00:00Z', { priority: 'High' })
        .created()
        .move('2026-10-20T10:05:00Z', 'Detected', 'Declared')
        .fold(),
      [],
    ],
  ])('lists %s', (_name, state, reasons) => {
    const issues = listed(state);

    expect(issues.flatMap((issue) => issue.reasons)).toEqual(reasons);
  });
});

describe('durationStats', () => {
  it('rounds the mean to the ms and breaks a tie for the worst by key', () => {
    const entries = [
      { key: 'INC-10', ms: 5 },
      { key: 'INC-9', ms: 5 },
      { key: 'INC-2', ms: 1 },
    ];

    const stats = durationStats(entries);

    expect(stats).toEqual({ count: 3, medianMs: 5, meanMs: 4, p90Ms: 5, worst: { key: 'INC-9', ms: 5 } });
  });

  it('has no stats for no durations', () => {
    const stats = durationStats([]);

    expect(stats).toBeNull();
  });
});

describe('trend', () => {
  const summary = (overrides: Partial<WeekSummary> = {}): WeekSummary => ({
    version: 2,
    openedCount: 0,
    resolvedCount: PERCENT_CHANGE_MIN_INCIDENTS,
    mttaMedianMs: null,
    mttrMedianMs: null,
    changeFailureRate: null,
    ...overrides,
  });

  it.each([
    // (4 + 2 + 6) / 3 = 4 over the weeks with a value; the fifth week back is not averaged. 6 vs 4: +50%.
    [6, [4, null, 2, 6, 100], 4, 3, 50, 'up'],
    // 3 vs 4: -25%.
    [3, [4, 4, 4, 4], 4, 4, -25, 'down'],
    // 4.01 vs 4 rounds to 0%.
    [4.01, [4], 4, 1, 0, 'flat'],
    // From a baseline of 0 any rise is up, with no percent.
    [2, [0, 0], 0, 2, null, 'up'],
    [0, [0], 0, 1, 0, 'flat'],
    [5, [null, null], null, 0, null, 'n/a'],
    [5, [], null, 0, null, 'n/a'],
    [null, [3], 3, 1, null, 'n/a'],
  ])(
    'compares %j with %j: baseline %j over %i weeks, %j%, %s',
    (current, before, baseline, weeks, percent, direction) => {
      const previous = before.map((value) => (value === null ? null : summary({ mttrMedianMs: value })));

      const [, , , mttr] = trend(summary({ mttrMedianMs: current }), previous);

      expect(mttr).toMatchObject({
        figure: 'mttrMedianMs',
        current,
        baseline,
        baselineWeekCount: weeks,
        changePercent: percent,
        direction,
      });
    },
  );

  it('keeps eight weeks of history, the oldest first and this week last', () => {
    const previous = [7, 6, 5, 4, 3, 2, 1, 0, -1].map((opened) => summary({ openedCount: opened }));

    const [opened] = trend(summary({ openedCount: 8 }), [previous[0] ?? null, null, ...previous.slice(2)]);

    expect(opened?.history).toEqual([1, 2, 3, 4, 5, null, 7, 8]);
  });

  it.each([
    // The issue's example: 4 against (0 + 1 + 0 + 0) / 4 = 0.25 a week would be +1500%; under 10, no percent.
    ['opened', 4, [0, 1, 0, 0], 0.25, null],
    // (9 + 10 + 11 + 10) / 4 = 10 a week: 12 is +20%.
    ['opened', 12, [9, 10, 11, 10], 10, 20],
    ['opened', 12, [9, 10, 11, 9], 9.75, null],
  ])('gives %s %j against %j (average %j) a percent of %j', (_figure, current, before, baseline, percent) => {
    const previous = before.map((opened) => summary({ openedCount: opened }));

    const [opened] = trend(summary({ openedCount: current }), previous);

    expect(opened).toMatchObject({ baseline, changePercent: percent, direction: 'up' });
  });

  it('gives MTTR a percent only where the weeks averaged resolved 10 incidents a week or more', () => {
    const few = [summary({ mttrMedianMs: 60 * MIN, resolvedCount: 2 })];
    const many = [summary({ mttrMedianMs: 60 * MIN, resolvedCount: 12 })];

    const [, , , fromFew] = trend(summary({ mttrMedianMs: 90 * MIN }), few);
    const [, , , fromMany] = trend(summary({ mttrMedianMs: 90 * MIN }), many);

    expect([fromFew?.changePercent, fromMany?.changePercent]).toEqual([null, 50]);
  });

  it('never gives the change failure rate in percent of itself', () => {
    const previous = [summary({ changeFailureRate: 0.1, openedCount: 50 })];

    const [, , , , rate] = trend(summary({ changeFailureRate: 0.2 }), previous);

    expect(rate).toMatchObject({ baseline: 0.1, changePercent: null, direction: 'up' });
  });
});

describe('weekSummary and weeklyReport', () => {
  it('sums up the week’s headline figures', () => {
    const summary = weekSummary(w43);

    expect(summary).toEqual({
      version: 2,
      openedCount: 6,
      resolvedCount: 5,
      mttaMedianMs: 7.5 * MIN,
      mttrMedianMs: 2 * HOUR,
      changeFailureRate: 0.5,
    });
  });

  it('builds the report with its label, summary and trend', () => {
    const input = { week: W43, bounds: weekBounds(W43, ZONE), incidents, deployments, settings };

    const report = weeklyReport(input, [null, null, null, null]);

    expect(report).toMatchObject({
      weekId: '2026-W43',
      label: 'week 43 (Oct 19-25)',
      followUps: { kind: 'not-tracked' },
    });
    expect(report.summary).toEqual(weekSummary(w43));
    expect(report.trend.map((figure) => figure.direction)).toEqual(['n/a', 'n/a', 'n/a', 'n/a', 'n/a']);
  });
});
