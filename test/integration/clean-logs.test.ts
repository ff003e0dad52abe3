import { SNSClient } from '@aws-sdk/client-sns';
import { Client } from '@notionhq/client';
import type { APIGatewayProxyEventV2, Context, DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { createCloudClient } from 'jira.js';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { createDynamoReconcileLedger } from '#shared/adapters/dynamo-reconcile-ledger.ts';
import { createJiraIncidentSource } from '#shared/adapters/jira-incident-source.ts';
import { createJiraTicketTracker } from '#shared/adapters/jira-ticket-tracker.ts';
import { createNotionPostmortemPages } from '#shared/adapters/notion-postmortem-pages.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createSnsNotifier } from '#shared/adapters/sns-notifier.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { signWebhookBody } from '#shared/lambda/webhook-signature.ts';
import type { Log } from '#shared/ports.ts';
import { reconcileIncidents } from '#shared/use-cases/reconcile-incidents.ts';
import { weeksOf } from '#shared/use-cases/refresh-incident.ts';
import { remindFollowUps } from '#shared/use-cases/remind-follow-ups.ts';
import { cachedAccounts, syncFollowUps } from '#shared/use-cases/sync-follow-ups.ts';
import { makeDeploymentWebhookHandler } from '../../functions/deployment-webhook/deployment-webhook.ts';
import { makeFollowUpReminderHandler } from '../../functions/follow-up-reminder/follow-up-reminder.ts';
import { makeIncidentProcessorHandler } from '../../functions/incident-processor/incident-processor.ts';
import { makeIncidentRecheckHandler } from '../../functions/incident-recheck/incident-recheck.ts';
import { makeJiraWebhookHandler } from '../../functions/jira-webhook/jira-webhook.ts';
import { makePostmortemSyncHandler } from '../../functions/postmortem-sync/postmortem-sync.ts';
import { makePostmortemWriterHandler } from '../../functions/postmortem-writer/postmortem-writer.ts';
import { makeReconcilerHandler } from '../../functions/reconciler/reconciler.ts';
import { makeWeeklyReportHandler } from '../../functions/weekly-report/weekly-report.ts';
import { incident, MINUTE, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';
import { createInMemoryDeploymentStore } from '../fakes/in-memory-deployment-store.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { createInMemoryReportLedger } from '../fakes/in-memory-report-ledger.ts';
import { createRecordingIssueTracker } from '../fakes/recording-issue-tracker.ts';
import { createRecordingNotifier } from '../fakes/recording-notifier.ts';
import { createRecordingPostmortemRequests } from '../fakes/recording-postmortem-requests.ts';
import { createRecordingPostmortemWriter } from '../fakes/recording-postmortem-writer.ts';
import { createRecordingRecheckScheduler } from '../fakes/recording-recheck-scheduler.ts';
import { createRecordingReportPublisher } from '../fakes/recording-report-publisher.ts';
import { jiraFixture } from '../fixtures/load.ts';
import { captureLogLines, type LoggedLine } from '../log-lines.ts';
import { generateIncidentHistories } from '../simulators/jira-history.ts';
import { startJiraSimulator } from '../simulators/jira-simulator.ts';
import { startNotionSimulator } from '../simulators/notion-simulator.ts';
import { startSnsSimulator } from '../simulators/sns-simulator.ts';
import { freshDynamoStore } from './dynamo.ts';
import {
  closeSimulatorsAfterEach,
  jiraHolding,
  NOW as RECONCILE_NOW,
  reading,
  START,
} from './jira-history-world.ts';
import { resolvedIncidentWithPostmortem } from './postmortem-world.ts';

const SECRET = 'a-webhook-secret-of-some-length';
const context = {} as Context;

closeSimulatorsAfterEach();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/**
 * Runs one function's happy path with the logger its handler.ts builds (Powertools, named for the
 * function as POWERTOOLS_SERVICE_NAME names it on AWS), and returns every line it wrote.
 */
async function logOf(job: string, happyPath: (log: Log) => Promise<void>): Promise<LoggedLine[]> {
  const capture = captureLogLines();
  try {
    await happyPath(createPowertoolsLog(job));
  } finally {
    capture.stop();
  }
  return capture.lines();
}

/** A run that went as planned: something logged, nothing at WARN or ERROR, every line under its service. */
function expectCleanLog(lines: readonly LoggedLine[], job: string): void {
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.filter((line) => line.level !== 'INFO' && line.level !== 'DEBUG')).toEqual([]);
  expect(lines.map((line) => line.service)).toEqual(lines.map(() => job));
}

function signedRequest(rawPath: string, body: string): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {
    'x-hub-signature': signWebhookBody(body, SECRET),
    'x-atlassian-webhook-identifier': 'd-1',
  };
  return { rawPath, headers, body, isBase64Encoded: false } as APIGatewayProxyEventV2;
}

