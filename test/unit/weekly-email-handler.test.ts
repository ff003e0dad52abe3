import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import type { ReportEmail } from '#shared/domain/weekly-report-email.ts';
import type { Log } from '#shared/ports.ts';
import { buildReportCharts } from '#shared/use-cases/build-report-charts.ts';
import { buildWeeklyReport } from '#shared/use-cases/build-weekly-report.ts';
import { weeksOf } from '#shared/use-cases/refresh-incident.ts';
import { makeWeeklyReportHandler } from '../../functions/weekly-report/weekly-report.ts';
import { settingsWith } from '../builders.ts';
import { createInMemoryDeploymentStore } from '../fakes/in-memory-deployment-store.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { createInMemoryReportLedger } from '../fakes/in-memory-report-ledger.ts';
import { createRecordingReportPublisher } from '../fakes/recording-report-publisher.ts';
import { history } from '../weekly-builders.ts';

const context = {} as Context;
const email = { from: 'reports@example.com', to: ['reader@example.com', 'lead@example.com'] };
// Monday 23 November 2026, 09:00 UTC: the schedule reports 2026-W47.
const MONDAY_MS = Date.parse('2026-11-23T09:00:00Z');

async function setup(failFirstEmail = false) {
  const settings = settingsWith({ report: { email } });
  const store = createInMemoryEventStore();
  const incidents = [
    history('INC-1', '2026-11-03T10:00:00Z', { priority: 'Highest' }).created().fold(),
    history('INC-2', '2026-11-17T10:00:00Z', { priority: 'High' })
      .created()
      .move('2026-11-17T10:05:00Z', 'Detected', 'Declared')
      .move('2026-11-17T11:00:00Z', 'Declared', 'Resolved')
      .fold(),
  ];
  for (const state of incidents) await store.saveState(state, weeksOf(state, settings.timeZone));
  const publisher = createRecordingReportPublisher('sns');
  const mailed: ReportEmail[] = [];
  const logged: unknown[] = [];
  const ledger = createInMemoryReportLedger();
  let emailCalls = 0;
  const log: Log = { ...silentLog, info: (message, fields) => logged.push([message, fields]) };
  const handler = makeWeeklyReportHandler({
    store,
    deployments: createInMemoryDeploymentStore(),
    publisher,
    mailer: {
      send: async (sent) => {
        emailCalls += 1;
        if (failFirstEmail && emailCalls === 1) throw new Error('SES did not send the weekly email (500)');
        mailed.push(sent);
        return { messageId: `ses-${mailed.length}` };
      },
    },
    ledger,
    settings,
    nowMs: () => MONDAY_MS,
    log,
  });
  return { handler, published: publisher.published, mailed, logged, store, settings };
}

describe('the weekly report function with an HTML email', () => {
  it('publishes the plain text to SNS and mails the HTML with the same subject', async () => {
    const { handler, published, mailed } = await setup();

    const outcome = await handler({}, context);

    expect(outcome).toEqual({ kind: 'sent', week: '2026-W47', messageId: 'sns-1', emailMessageId: 'ses-1' });
    expect(mailed[0]?.subject).toBe(published[0]?.subject);
    expect(mailed[0]?.text).toContain('INC-2');
    expect(mailed[0]?.html).toContain('<html lang="en">');
  });

  it('sends neither twice when the schedule fires again for the same week', async () => {
    const { handler, published, mailed } = await setup();
    await handler({}, context);

    const again = await handler({}, context);

    expect(again).toEqual({ kind: 'already-sent', week: '2026-W47', messageId: 'sns-1' });
    expect([published.length, mailed.length]).toEqual([1, 1]);
  });

  it('sends only the email on the retry after the email failed, not the SNS text again', async () => {
    const { handler, published, mailed } = await setup(true);
    await expect(handler({}, context)).rejects.toThrow(/SES did not send/);

    const retried = await handler({}, context);

    expect(retried).toEqual({ kind: 'sent', week: '2026-W47', messageId: 'sns-1', emailMessageId: 'ses-1' });
    expect([published.length, mailed.length]).toEqual([1, 1]);
  });

  it('never logs a recipient, only how many there are', async () => {
    const { handler, logged } = await setup();

    await handler({}, context);

    expect(JSON.stringify(logged)).not.toContain('@example.com');
    expect(logged).toContainEqual([
      'weekly email sent',
      { week: '2026-W47', messageId: 'ses-1', recipients: 2 },
    ]);
  });

  it('charts the incidents opened in each of the eight weeks by severity, from the store', async () => {
    const { store, settings } = await setup();
    const deps = { store, deployments: createInMemoryDeploymentStore(), settings, nowMs: () => MONDAY_MS };
    const report = await buildWeeklyReport({ year: 2026, week: 47 }, deps);

    const charts = await buildReportCharts(report, deps);

    expect(charts.severityHistory.map((week) => [week.weekId, week.opened.total])).toEqual([
      ['2026-W40', 0],
      ['2026-W41', 0],
      ['2026-W42', 0],
      ['2026-W43', 0],
      ['2026-W44', 0],
      ['2026-W45', 1],
      ['2026-W46', 0],
      ['2026-W47', 1],
    ]);
    expect(charts.severityHistory[5]?.opened.bySeverity.SEV1).toBe(1);
    expect(charts.followUpOwners).toBeNull();
  });
});
