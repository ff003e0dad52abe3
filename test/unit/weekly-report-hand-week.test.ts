import { describe, expect, it } from 'vitest';
import { weeklyMetrics, weeklyReport } from '#shared/domain/weekly-metrics.ts';
import { renderReportMarkdown, renderReportText, reportSubject } from '#shared/domain/weekly-report-text.ts';
import { HAND_WEEKS_BEFORE, handFollowUps, handWeekInput, handWeekSoFarInput } from '../hand-week.ts';
import { at } from '../weekly-builders.ts';

// Every figure below was computed by hand from the table in test/hand-week.ts (seconds, UTC).
const S = 1000;
const MIN = 60 * S;

const metrics = weeklyMetrics(handWeekInput());

describe('the hand-computed week 2026-W47 (Europe/Berlin)', () => {
  it('counts opened, resolved and still open by final severity', () => {
    const { opened, resolved, stillOpen, deletedCount } = metrics;

    // Opened in the week: 101 SEV1, 102 SEV2, 103 SEV3, 105 SEV4, 106 none, 107 SEV1, 108 SEV3 (104 is W46's).
    expect(opened).toEqual({ total: 7, bySeverity: { SEV1: 2, SEV2: 1, SEV3: 2, SEV4: 1, none: 1 } });
    // Resolved: 101 SEV1, 102 SEV2, 103 SEV3, 104 SEV2, 107 SEV1, 108 SEV3.
    expect(resolved).toEqual({ total: 6, bySeverity: { SEV1: 2, SEV2: 2, SEV3: 2, SEV4: 0, none: 0 } });
    expect(stillOpen).toEqual({ total: 2, bySeverity: { SEV1: 0, SEV2: 0, SEV3: 0, SEV4: 1, none: 1 } });
    expect(deletedCount).toBe(1);
  });

  it('takes MTTA over the resolved incidents acknowledged before resolving, by interpolated percentiles', () => {
    const { timeToAcknowledge } = metrics;

    // 107 120 s, 101 240, 102 600, 108 900, 104 1,200 (n = 5): median h = 2 -> 600 s = 10m;
    // p90 h = 3.6 -> 900 + 0.6 × 300 = 1,080 s = 18m; mean 3,060 / 5 = 612 s = 10m 12s, written "10m".
    expect(timeToAcknowledge).toEqual({
      stats: {
        count: 5,
        medianMs: 600 * S,
        meanMs: 612 * S,
        p90Ms: 1080 * S,
        worst: { key: 'INC-104', ms: 20 * MIN },
      },
      leftOut: [
        { key: 'INC-103', reason: 'never-acknowledged' },
        { key: 'INC-105', reason: 'still-open' },
        { key: 'INC-106', reason: 'still-open' },
      ],
      leftOutKeys: ['INC-103', 'INC-105', 'INC-106'],
    });
  });

  it('takes MTTR over the resolved incidents, listing the still open ones as left out', () => {
    const { timeToResolve } = metrics;

    // 103 1,800 s, 108 2,730, 101 7,200, 102 16,200, 107 31,200, 104 247,200 (n = 6):
    // median h = 2.5 -> (7,200 + 16,200) / 2 = 11,700 s = 3h 15m;
    // p90 h = 4.5 -> 31,200 + 0.5 × 216,000 = 139,200 s = 38h 40m = 1d 14h 40m;
    // mean 306,330 / 6 = 51,055 s = 14h 10m 55s, written "14h 11m".
    expect(timeToResolve).toEqual({
      stats: {
        count: 6,
        medianMs: 11_700 * S,
        meanMs: 51_055 * S,
        p90Ms: 139_200 * S,
        worst: { key: 'INC-104', ms: 247_200 * S },
      },
      leftOut: [
        { key: 'INC-105', reason: 'still-open' },
        { key: 'INC-106', reason: 'still-open' },
      ],
      leftOutKeys: ['INC-105', 'INC-106'],
    });
  });

  it('lists time in stage under the board’s statuses, an open visit counted to the week’s end', () => {
    const { stageTimes } = metrics;

    // Over the six resolved incidents, to Nov 22 23:00Z; 104's open visit to Done (closed) counts nothing.
    expect(stageTimes).toEqual([
      // 107 120, 101 240, 102 600, 108 900, 104 1,200, 103 1,800 -> (600 + 900) / 2 = 750 s = 12m 30s -> "13m".
      { label: 'Detected (detection)', status: 'Detected', stage: 'detection', count: 6, medianMs: 750 * S },
      // 107 180, 101 360, 102 600, 108 1,830, 104 63,600 -> 600 s.
      {
        label: 'Declared (declaration)',
        status: 'Declared',
        stage: 'declaration',
        count: 5,
        medianMs: 600 * S,
      },
      // 101 only: 20m.
      {
        label: 'Triaged (categorization)',
        status: 'Triaged',
        stage: 'categorization',
        count: 1,
        medianMs: 20 * MIN,
      },
      // 101 60m, 102 40m + 60m after the reopen = 100m, 104 50h 40m -> 100m.
      {
        label: 'Investigating (diagnosis)',
        status: 'Investigating',
        stage: 'diagnosis',
        count: 3,
        medianMs: 100 * MIN,
      },
      // 101 30m, 102 60m, 107 8h 35m -> 60m.
      {
        label: 'Mitigating (mitigation)',
        status: 'Mitigating',
        stage: 'mitigation',
        count: 3,
        medianMs: 60 * MIN,
      },
      // 107 19,200 (5h 20m), 104 73,200 (20h 20m), 108 141,270 (to the end), 101 172,800 (48h),
      // 103 394,200 (to the end), 102 5,400 + 451,800 = 457,200 -> (141,270 + 172,800) / 2 = 157,035 s
      // = 43h 37m 15s, written "1d 19h 37m".
      {
        label: 'Resolved (resolution)',
        status: 'Resolved',
        stage: 'resolution',
        count: 6,
        medianMs: 157_035 * S,
      },
      // 104 30h (finished), 107 61h and 101 109h (both to the end) -> 61h = 219,600 s.
      {
        label: 'Postmortem (analysis)',
        status: 'Postmortem',
        stage: 'analysis',
        count: 3,
        medianMs: 219_600 * S,
      },
    ]);
  });

  it('rates change failures as the two incidents caused by a change over the four deployments', () => {
    const { changeFailureRate } = metrics;

    // 103 names deploy-7, 107 carries the label; deploy-7..10 are in the week, 6 and 11 are not.
    expect(changeFailureRate).toEqual({
      kind: 'measured',
      rate: 0.5,
      deploymentCount: 4,
      causedKeys: ['INC-103', 'INC-107'],
    });
  });

  it('lists every incident of the week with its times, reopens and postmortem', () => {
    const rows = metrics.incidents.map((incident) => [
      incident.key,
      incident.openedAt,
      incident.timeToAcknowledgeMs,
      incident.timeToResolveMs,
      incident.reopenCount,
      incident.postmortem,
    ]);

    expect(rows).toEqual([
      ['INC-101', 'Nov 16 09:00', 4 * MIN, 7200 * S, 0, { kind: 'written', status: 'Draft' }],
      ['INC-102', 'Nov 17 14:00', 10 * MIN, 16_200 * S, 1, { kind: 'written', status: 'In review' }],
      // Resolved without ever being acknowledged: no time to acknowledge, as MTTA leaves it out.
      ['INC-103', 'Nov 18 10:00', null, 1800 * S, 0, { kind: 'not-written' }],
      ['INC-104', 'Nov 13 17:00', 20 * MIN, 247_200 * S, 0, { kind: 'written', status: null }],
      ['INC-105', 'Nov 20 15:00', 45 * MIN, null, 0, { kind: 'not-due' }],
      ['INC-106', 'Nov 22 22:30', null, null, 0, { kind: 'not-due' }],
      ['INC-107', 'Nov 19 21:00', 2 * MIN, 31_200 * S, 0, { kind: 'written', status: 'Draft' }],
      ['INC-108', 'Nov 21 08:00', 15 * MIN, 2730 * S, 0, { kind: 'not-written' }],
    ]);
  });
});

