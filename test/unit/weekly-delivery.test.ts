import { describe, expect, it } from 'vitest';
import type { CiActivity } from '#shared/domain/ci-activity.ts';
import type { Deployment } from '#shared/domain/deployments.ts';
import { weekBounds } from '#shared/domain/iso-weeks.ts';
import { hasDelivery, type WeeklyDeliveryInput, weeklyDelivery } from '#shared/domain/weekly-delivery.ts';
import { at } from '../weekly-builders.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const ZONE = 'Europe/Berlin';
// 2026-W47 in Berlin: Mon Nov 16 00:00 CET (Nov 15 23:00Z) to Mon Nov 23 00:00 CET (Nov 22 23:00Z).
const bounds = weekBounds({ year: 2026, week: 47 }, ZONE);

const streak = (workflow: string) => ({
  streakKey: `github:acme/shop:${workflow}:main`,
  generation: 1,
  repository: 'acme/shop',
  workflow,
  branch: 'main',
});
const opened = (workflow: string, iso: string): CiActivity => ({
  kind: 'failure-opened',
  ...streak(workflow),
  atMs: at(iso),
});
const green = (workflow: string, iso: string, failingForMs: number): CiActivity => ({
  kind: 'green-again',
  ...streak(workflow),
  failingSinceMs: at(iso) - failingForMs,
  atMs: at(iso),
});
const merged = (incidentKey: string, iso: string): CiActivity => ({
  kind: 'fix-merged',
  incidentKey,
  changeId: `github:acme/shop#${incidentKey}`,
  title: `Fix ${incidentKey}`,
  author: 'sam',
  url: 'https://github.com/acme/shop/pull/1',
  atMs: at(iso),
});
const deployed = (id: string, service: string, iso: string): Deployment => ({
  id,
  service,
  version: '1',
  atMs: at(iso),
});

function input(changes: Partial<WeeklyDeliveryInput>): WeeklyDeliveryInput {
  return {
    bounds,
    asOfMs: bounds.endMs,
    timeZone: ZONE,
    activity: [],
    deployments: [],
    incidentStartMs: new Map(),
    ...changes,
  };
}

describe('weeklyDelivery', () => {
  it('takes the median time to green of three streaks of 30m, 1h and 4h as 1h', () => {
    const activity = [
      green('Lint', '2026-11-17T10:00:00Z', 4 * HOUR),
      green('CI', '2026-11-18T10:00:00Z', 30 * MIN),
      green('E2E', '2026-11-19T10:00:00Z', HOUR),
    ];

    const delivery = weeklyDelivery(input({ activity }));

    expect(delivery.timeToGreenMedianMs).toBe(HOUR);
    expect(delivery.failuresFixed.map((fixed) => [fixed.workflow, fixed.timeToGreenMs])).toEqual([
      ['Lint', 4 * HOUR],
      ['CI', 30 * MIN],
      ['E2E', HOUR],
    ]);
  });

  it('takes the median of two streaks of 30m and 1h as their mean, 45m', () => {
    const activity = [
      green('CI', '2026-11-18T10:00:00Z', 30 * MIN),
      green('E2E', '2026-11-19T10:00:00Z', HOUR),
    ];

    const delivery = weeklyDelivery(input({ activity }));

    expect(delivery.timeToGreenMedianMs).toBe(45 * MIN);
  });

  it("counts a failure opened on the team's Monday 00:30 and not one opened on its Sunday 23:30", () => {
    // 22:30Z on Nov 15 is Sunday 23:30 in Berlin (W46); 23:30Z is Monday 00:30 (W47).
    const activity = [opened('CI', '2026-11-15T22:30:00Z'), opened('E2E', '2026-11-15T23:30:00Z')];

    const delivery = weeklyDelivery(input({ activity }));

    expect(delivery.failuresOpened.map((failure) => failure.workflow)).toEqual(['E2E']);
  });

  it('counts a streak opened the week before as fixed in the week it went green', () => {
    const activity = [green('CI', '2026-11-16T09:00:00Z', 2 * 24 * HOUR)];

    const delivery = weeklyDelivery(input({ activity }));

    expect(delivery.failuresOpened).toEqual([]);
    expect(delivery.failuresFixed.map((fixed) => fixed.timeToGreenMs)).toEqual([2 * 24 * HOUR]);
  });

  it("counts deployments per day by service on the team's calendar", () => {
    const deployments = [
      // Monday 23:30 in Berlin, and Tuesday 00:30: the same UTC day, two of the team's days.
      deployed('a', 'checkout', '2026-11-16T22:30:00Z'),
      deployed('b', 'checkout', '2026-11-16T23:30:00Z'),
      deployed('c', 'search', '2026-11-18T10:00:00Z'),
      deployed('d', 'checkout', '2026-11-22T22:59:00Z'),
    ];

    const delivery = weeklyDelivery(input({ deployments }));

    expect(delivery.days).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
    expect(delivery.deploymentsByService).toEqual([
      { service: 'checkout', perDay: [1, 1, 0, 0, 0, 0, 1], total: 3 },
      { service: 'search', perDay: [0, 0, 1, 0, 0, 0, 0], total: 1 },
    ]);
    expect(delivery.deploymentCount).toBe(4);
  });

  it("times a merged fix from its incident's start, and leaves the time out for an unknown incident", () => {
    const activity = [merged('OPS-7', '2026-11-17T11:30:00Z'), merged('OPS-9', '2026-11-18T08:00:00Z')];
    const incidentStartMs = new Map([['OPS-7', at('2026-11-17T09:00:00Z')]]);

    const delivery = weeklyDelivery(input({ activity, incidentStartMs }));

    expect(delivery.fixesMerged.map((fix) => [fix.incidentKey, fix.mergedAt, fix.startToMergeMs])).toEqual([
      ['OPS-7', 'Nov 17 12:30', 2.5 * HOUR],
      ['OPS-9', 'Nov 18 09:00', null],
    ]);
    expect(delivery.startToMergeMedianMs).toBe(2.5 * HOUR);
  });

  it('counts the week in progress only up to its moment', () => {
    const asOfMs = at('2026-11-18T12:00:00Z');
    const activity = [opened('CI', '2026-11-18T11:00:00Z'), opened('E2E', '2026-11-18T13:00:00Z')];
    const deployments = [deployed('a', 'checkout', '2026-11-18T13:00:00Z')];

    const delivery = weeklyDelivery(input({ asOfMs, activity, deployments }));

    expect(delivery.failuresOpened.map((failure) => failure.workflow)).toEqual(['CI']);
    expect(delivery.deploymentCount).toBe(0);
  });

  it('has nothing to show for a week without CI activity or deployments', () => {
    const delivery = weeklyDelivery(input({}));

    expect(hasDelivery(delivery)).toBe(false);
    expect(delivery.timeToGreenMedianMs).toBeNull();
    expect(delivery.startToMergeMedianMs).toBeNull();
  });
});
