import type { Context, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import type { IssueComment, PostmortemWriter } from '#shared/ports.ts';
import { makePostmortemWriterHandler } from '../../functions/postmortem-writer/postmortem-writer.ts';
import { reopenedLifecycle, settingsWith, T0 } from '../builders.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';

const context = {} as Context;
const message = (messageId: string, body: unknown): SQSRecord =>
  ({
    messageId,
    body: JSON.stringify(body),
    receiptHandle: messageId,
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:1:postmortems',
    awsRegion: 'eu-west-1',
  }) as SQSRecord;

async function setup(writer: PostmortemWriter) {
  const store = createInMemoryEventStore();
  await store.append(reopenedLifecycle());
  const comments: IssueComment[] = [];
  const handler = makePostmortemWriterHandler({
    store,
    settings: settingsWith(),
    nowMs: () => T0,
    log: silentLog,
    writer,
    ownAccountId: null,
    tracker: {
      commentOnce: async (_key, comment) => {
        comments.push(comment);
        return { commentId: 'c1', created: true };
      },
    },
  });
  return { store, comments, handler };
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
});
