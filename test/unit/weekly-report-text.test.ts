import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IsoWeek, weekBounds } from '#shared/domain/iso-weeks.ts';
import { sparkline } from '#shared/domain/sparkline.ts';
import type { IncidentState } from '#shared/domain/timeline.ts';
import { weeklyReport } from '#shared/domain/weekly-metrics.ts';
import {
  renderReportMarkdown,
  renderReportText,
  reportSubject,
  SUBJECT_MAX_LENGTH,
  TEXT_LINE_MAX_LENGTH,
} from '#shared/domain/weekly-report-text.ts';
import type { WeekSummary } from '#shared/domain/weekly-trend.ts';
import { history, weeklySettings } from '../weekly-builders.ts';

const W47: IsoWeek = { year: 2026, week: 47 };
const settings = weeklySettings('UTC');
const jira = { jiraBaseUrl: 'https://acme.atlassian.net' };

const reportOf = (incidents: readonly IncidentState[], previous: readonly (WeekSummary | null)[] = []) =>
  weeklyReport({ week: W47, bounds: weekBounds(W47, 'UTC'), incidents, deployments: [], settings }, previous);

const smallWeek = [
  history('INC-1', '2026-11-17T10:00:00Z', {
    priority: 'High',
    summary: 'Checkout failing for card payments',
  })
    .created()
    .move('2026-11-17T10:04:00Z', 'Detected', 'Declared')
    .move('2026-11-17T10:30:00Z', 'Declared', 'Investigating')
    .move('2026-11-17T11:52:00Z', 'Investigating', 'Resolved')
    .fold(),
  history('INC-2', '2026-11-19T08:00:00Z', { summary: 'Search slow', labels: ['caused-by-change'] })
    .created()
    .move('2026-11-19T09:00:00Z', 'Detected', 'Resolved')
    .fold(),
];
const previous: WeekSummary[] = [
  {
    version: 2,
    openedCount: 1,
    resolvedCount: 1,
    mttaMedianMs: 60_000,
    mttrMedianMs: 90 * 60_000,
    changeFailureRate: null,
  },
];

const quietWeek = reportOf([], previous);

describe('renderReportText', () => {
  it('renders a small week, every number checkable by hand', () => {
    const text = renderReportText(reportOf(smallWeek, previous), jira);

    // TTR: INC-1 1h 52m, INC-2 1h 00m; median (60 + 112) / 2 = 86m = 1h 26m, mean 1h 26m,
    // p90 h = 0.9 -> 60 + 0.9 × 52 = 106.8m -> "1h 47m". Time in Resolved runs to the week's end,
    // Nov 23 00:00Z: INC-1 7,928m, INC-2 5,220m -> 6,574m = 4d 13h 34m. Trend against one earlier week
    // of one incident: under 10 a week, so values, not percent. Bars scale 0..max over 8 levels:
    // round(1/2 × 7) = 4 ▅, round(1/4 × 7) = 2 ▃, round(86/90 × 7) = 7 █.
    expect(text).toBe(`Incidents, week 47 (Nov 16-22), 2026-W47

2 opened, 2 resolved, 0 still open
MTTA 4m, MTTR 1h 26m (medians)

Incidents (opened: UTC time)
Key    Sev   Opened        Ack  Resolve  Reopens  Postmortem
INC-1  SEV2  Nov 17 10:00   4m   1h 52m        0  not written
       Checkout failing for card payments
       https://acme.atlassian.net/browse/INC-1
INC-2  -     Nov 19 08:00    -   1h 00m        0  not written
       Search slow
       https://acme.atlassian.net/browse/INC-2

By severity (final severity)
Severity     Opened  Resolved  Still open
SEV1              0         0           0
SEV2              1         1           0
SEV3              0         0           0
SEV4              0         0           0
No severity       1         1           0
Total             2         2           0

Time to acknowledge and resolve (incidents resolved this week)
             Count  Median    Mean     p90  Worst
Acknowledge      1      4m      4m      4m  4m INC-1
Resolve          2  1h 26m  1h 26m  1h 47m  1h 52m INC-1
MTTA leaves out 1 incident: INC-2 (never acknowledged).
MTTR leaves out no incident of the week.

Time in stage (median, incidents resolved this week)
Status (stage)             Incidents      Median
Detected (detection)               2         32m
Declared (declaration)             1         26m
Investigating (diagnosis)          1      1h 22m
Resolved (resolution)              2  4d 13h 34m
A visit still open at the week's end counts up to the end.

Reopened
No resolved incident was reopened.

Change failure rate
n/a: no deployments recorded; 1 incident caused by a change (INC-2)

Data quality
INC-2  skipped declaration; no severity; resolved without being
       acknowledged
       https://acme.atlassian.net/browse/INC-2

Trend (8 weeks, this week last; against the 4 weeks before)
                8 weeks   This week  Average  Change
Opened          ······▅█          2        1  2 vs 1 a week
Resolved        ······▅█          2        1  2 vs 1 a week
MTTA (median)   ······▃█         4m       1m  4m vs 1m
MTTR (median)   ······██     1h 26m   1h 30m  1h 26m vs 1h 30m
Change failure  ········        n/a      n/a  n/a

Follow-ups
Follow-ups are not tracked (no postmortem database is set).
`);
  });

  it('says a quiet week in one line, not a table of zeros', () => {
    const text = renderReportText(quietWeek);

    expect(text.split('\n').slice(0, 3)).toEqual([
      'Incidents, week 47 (Nov 16-22), 2026-W47',
      '',
      'A quiet week: no incidents opened or resolved.',
    ]);
    expect(text).not.toContain('By severity');
    expect(text).toContain('Follow-ups are not tracked (no postmortem database is set).');
  });

  it('keeps every line within 72 characters, whatever the keys and summaries', () => {
    const key = fc.tuple(fc.stringMatching(/^[A-Z]{2,10}$/), fc.integer({ min: 1, max: 999_999 }));
    const incidents = fc.uniqueArray(
      fc.record({ key, summary: fc.string({ maxLength: 200 }), minutes: fc.nat(100_000) }),
      {
        selector: (incident) => incident.key.join('-'),
        maxLength: 8,
      },
    );

    fc.assert(
      fc.property(incidents, (drawn) => {
        const states = drawn.map(({ key, summary, minutes }) =>
          history(key.join('-'), '2026-11-16T00:00:00Z', { summary, priority: 'High' })
            .created()
            .move(
              new Date(Date.parse('2026-11-16T00:00:00Z') + minutes * 60_000).toISOString(),
              'Detected',
              'Resolved',
            )
            .fold(),
        );

        const text = renderReportText(reportOf(states, previous), jira);

        for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(TEXT_LINE_MAX_LENGTH);
      }),
      { numRuns: 50 },
    );
  });
});