describe('the hand-computed week as the email reads it', () => {
  const report = weeklyReport(handWeekInput(), HAND_WEEKS_BEFORE);

  it('writes the subject with MTTR against its small baseline as values, not percent', () => {
    const subject = reportSubject(report);

    expect(subject).toBe('Incidents, week 47 (Nov 16-22): 7 opened, MTTR 3h 15m (4-week average 2h 00m)');
  });

  it('writes every figure in the text as computed by hand', () => {
    const text = renderReportText(report);

    // Trend: opened 7 vs (1 + 0 + 0 + 0) / 4 = 0.25 -> "0.3"; 0.25 incidents a week is under 10, so no
    // percent (it would be +2700%). MTTA and MTTR: the only week with a value is W46.
    // Sparklines scale 0..max over 8 bars: opened 1/7 × 7 = 1 -> ▂; MTTA 5/10 × 7 = 3.5 -> 4 ▅;
    // MTTR 120/195 × 7 = 4.3 -> 4 ▅; resolved 1/6 × 7 = 1.2 -> 1 ▂.
    expect(text).toBe(`Incidents, week 47 (Nov 16-22), 2026-W47

7 opened, 6 resolved, 2 still open
MTTA 10m, MTTR 3h 15m (medians)
Left out: 1 incident deleted in Jira.

Incidents (opened: Europe/Berlin time)
Key      Sev   Opened        Ack     Resolve  Reopens  Postmortem
INC-101  SEV1  Nov 16 09:00   4m      2h 00m        0  Draft
         Checkout payments failing
INC-102  SEV2  Nov 17 14:00  10m      4h 30m        1  In review
         Search results empty
INC-103  SEV3  Nov 18 10:00    -         30m        0  not written
         Invoice emails delayed
INC-104  SEV2  Nov 13 17:00  20m  2d 20h 40m        0  written
         Login timeouts in EU
INC-105  SEV4  Nov 20 15:00  45m        open        0  -
         Report export slow
INC-106  -     Nov 22 22:30    -        open        0  -
         Disk filling on batch host
INC-107  SEV1  Nov 19 21:00   2m      8h 40m        0  Draft
         Payments API 500s after release
INC-108  SEV3  Nov 21 08:00  15m         46m        0  not written
         Stale prices in cache

By severity (final severity)
Severity     Opened  Resolved  Still open
SEV1              2         2           0
SEV2              1         2           0
SEV3              2         2           0
SEV4              1         0           1
No severity       1         0           1
Total             7         6           2

Time to acknowledge and resolve (incidents resolved this week)
             Count  Median     Mean         p90  Worst
Acknowledge      5     10m      10m         18m  20m INC-104
Resolve          6  3h 15m  14h 11m  1d 14h 40m  2d 20h 40m INC-104
MTTA leaves out 3 incidents: INC-103 (never acknowledged), INC-105
    (still open), INC-106 (still open).
MTTR leaves out 2 incidents: INC-105 (still open), INC-106 (still open).

Time in stage (median, incidents resolved this week)
Status (stage)             Incidents      Median
Detected (detection)               6         13m
Declared (declaration)             5         10m
Triaged (categorization)           1         20m
Investigating (diagnosis)          3      1h 40m
Mitigating (mitigation)            3      1h 00m
Resolved (resolution)              6  1d 19h 37m
Postmortem (analysis)              3  2d 13h 00m
A visit still open at the week's end counts up to the end.

Reopened
INC-102  reopened once

Change failure rate
50%: 2 incidents caused by a change (INC-103, INC-107) / 4 deployments

CI and deployments
CI failures on watched branches: 4 opened, 3 fixed; median time to green
    1h 00m (failure to next success).
4 deployments, counted in the change failure rate; per day by service:
Service  Mon  Tue  Wed  Thu  Fri  Sat  Sun  Total
shop       0    0    1    1    1    0    1      4
2 fixes merged for incidents; median time from incident start to merge
    1d 20h 45m.
Incident  Merged        Start to merge
INC-101   Nov 16 10:30          1h 30m
          Retry payment provider timeouts, by dana:
          https://github.com/acme/shop/pull/41
INC-104   Nov 17 09:00      3d 16h 00m
          Raise the EU login pool: https://github.com/acme/shop/pull/44

Data quality
INC-103  skipped declaration; resolved without being acknowledged
INC-106  no severity

Trend (8 weeks, this week last; against the 4 weeks before)
                8 weeks   This week  Average  Change
Opened          ···▁▁▁▂█          7      0.3  7 vs 0.3 a week
Resolved        ···▁▁▁▂█          6      0.3  6 vs 0.3 a week
MTTA (median)   ······▅█        10m       5m  10m vs 5m
MTTR (median)   ······▅█     3h 15m   2h 00m  3h 15m vs 2h 00m
Change failure  ·······█        50%      n/a  n/a

Follow-ups
Follow-ups are not tracked (no postmortem database is set).
`);
  });

  it('says in the JSON what the text says: the same incidents left out, the same table', () => {
    const json = JSON.parse(JSON.stringify(report));

    expect(json.metrics.timeToResolve.leftOutKeys).toEqual(['INC-105', 'INC-106']);
    expect(json.metrics.timeToAcknowledge.leftOutKeys).toEqual(['INC-103', 'INC-105', 'INC-106']);
    expect(json.metrics.incidents.map((incident: { key: string }) => incident.key)).toEqual([
      'INC-101',
      'INC-102',
      'INC-103',
      'INC-104',
      'INC-105',
      'INC-106',
      'INC-107',
      'INC-108',
    ]);
    expect(json).toMatchObject({ complete: true, asOf: 'Nov 23 00:00', timeZone: 'Europe/Berlin' });
  });

  it('gives in the JSON every CI and deployment figure the text shows', () => {
    const json = JSON.parse(JSON.stringify(report));

    expect(json.delivery).toMatchObject({
      timeToGreenMedianMs: 3_600_000,
      deploymentCount: 4,
      deploymentsByService: [{ service: 'shop', perDay: [0, 0, 1, 1, 1, 0, 1], total: 4 }],
      startToMergeMedianMs: 161_100_000,
    });
    expect(json.delivery.days).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
    expect(json.delivery.failuresOpened).toHaveLength(4);
    expect(
      json.delivery.failuresFixed.map((fixed: { timeToGreenMs: number }) => fixed.timeToGreenMs),
    ).toEqual([1_800_000, 3_600_000, 14_400_000]);
    expect(
      json.delivery.fixesMerged.map(
        (fix: { incidentKey: string; mergedAt: string; startToMergeMs: number }) => [
          fix.incidentKey,
          fix.mergedAt,
          fix.startToMergeMs,
        ],
      ),
    ).toEqual([
      ['INC-101', 'Nov 16 10:30', 5_400_000],
      ['INC-104', 'Nov 17 09:00', 316_800_000],
    ]);
  });

  it('writes the table of incidents in Markdown with the summary as a column', () => {
    const markdown = renderReportMarkdown(report);

    expect(markdown).toContain(
      '| INC-104 | SEV2 | Login timeouts in EU | Nov 13 17:00 | 20m | 2d 20h 40m | 0 | written |',
    );
    expect(markdown).toContain('| Resolved (resolution) | 6 | 1d 19h 37m |');
  });
});