const sqsRecord = (messageId: string, body: unknown): SQSRecord =>
  ({
    messageId,
    body: JSON.stringify(body),
    receiptHandle: `handle-${messageId}`,
    attributes: { ApproximateReceiveCount: '1' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:1:queue',
    awsRegion: 'eu-west-1',
  }) as SQSRecord;

/** A notifier that delivers everything, recording what it was asked to send. */
function deliveringNotifier(nowMs: number) {
  const notifier = createRecordingNotifier({ nowMs: () => nowMs });
  return { notifier, sent: notifier.sent };
}

describe('runs that go as planned log no WARN or ERROR, under their service name', () => {
  it('jira-webhook: stores a signed incident event', async () => {
    const payload = jiraFixture('jira-issue-updated-status-2');
    (payload.issue as { fields: Record<string, unknown> }).fields.issuetype = { id: '1', name: 'Incident' };
    const handler = (log: Log) =>
      makeJiraWebhookHandler({
        store: createInMemoryEventStore(),
        settings: settingsWith(),
        secrets: async () => ({ current: SECRET }),
        log,
      });

    const lines = await logOf('jira-webhook', async (log) => {
      const response = await handler(log)(signedRequest('/webhooks/jira', JSON.stringify(payload)), context);
      expect(response.statusCode).toBe(202);
    });

    expectCleanLog(lines, 'jira-webhook');
  });

  it('deployment-webhook: records a deployment, naming the deployed service beside its own', async () => {
    const body = JSON.stringify({
      id: 'deploy-881',
      service: 'checkout-api',
      version: '2026.11.24-3',
      time: '2026-11-24T14:02:00+01:00',
    });

    const lines = await logOf('deployment-webhook', async (log) => {
      const handler = makeDeploymentWebhookHandler({
        deployments: createInMemoryDeploymentStore(),
        secrets: async () => ({ current: SECRET }),
        log,
      });
      const response = await handler(signedRequest('/webhooks/deployment', body), context);
      expect(response.statusCode).toBe(202);
    });

    expectCleanLog(lines, 'deployment-webhook');
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'deployment recorded', deployedService: 'checkout-api' }),
    );
  });

  it('incident-processor: folds a declared SEV1 and notifies its stakeholders', async () => {
    const store = createInMemoryEventStore();
    const inc = incident('p1', { priority: 'Highest' });
    const events = [inc.created(), inc.move(1, 4, 'Detected', 'Declared')];
    await store.append(events);
    const { notifier, sent } = deliveringNotifier(T0 + 5 * MINUTE);
    const record = (eventId: string, sequence: number): DynamoDBRecord => ({
      eventID: String(sequence),
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        Keys: { pk: { S: 'INCIDENT#p1' }, sk: { S: `EVENT#${eventId}` } },
        SequenceNumber: String(sequence),
        StreamViewType: 'KEYS_ONLY',
      },
    });

    const lines = await logOf('incident-processor', async (log) => {
      const handler = makeIncidentProcessorHandler({
        store,
        settings: settingsWith(),
        nowMs: () => T0 + 5 * MINUTE,
        log,
        notifications: { notifier, directory: async () => DEMO_DIRECTORY },
        recheck: createRecordingRecheckScheduler(),
        postmortemRequests: createRecordingPostmortemRequests(),
      });
      const response = await handler(
        { Records: events.map((event, i) => record(event.eventId, i + 1)) },
        context,
      );
      expect(response.batchItemFailures).toEqual([]);
    });

    expect(sent.length).toBeGreaterThan(0);
    expectCleanLog(lines, 'incident-processor');
  });

  it('incident-recheck: escalates an unacknowledged SEV1 when its recheck falls due', async () => {
    const store = createInMemoryEventStore();
    await store.append([incident('r1', { priority: 'Highest' }).created()]);
    const { notifier, sent } = deliveringNotifier(T0 + 16 * MINUTE);

    const lines = await logOf('incident-recheck', async (log) => {
      const handler = makeIncidentRecheckHandler({
        store,
        settings: settingsWith(),
        nowMs: () => T0 + 16 * MINUTE,
        log,
        notifications: { notifier, directory: async () => DEMO_DIRECTORY },
        recheck: createRecordingRecheckScheduler(),
      });
      const response = await handler(
        { Records: [sqsRecord('1', { issueId: 'r1', atMs: T0 + 15 * MINUTE })] },
        context,
      );
      expect(response.batchItemFailures).toEqual([]);
    });

    expect(sent).toContain('r1#escalation');
    expectCleanLog(lines, 'incident-recheck');
  });

  it('reconciler: repairs what webhooks missed from Jira and moves its watermark', async () => {
    const jira = await jiraHolding(generateIncidentHistories({ count: 5, seed: 3, startMs: START }));
    const { client, tableName } = await freshDynamoStore();
    const settings = settingsWith();

    const lines = await logOf('reconciler', async (log) => {
      const handler = makeReconcilerHandler({
        nowMs: () => RECONCILE_NOW,
        log,
        reconcile: (deadlineMs) =>
          reconcileIncidents(
            {
              store: createInMemoryEventStore(),
              source: createJiraIncidentSource(
                createCloudClient({
                  host: jira.baseUrl,
                  auth: { type: 'basic', email: 'bot@example.com', apiToken: 'test-token' },
                }),
              ),
              ledger: createDynamoReconcileLedger(client, tableName),
              reading,
              incidents: settings.incidents,
              log,
              nowMs: () => RECONCILE_NOW,
              concurrency: 8,
            },
            { overlapMinutes: 10, firstRunLookbackHours: 720, deadlineMs },
          ),
      });
      expect(await handler({})).toMatchObject({ complete: true, issuesRead: 5, unfinished: 0 });
    });

    expectCleanLog(lines, 'reconciler');
  });

  it('postmortem-writer: writes the postmortem a message names and links it from Jira', async () => {
    const store = createInMemoryEventStore();
    await store.append(reopenedLifecycle());

    const lines = await logOf('postmortem-writer', async (log) => {
      const handler = makePostmortemWriterHandler({
        delayRetry: async () => {},
        store,
        settings: settingsWith(),
        nowMs: () => T0,
        log,
        writer: createRecordingPostmortemWriter(),
        ownAccountId: null,
        tracker: createRecordingIssueTracker(),
      });
      const response = await handler({ Records: [sqsRecord('m1', { issueId: '10001' })] }, context);
      expect(response.batchItemFailures).toEqual([]);
    });

    expect(await store.postmortemOf('10001')).toMatchObject({ url: 'https://notion.so/INC-1' });
    expectCleanLog(lines, 'postmortem-writer');
  });

  it('weekly-report: publishes last week’s report once', async () => {
    const settings = settingsWith();
    const store = createInMemoryEventStore();
    const state = foldIncident(reopenedLifecycle(), settings);
    if (!state) throw new Error('fold gave nothing');
    await store.saveState(state, weeksOf(state, settings.timeZone));

    const lines = await logOf('weekly-report', async (log) => {
      const handler = makeWeeklyReportHandler({
        store,
        deployments: createInMemoryDeploymentStore(),
        publisher: createRecordingReportPublisher(),
        ledger: createInMemoryReportLedger(),
        settings,
        nowMs: () => T0 + 7 * 86_400_000,
        log,
      });
      expect(await handler({}, context)).toMatchObject({ kind: 'sent', week: '2026-W45' });
    });

    expectCleanLog(lines, 'weekly-report');
  });
});

