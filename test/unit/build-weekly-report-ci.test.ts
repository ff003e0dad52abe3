import { describe, expect, it } from 'vitest';
import { foldIncident } from '#shared/domain/timeline.ts';
import { buildWeeklyReport } from '#shared/use-cases/build-weekly-report.ts';
import { weeksOf } from '#shared/use-cases/refresh-incident.ts';
import { reopenedLifecycle, settingsWith, T0 } from '../builders.ts';
import { createInMemoryCiActivityLog } from '../fakes/in-memory-ci-activity-log.ts';
import { createInMemoryDeploymentStore } from '../fakes/in-memory-deployment-store.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';

const DAY_MS = 86_400_000;
// T0 is Monday 2026-11-02 09:00 UTC (2026-W45); the week after is 2026-W46.
const W46 = { year: 2026, week: 46 };

const fixOf = (changeId: string, atMs: number) =>
  ({
    kind: 'fix-merged',
    incidentKey: 'INC-1',
    changeId,
    title: 'Raise the pool size',
    author: 'sam',
    url: 'https://github.com/acme/shop/pull/1',
    atMs,
  }) as const;

describe('buildWeeklyReport with CI activity', () => {
  it("times a fix merged this week for last week's incident from that incident's start", async () => {
    const settings = settingsWith();
    const store = createInMemoryEventStore();
    const state = foldIncident(reopenedLifecycle(), settings);
    if (!state) throw new Error('fold gave nothing');
    await store.saveState(state, weeksOf(state, settings.timeZone));
    const ciActivity = createInMemoryCiActivityLog();
    await ciActivity.recordActivity(fixOf('github:acme/shop#1', T0 + 8 * DAY_MS));
    await ciActivity.recordActivity(fixOf('github:acme/shop#2', T0 + 15 * DAY_MS));

    const report = await buildWeeklyReport(W46, {
      store,
      deployments: createInMemoryDeploymentStore(),
      ciActivity,
      settings,
      nowMs: () => T0 + 30 * DAY_MS,
    });

    expect(report.metrics.incidents).toEqual([]);
    expect(report.delivery.fixesMerged.map((fix) => [fix.incidentKey, fix.startToMergeMs])).toEqual([
      ['INC-1', T0 + 8 * DAY_MS - state.openedAtMs],
    ]);
  });

  it('counts no CI activity when the report is not given the log', async () => {
    const report = await buildWeeklyReport(W46, {
      store: createInMemoryEventStore(),
      deployments: createInMemoryDeploymentStore(),
      settings: settingsWith(),
      nowMs: () => T0 + 30 * DAY_MS,
    });

    expect(report.delivery).toMatchObject({ failuresOpened: [], failuresFixed: [], fixesMerged: [] });
  });
});
