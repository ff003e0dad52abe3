import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { weeksOf } from '#shared/use-cases/refresh-incident.ts';
import { makeWeeklyReportHandler } from '../../functions/weekly-report/weekly-report.ts';
import { reopenedLifecycle, settingsWith, T0 } from '../builders.ts';
import { createInMemoryDeploymentStore } from '../fakes/in-memory-deployment-store.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { createInMemoryReportLedger } from '../fakes/in-memory-report-ledger.ts';
import { createRecordingReportPublisher } from '../fakes/recording-report-publisher.ts';

const context = {} as Context;
// T0 is Monday 2026-11-02 09:00 UTC (2026-W45); the schedule fires the Monday after.
const NEXT_MONDAY_MS = T0 + 7 * 86_400_000;

async function setup() {
  const settings = settingsWith();
  const store = createInMemoryEventStore();
  const state = foldIncident(reopenedLifecycle(), settings);
  if (!state) throw new Error('fold gave nothing');
  await store.saveState(state, weeksOf(state, settings.timeZone));
  const publisher = createRecordingReportPublisher();
  const ledger = createInMemoryReportLedger();
  const handler = makeWeeklyReportHandler({
    store,
    deployments: createInMemoryDeploymentStore(),
    publisher,
    ledger,
    settings,
    nowMs: () => NEXT_MONDAY_MS,
    log: silentLog,
  });
  return { handler, sent: publisher.published, store };
}

describe('the weekly report function', () => {
  it("publishes last week's report with its subject and plain-text body", async () => {
    const { handler, sent } = await setup();

    const outcome = await handler({}, context);

    expect(outcome).toEqual({ kind: 'sent', week: '2026-W45', messageId: 'm-1' });
    expect(sent[0]?.subject).toBe('Incidents, week 45 (Nov 2-8): 1 opened, MTTR 1h 52m');
    expect(sent[0]?.body).toContain('INC-1');
  });

  it('sends nothing the second time the schedule fires for the same week', async () => {
    const { handler, sent } = await setup();
    await handler({}, context);

    const again = await handler({}, context);

    expect(again).toEqual({ kind: 'already-sent', week: '2026-W45', messageId: 'm-1' });
    expect(sent).toHaveLength(1);
  });

  it('sends a named week again when asked to', async () => {
    const { handler, sent } = await setup();
    await handler({}, context);

    await handler({ week: '2026-W45', resend: true }, context);

    expect(sent).toHaveLength(2);
  });

  it('refuses a week that is not an ISO week', async () => {
    const { handler } = await setup();

    await expect(handler({ week: '2026-47' }, context)).rejects.toThrow(/ISO week such as 2026-W47/);
  });

  it('stores the summary of a week that is over, for later trends', async () => {
    const { handler, store } = await setup();

    await handler({}, context);

    expect((await store.getWeekSummaries(['2026-W45'])).get('2026-W45')).toMatchObject({
      openedCount: 1,
      resolvedCount: 1,
    });
  });
});