describe('reportSubject', () => {
  it('names the week, the incidents opened and the MTTR against its average', () => {
    const subject = reportSubject(reportOf(smallWeek, previous));

    expect(subject).toBe('Incidents, week 47 (Nov 16-22): 2 opened, MTTR 1h 26m (4-week average 1h 30m)');
  });

  it('says a quiet week', () => {
    const subject = reportSubject(quietWeek);

    expect(subject).toBe('Incidents, week 47 (Nov 16-22): a quiet week, no incidents');
  });

  it('says none resolved when nothing was, without a trend', () => {
    const open = history('INC-3', '2026-11-18T08:00:00Z').created().fold();

    const subject = reportSubject(reportOf([open], previous));

    expect(subject).toBe('Incidents, week 47 (Nov 16-22): 1 opened, none resolved');
  });

  it('obeys the SNS subject rules for any week and figures', () => {
    const summary = fc.record({
      version: fc.constant(2 as const),
      openedCount: fc.nat(),
      resolvedCount: fc.nat(),
      mttaMedianMs: fc.option(fc.nat()),
      mttrMedianMs: fc.option(fc.nat()),
      changeFailureRate: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true })),
    });
    const week = fc.record({
      year: fc.integer({ min: 1970, max: 9999 }),
      week: fc.integer({ min: 1, max: 52 }),
    });

    fc.assert(
      fc.property(
        week,
        summary,
        fc.array(fc.option(summary), { maxLength: 8 }),
        (drawnWeek, current, before) => {
          const report = reportOf([], before);
          const drawn = { ...report, week: drawnWeek, summary: current };
          const metrics = {
            ...report.metrics,
            opened: { ...report.metrics.opened, total: current.openedCount },
            resolved: { ...report.metrics.resolved, total: current.resolvedCount },
          };

          const subject = reportSubject({ ...drawn, metrics });

          expect(subject.length).toBeGreaterThan(0);
          expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
          expect(subject).toMatch(/^[\x20-\x7e]+$/);
        },
      ),
    );
  });

  it('stays within 100 printable ASCII characters even for an absurdly long MTTR', () => {
    const slow = history('INC-4', '2026-11-16T00:00:00Z')
      .created()
      .move('2026-11-22T23:59:59Z', 'Detected', 'Resolved')
      .fold();
    const report = reportOf(
      [{ ...slow, key: 'X'.repeat(300) }],
      [{ ...previous[0], mttrMedianMs: 1 } as WeekSummary],
    );

    const subject = reportSubject({ ...report, label: `week 47 – ${'é'.repeat(200)}\n` });

    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('renderReportMarkdown', () => {
  it('shows the same content as Markdown tables, with keys linked to Jira', () => {
    const markdown = renderReportMarkdown(reportOf(smallWeek, previous), jira);

    expect(markdown).toContain('# Incidents, week 47 (Nov 16-22), 2026-W47');
    expect(markdown).toContain('| Severity | Opened | Resolved | Still open |\n| --- | --: | --: | --: |');
    expect(markdown).toContain('| Resolve | 2 | 1h 26m | 1h 26m | 1h 47m | 1h 52m INC-1 |');
    expect(markdown).toContain(
      '| [INC-2](https://acme.atlassian.net/browse/INC-2) | - | Search slow | Nov 19 08:00 | - | 1h 00m | 0 | not written |',
    );
    expect(markdown).toContain('n/a: no deployments recorded');
  });

  it('escapes what Markdown would read as markup in a summary', () => {
    const odd = history('INC-5', '2026-11-17T10:00:00Z', { summary: 'a | b *c* [d]' }).created().fold();

    const markdown = renderReportMarkdown(reportOf([odd]));

    expect(markdown).toContain('a \\| b \\*c\\* \\[d\\]');
  });
});

describe('sparkline', () => {
  it.each([
    [[0, 1, 2, 3, 4, 5, 6, 7], '▁▂▃▄▅▆▇█'],
    [[null, 0, 0], '·▁▁'],
    [[5, 5], '██'],
    [[0, 10, null, 5], '▁█·▅'],
    [[], ''],
  ])('draws %j as %s', (values, expected) => {
    const line = sparkline(values);

    expect(line).toBe(expected);
  });
});
