import { describe, expect, it } from 'vitest';
import { refreshIncident } from '#shared/use-cases/refresh-incident.ts';
import { incident, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';

const DAY = 86_400_000;
const summary = {
  version: 2 as const,
  openedCount: 1,
  resolvedCount: 1,
  mttaMedianMs: 1,
  mttrMedianMs: 1,
  changeFailureRate: null,
};

async function setup(nowMs: number) {
  const store = createInMemoryEventStore();
  await store.append(reopenedLifecycle());
  await store.saveWeekSummary('2026-W45', summary);
  return { store, deps: { store, settings: settingsWith(), nowMs: () => nowMs } };
}

describe('refreshIncident', () => {
  it('forgets the stored summary of a week already over when one of its incidents changes', async () => {
    const { store, deps } = await setup(T0 + 14 * DAY);

    await refreshIncident('10001', deps);

    expect(await store.getWeekSummaries(['2026-W45'])).toEqual(new Map());
  });

  it('leaves summaries alone while the incident is still in the current week', async () => {
    const { store, deps } = await setup(T0 + DAY);

    await refreshIncident('10001', deps);

    expect((await store.getWeekSummaries(['2026-W45'])).size).toBe(1);
  });

  it('indexes the incident under the weeks of its opening and of its final resolution', async () => {
    const { store, deps } = await setup(T0 + DAY);
    await store.append([
      incident().move(11, 7 * 24 * 60 + 30, 'Postmortem', 'Investigating'),
      incident().move(12, 7 * 24 * 60 + 90, 'Investigating', 'Resolved'),
    ]);

    await refreshIncident('10001', deps);

    expect((await store.listStatesByWeek('2026-W45', 'opened')).map((state) => state.key)).toEqual(['INC-1']);
    expect(await store.listStatesByWeek('2026-W45', 'resolved')).toEqual([]);
    expect((await store.listStatesByWeek('2026-W46', 'resolved')).map((state) => state.reopenCount)).toEqual([
      2,
    ]);
  });
});