describe('the follow-up jobs log no WARN or ERROR on a run that goes as planned', () => {
  const SITE = 'https://acme.atlassian.net';
  // Tuesday 24 November 2026, 10:00 in Berlin: working hours.
  const TUESDAY = Date.parse('2026-11-24T09:00:00.000Z');
  const KEEP_INFORMED = 'arn:aws:sns:eu-west-1:123456789012:incident-flow-keep-informed';
  type Json = Record<string, unknown>;

  /**
   * A resolved incident INC-1 whose postmortem (in the Notion simulator) holds one action item, owned by
   * Ana and due 2026-11-20, follow-ups going to project OPS of the Jira simulator, stores on dynalite.
   */
  async function followUpWorld() {
    const settings = settingsWith({
      timeZone: 'Europe/Berlin',
      report: { jiraBaseUrl: SITE },
      followUps: { projectKey: 'OPS' },
    });
    const jira = await startJiraSimulator({ requestsPerSecond: 10_000, burst: 10_000, nowMs: () => TUESDAY });
    closers.push(jira.close);
    jira.addUser({ accountId: 'acc-ana', displayName: 'Ana Ruiz', email: 'ana@example.com' });
    jira.addUser({ accountId: 'acc-lee', displayName: 'Lee Park', email: 'lee@example.com' });
    jira.addIssue({ id: '10001', key: 'INC-1', summary: 'Checkout failing' });
    const notion = await startNotionSimulator({ requestsPerSecond: 1_000, burst: 1_000 });
    closers.push(notion.close);
    const notionClient = new Client({
      auth: 'secret_test',
      baseUrl: notion.baseUrl,
      notionVersion: '2025-09-03',
      logger: () => {},
    });
    const ana = notion.addUser({ name: 'Ana Ruiz', email: 'ana@example.com' });

    const {
      client,
      tableName,
      store,
      postmortem: page,
    } = await resolvedIncidentWithPostmortem(notionClient, notion.databaseId, { site: SITE, settings });
    const text = (content: string): Json => ({ type: 'text', text: { content } });
    notion.addActionItems(page.id, [
      {
        type: 'to_do',
        to_do: {
          rich_text: [
            text('Alert on checkout errors '),
            { type: 'mention', mention: { type: 'user', user: { id: ana.id } } },
            text(' '),
            { type: 'mention', mention: { type: 'date', date: { start: '2026-11-20' } } },
          ],
          checked: false,
        },
      },
    ]);

    const followUps = createDynamoFollowUpStore(client, tableName, settings.timeZone);
    const tracker = createJiraTicketTracker(
      createCloudClient({
        host: jira.baseUrl,
        auth: { type: 'basic', email: 'bot@example.com', apiToken: 'test-token' },
      }),
      { issueType: settings.followUps.issueType, linkType: settings.followUps.linkType, siteUrl: SITE },
    );
    const pages = createNotionPostmortemPages(notionClient, { jiraBaseUrl: SITE });
    const sync = (log: Log) =>
      syncFollowUps({
        followUps,
        tracker,
        pages,
        settings,
        nowMs: () => TUESDAY,
        log,
        accountOf: cachedAccounts(pages, tracker),
      });
    return { settings, jira, store, followUps, tracker, sync };
  }

  it('postmortem-sync: makes the action item a ticket', async () => {
    const w = await followUpWorld();

    const lines = await logOf('postmortem-sync', async (log) => {
      const handler = makePostmortemSyncHandler({ log, sync: () => w.sync(log) });
      expect(await handler()).toMatchObject({ postmortems: 1, created: 1, pending: 0 });
    });

    expect(w.jira.tickets().map((ticket) => ticket.key)).toEqual(['OPS-1']);
    expectCleanLog(lines, 'postmortem-sync');
  });

  it('follow-up-reminder: reminds the overdue ticket and emails the overdue list', async () => {
    const w = await followUpWorld();
    await w.sync(silentLog);
    const sns = await startSnsSimulator();
    closers.push(sns.close);
    const notifier = createSnsNotifier(
      new SNSClient({
        endpoint: sns.endpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
      { topicArns: { 'keep-informed': KEEP_INFORMED }, nowMs: () => TUESDAY },
    );

    const lines = await logOf('follow-up-reminder', async (log) => {
      const handler = makeFollowUpReminderHandler({
        log,
        remind: () =>
          remindFollowUps({
            followUps: w.followUps,
            tracker: w.tracker,
            settings: w.settings,
            nowMs: () => TUESDAY,
            log,
            overdueList: { notifier, deliveries: w.store },
          }),
      });
      expect(await handler()).toMatchObject({ reminded: 1, overdue: 1 });
    });

    expect(sns.published.filter((message) => message.topicArn === KEEP_INFORMED)).toHaveLength(1);
    expectCleanLog(lines, 'follow-up-reminder');
  });
});
