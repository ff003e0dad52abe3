import type { Context, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import type { PostmortemWriter } from '#shared/ports.ts';
import { makePostmortemWriterHandler } from '../../functions/postmortem-writer/postmortem-writer.ts';
import { reopenedLifecycle, settingsWith, T0 } from '../builders.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { createRecordingIssueTracker } from '../fakes/recording-issue-tracker.ts';

const context = {} as Context;
const message = (messageId: string, body: unknown, receiveCount = 1): SQSRecord =>
  ({
    messageId,
    body: JSON.stringify(body),
    receiptHandle: `handle-${messageId}`,
    attributes: { ApproximateReceiveCount: String(receiveCount) },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:1:postmortems',
    awsRegion: 'eu-west-1',
  }) as SQSRecord;

async function setup(writer: Pick<PostmortemWriter, 'write'>) {
  const store = createInMemoryEventStore();
  await store.append(reopenedLifecycle());
  const tracker = createRecordingIssueTracker();
  const delays: { receiptHandle: string; seconds: number }[] = [];
  const handler = makePostmortemWriterHandler({
    delayRetry: async (receiptHandle, seconds) => {
      delays.push({ receiptHandle, seconds });
    },
    store,
    settings: settingsWith(),
    nowMs: () => T0,
    log: silentLog,
    writer: { ...writer, refreshProperties: async () => {} },
    ownAccountId: null,
    tracker,
  });
  return { store, comments: tracker.comments, handler, delays };
}

describe('the postmortem writer function', () => {
  it('writes the postmortem of the incident a message names, records it and links it from Jira', async () => {
    const { store, comments, handler } = await setup({
      write: async (draft) => ({ id: 'p1', url: `https://notion.so/${draft.incidentKey}`, created: true }),
    });

    const response = await handler({ Records: [message('m1', { issueId: '10001' })] }, context);

    expect(response.batchItemFailures).toEqual([]);
    expect(await store.postmortemOf('10001')).toMatchObject({ url: 'https://notion.so/INC-1' });
    expect(comments).toEqual([
      expect.objectContaining({
        marker: 'incident-flow:postmortem',
        link: { text: 'INC-1 postmortem', url: 'https://notion.so/INC-1' },
      }),
    ]);
  });

  it('fails the message while Notion refuses, so SQS brings it back, and says why on the incident', async () => {
    const { store, handler } = await setup({
      write: async () =>
        Promise.reject(new Error('Notion refused: share the postmortem database with the integration')),
    });

    const response = await handler({ Records: [message('m1', { issueId: '10001' })] }, context);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect((await store.postmortemFailureOf('10001'))?.error).toMatch(/share the postmortem database/);
  });

  it('backs off: each failed attempt brings the message back later than the one before', async () => {
    const { handler, delays } = await setup({
      write: async () => Promise.reject(new Error('Notion answered 502')),
    });

    for (const attempt of [1, 2, 3, 4])
      await handler({ Records: [message('m1', { issueId: '10001' }, attempt)] }, context);

    expect(delays.map((delay) => delay.receiptHandle)).toEqual(Array(4).fill('handle-m1'));
    const seconds = delays.map((delay) => delay.seconds);
    // 1, 2, 4, 8 minutes, each with up to 10% added.
    [60, 120, 240, 480].forEach((base, i) => {
      expect(seconds[i]).toBeGreaterThanOrEqual(base);
      expect(seconds[i]).toBeLessThanOrEqual(base * 1.1);
    });
  });

  it('waits at least as long as Notion asked when it rate-limits', async () => {
    const { handler, delays } = await setup({
      write: async () => Promise.reject(new UpstreamUnavailableError('Notion is rate limiting', 900_000)),
    });

    await handler({ Records: [message('m1', { issueId: '10001' }, 1)] }, context);

    expect(delays[0]?.seconds).toBe(900);
  });
});