describe('the hand-computed week while it is in progress', () => {
  const asOfMs = at('2026-11-19T12:00:00Z');
  const report = weeklyReport(handWeekSoFarInput(), []);

  it('marks the report incomplete and counts to the moment it is made', () => {
    const { metrics: soFar } = report;

    expect(report).toMatchObject({ complete: false, asOfMs, asOf: 'Nov 19 13:00' });
    expect([soFar.opened.total, soFar.resolved.total, soFar.stillOpen.total]).toEqual([3, 4, 0]);
    // MTTR over 103 30m, 101 120m, 102 270m, 104 4,120m: median (120 + 270) / 2 = 195m;
    // p90 h = 2.7 -> 270 + 0.7 × 3,850 = 2,965m.
    expect(soFar.timeToResolve.stats).toMatchObject({ medianMs: 195 * MIN, p90Ms: 2965 * MIN });
    // Resolved, to 12:00Z: 104 1,220m, 103 1,590m, 102 90 + 2,550 = 2,640m, 101 2,880m -> (1,590 + 2,640) / 2.
    expect(soFar.stageTimes.find((time) => time.status === 'Resolved')).toMatchObject({
      count: 4,
      medianMs: 2115 * MIN,
    });
  });

  it('says so in the text’s first lines and in the subject', () => {
    const text = renderReportText(report);
    const subject = reportSubject(report);

    expect(text.split('\n').slice(0, 4)).toEqual([
      'Incidents, week 47 (Nov 16-22), 2026-W47, so far',
      '',
      'The week so far, not complete: counted to Nov 19 13:00 (Europe/Berlin).',
      '3 opened, 4 resolved, 0 still open',
    ]);
    expect(subject).toBe('Incidents, week 47 (Nov 16-22) so far: 3 opened, MTTR 3h 15m');
  });
});

describe('unwritten postmortems of the hand-computed week, in a report made the Wednesday after', () => {
  const followUps = handFollowUps();

  it('gives the day of resolution and the calendar days to the day the report is made', () => {
    const unwritten = followUps.kind === 'tracked' ? followUps.unwrittenPostmortems : [];

    // Berlin days: 101 Nov 16 -> Nov 25 = 9 (counted to the week's end it read "6 days ago"),
    // 102 Nov 17 -> 8, 107 Nov 20 (05:40 CET) -> 5, which is the 5 days allowed: listed.
    expect(unwritten.map((line) => [line.incidentKey, line.resolvedOn, line.daysSinceResolution])).toEqual([
      ['INC-101', '2026-11-16', 9],
      ['INC-102', '2026-11-17', 8],
      ['INC-107', '2026-11-20', 5],
    ]);
  });

  it('writes them with the date in the email', () => {
    const text = renderReportText(weeklyReport(handWeekInput(), [], followUps));

    expect(text).toContain('INC-101  resolved 2026-11-16, 9 days ago; postmortem Draft');
  });
});
