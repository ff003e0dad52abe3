import { describe, expect, it } from 'vitest';
import { dayKeyOf, daysEndingOn, daysFrom } from '#shared/domain/local-days.ts';
import { componentHistory, impactSpans } from '#shared/domain/status-page-history.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { incident, MINUTE, reopenedLifecycle, settingsWith } from '../builders.ts';

const HOUR = 60 * MINUTE;
const settings = settingsWith({
  statusPage: { components: [{ name: 'Checkout', jiraComponents: ['checkout-api'] }] },
});

/** An incident declared at `declaredAt` (ISO) and resolved `hours` later, or still open. */
function incidentAt(issueId: string, declaredAt: string, hours: number | null, priority = 'High') {
  const atMs = Date.parse(declaredAt);
  const inc = incident(issueId, { key: `INC-${issueId}`, createdMs: atMs, priority });
  const created = { ...inc.created('Declared'), atMs };
  const events = [created];
  if (hours !== null)
    events.push({ ...inc.move(Number(issueId), 0, 'Declared', 'Resolved'), atMs: atMs + hours * HOUR });
  const state = foldIncident(events, settings);
  if (!state) throw new Error('no state');
  return state;
}

const historyOf = (incidents: ReturnType<typeof incidentAt>[], nowIso: string, timeZone = 'UTC') =>
  componentHistory({
    incidents,
    components: settings.statusPage.components,
    options: { ...settings.statusPage, historyDays: 7 },
    resolveStage: 'resolution',
    timeZone,
    nowMs: Date.parse(nowIso),
    idOf: (state) => state.key,
  })[0]?.days.filter((day) => day.state !== 'operational');

describe('local days', () => {
  it.each([
    ['2026-11-02T23:30:00Z', 'UTC', '2026-11-02'],
    ['2026-11-02T23:30:00Z', 'Europe/Berlin', '2026-11-03'],
    ['2026-11-02T03:30:00Z', 'America/New_York', '2026-11-01'],
  ])('puts %s on the calendar of %s as %s', (iso, timeZone, day) => {
    expect(dayKeyOf(Date.parse(iso), timeZone)).toBe(day);
  });

  it('counts back across a month and a year', () => {
    expect(daysEndingOn('2026-01-02', 4)).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02']);
    expect(daysFrom('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});

describe('the history of a component', () => {
  it('marks each day an incident was unresolved with its state, and names it', () => {
    const days = historyOf([incidentAt('1', '2026-11-03T10:00:00Z', 2)], '2026-11-06T12:00:00Z');

    expect(days).toEqual([{ day: '2026-11-03', state: 'partial-outage', incidentIds: ['INC-1'] }]);
  });

  it('marks both days of an incident across midnight, in the team’s time zone', () => {
    const incidents = [incidentAt('1', '2026-11-03T22:30:00Z', 1)];

    expect(historyOf(incidents, '2026-11-06T12:00:00Z')?.map((day) => day.day)).toEqual(['2026-11-03']);
    expect(historyOf(incidents, '2026-11-06T12:00:00Z', 'Europe/Berlin')?.map((day) => day.day)).toEqual([
      '2026-11-03',
      '2026-11-04',
    ]);
  });

  it('keeps the worst state of the day and every incident of it', () => {
    const incidents = [
      incidentAt('1', '2026-11-04T08:00:00Z', 1, 'Medium'),
      incidentAt('2', '2026-11-04T12:00:00Z', 1, 'Highest'),
    ];

    expect(historyOf(incidents, '2026-11-06T12:00:00Z')).toEqual([
      { day: '2026-11-04', state: 'major-outage', incidentIds: ['INC-1', 'INC-2'] },
    ]);
  });

  it('runs an ongoing incident until today and has one entry per day of the window', () => {
    const history = componentHistory({
      incidents: [incidentAt('1', '2026-11-05T08:00:00Z', null)],
      components: settings.statusPage.components,
      options: { ...settings.statusPage, historyDays: 7 },
      resolveStage: 'resolution',
      timeZone: 'UTC',
      nowMs: Date.parse('2026-11-06T12:00:00Z'),
      idOf: (state) => state.key,
    });

    expect(history[0]?.days.map((day) => `${day.day} ${day.state}`)).toEqual([
      '2026-10-31 operational',
      '2026-11-01 operational',
      '2026-11-02 operational',
      '2026-11-03 operational',
      '2026-11-04 operational',
      '2026-11-05 partial-outage',
      '2026-11-06 partial-outage',
    ]);
  });

  it('leaves out the time a reopened incident spent resolved', () => {
    const state = foldIncident(reopenedLifecycle(), settings);

    const spans = state ? impactSpans(state, 'resolution', Number.MAX_SAFE_INTEGER) : [];

    expect(
      spans.map((span) => [
        (span.startMs - (state?.openedAtMs ?? 0)) / MINUTE,
        (span.endMs - (state?.openedAtMs ?? 0)) / MINUTE,
      ]),
    ).toEqual([
      [0, 58],
      [75, 112],
    ]);
  });
});
