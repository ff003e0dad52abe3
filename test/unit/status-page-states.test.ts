import { describe, expect, it } from 'vitest';
import { buildStatusPage } from '#shared/domain/status-page-model.ts';
import { incident, MINUTE, settingsWith, T0 } from '../builders.ts';
import { lifecycle, recordOf } from '../status-page-builders.ts';

const settings = settingsWith({
  statusPage: {
    components: [
      { name: 'Checkout', jiraComponents: ['checkout-api', 'payments'] },
      { name: 'Search' },
      { name: 'Website' },
    ],
  },
});
const pageOf = (records: ReturnType<typeof recordOf>[], s = settings, nowMs = T0 + 6 * 60 * MINUTE) =>
  buildStatusPage({
    incidents: records,
    options: s.statusPage,
    board: s.board,
    timeZone: s.timeZone,
    nowMs,
  });

describe('the state of each component', () => {
  it.each([
    ['Highest', 'major-outage', 'Major outage'],
    ['High', 'partial-outage', 'Partial outage'],
    ['Medium', 'degraded-performance', 'Degraded performance'],
    ['Low', 'degraded-performance', 'Degraded performance'],
  ])('puts the components of an ongoing %s-priority incident in %s', (priority, state) => {
    const page = pageOf([recordOf(lifecycle('11', { components: ['payments'] }, { priority }))]);

    expect(page.components.map((component) => [component.name, component.state])).toEqual([
      ['Checkout', state],
      ['Search', 'operational'],
      ['Website', 'operational'],
    ]);
    expect(page.overall).toBe(state);
  });

  it('takes the worst of two ongoing incidents on one component, and the worst of all for the page', () => {
    const page = pageOf([
      recordOf(lifecycle('11', { key: 'INC-11', components: ['checkout-api'] }, { priority: 'Medium' })),
      recordOf(
        lifecycle(
          '12',
          { key: 'INC-12', components: ['payments', 'Search'] },
          { priority: 'High', startMinutes: 5 },
        ),
      ),
    ]);

    expect(Object.fromEntries(page.components.map((component) => [component.name, component.state]))).toEqual(
      {
        Checkout: 'partial-outage',
        Search: 'partial-outage',
        Website: 'operational',
      },
    );
    expect(page.ongoing.map((shown) => shown.id)).toEqual(['inc-12', 'inc-11']);
  });

  it('counts a resolved incident as history only: every component is operational again', () => {
    const page = pageOf([recordOf(lifecycle('11', { components: ['Search'] }, { lastStatus: 'Resolved' }))]);

    expect(page.overall).toBe('operational');
    expect(page.components.every((component) => component.state === 'operational')).toBe(true);
    expect(page.past.map((shown) => [shown.id, shown.phase])).toEqual([['inc-1', 'resolved']]);
  });

  it('still tells customers of an ongoing incident that names no shown component', () => {
    const page = pageOf([
      recordOf(lifecycle('11', { components: ['billing-batch'] }, { priority: 'Highest' })),
    ]);

    expect(page.overall).toBe('major-outage');
    expect(page.components.every((component) => component.state === 'operational')).toBe(true);
    expect(page.ongoing[0]?.title).toBe('Service disruption');
  });

  it('shows each Jira component under its own name when the settings list none', () => {
    const page = pageOf(
      [recordOf(lifecycle('11', { components: ['search-api', 'checkout-api'] }))],
      settingsWith(),
    );

    expect(page.components.map((component) => component.name)).toEqual(['checkout-api', 'search-api']);
    expect(page.ongoing[0]?.title).toBe('Service disruption affecting checkout-api, search-api');
  });

  it.each([
    ['labelled internal', lifecycle('11', { labels: ['Internal'] })],
    ['only detected, never confirmed', lifecycle('11', {}, { lastStatus: 'Detected' })],
    ['deleted', [...lifecycle('11', {}), incident('11').deleted(30)]],
    ['not an incident', lifecycle('11', { issueType: 'Task', labels: [] })],
  ])('leaves out an incident %s', (_, events) => {
    const page = pageOf([recordOf(events)]);

    expect(page.ongoing).toEqual([]);
    expect(page.past).toEqual([]);
    expect(page.overall).toBe('operational');
  });

  it('titles an incident with its Jira summary only when the team allows it', () => {
    const allowed = settingsWith({ statusPage: { showSummary: true } });

    const page = pageOf([recordOf(lifecycle('11', { summary: 'Card payments declined' }))], allowed);

    expect(page.ongoing[0]?.title).toBe('Card payments declined');
  });
});
