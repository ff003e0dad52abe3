import type { Context, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { makeIncidentRecheckHandler } from '../../functions/incident-recheck/incident-recheck.ts';
import { incident, settingsWith, T0 } from '../builders.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { createRecordingNotifier } from '../fakes/recording-notifier.ts';
import { createRecordingRecheckScheduler } from '../fakes/recording-recheck-scheduler.ts';

const MINUTE = 60_000;
const context = {} as Context;

function sqsRecord(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    body: JSON.stringify(body),
    receiptHandle: messageId,
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:1:recheck',
    awsRegion: 'eu-west-1',
  } as SQSRecord;
}

async function setup(nowMs: number, events = [incident('r1', { priority: 'Highest' }).created()]) {
  const store = createInMemoryEventStore();
  await store.append(events);
  let folds = 0;
  const loadEvents = store.loadEvents.bind(store);
  store.loadEvents = async (issueId) => {
    folds += 1;
    return loadEvents(issueId);
  };
  const recheck = createRecordingRecheckScheduler();
  // Gives way, as a real publish does, so that concurrent refolds would interleave there.
  const notifier = createRecordingNotifier({ nowMs: () => nowMs, latencyMs: 1 });
  const { sent } = notifier;
  const handler = makeIncidentRecheckHandler({
    store,
    settings: settingsWith(),
    nowMs: () => nowMs,
    log: silentLog,
    notifications: { notifier, directory: async () => DEMO_DIRECTORY },
    recheck,
  });
  return { handler, sent, rescheduled: recheck.rechecks, folds: () => folds };
}

describe('the recheck function', () => {
  it('escalates an unacknowledged SEV1 when its recheck falls due', async () => {
    const { handler, sent } = await setup(T0 + 16 * MINUTE);

    const response = await handler(
      { Records: [sqsRecord('1', { issueId: 'r1', atMs: T0 + 15 * MINUTE })] },
      context,
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(sent).toContain('r1#escalation');
  });

  it('passes on a message that arrived before its time (SQS waits 15 minutes at most)', async () => {
    const { handler, sent, rescheduled } = await setup(T0 + 5 * MINUTE);

    await handler({ Records: [sqsRecord('1', { issueId: 'r1', atMs: T0 + 30 * MINUTE })] }, context);

    expect(rescheduled).toEqual([{ issueId: 'r1', atMs: T0 + 30 * MINUTE }]);
    expect(sent).toEqual([]);
  });

  it('reports a malformed message as a failure of that message only', async () => {
    const { handler } = await setup(T0 + 16 * MINUTE);

    const response = await handler(
      { Records: [sqsRecord('bad', { issue: 'r1' }), sqsRecord('good', { issueId: 'r1', atMs: T0 })] },
      context,
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
  });

  it('refolds an incident once for rechecks of it due together, and sends its held update once', async () => {
    const inc = incident('r1', { priority: 'Highest' });
    const events = [
      inc.created(),
      inc.move(1, 1, 'Detected', 'Declared'),
      inc.move(2, 2, 'Declared', 'Investigating'),
    ];
    const { handler, sent, folds } = await setup(T0 + 5 * MINUTE, events);

    const response = await handler(
      {
        Records: [
          sqsRecord('1', { issueId: 'r1', atMs: T0 + 3 * MINUTE }),
          sqsRecord('2', { issueId: 'r1', atMs: T0 + 3 * MINUTE }),
        ],
      },
      context,
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(folds()).toBe(1);
    expect(sent.filter((id) => id.includes('stage-change:investigating'))).toHaveLength(2);
    expect(new Set(sent).size).toBe(sent.length);
  });
});
