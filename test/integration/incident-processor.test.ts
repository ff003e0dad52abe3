import type { Context, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { makeIncidentProcessorHandler } from '../../functions/incident-processor/incident-processor.ts';
import { MINUTE, reopenedLifecycle, settingsWith } from '../builders.ts';
import { freshDynamoStore } from './dynamo.ts';

const context = {} as Context;

function insertRecord(issueId: string, eventId: string, sequence: number): DynamoDBRecord {
  return {
    eventID: String(sequence),
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: { pk: { S: `INCIDENT#${issueId}` }, sk: { S: `EVENT#${eventId}` } },
      SequenceNumber: String(sequence),
      StreamViewType: 'KEYS_ONLY',
    },
  };
}

describe('the incident processor', () => {
  it('folds every stored event of the incident a stream record names into its state', async () => {
    const { store } = await freshDynamoStore();
    const events = reopenedLifecycle('p1');
    await store.append(events);
    const handler = makeIncidentProcessorHandler({
      store,
      settings: settingsWith(),
      nowMs: Date.now,
      log: silentLog,
    });

    const response = await handler(
      { Records: events.map((event, i) => insertRecord('p1', event.eventId, i + 1)) },
      context,
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(await store.getStateByKey('INC-1')).toMatchObject({
      timeToResolveMs: 112 * MINUTE,
      reopenCount: 1,
      eventCount: events.length,
    });
  });

  it('reports only the records of an incident it could not fold as failures, for a retry', async () => {
    const { store } = await freshDynamoStore();
    await store.append(reopenedLifecycle('good'));
    const failing = {
      ...store,
      loadEvents: async (issueId: string) =>
        issueId === 'bad' ? Promise.reject(new Error('throttled')) : store.loadEvents(issueId),
    };
    const handler = makeIncidentProcessorHandler({
      store: failing,
      settings: settingsWith(),
      nowMs: Date.now,
      log: silentLog,
    });

    const response = await handler(
      { Records: [insertRecord('good', 'a', 1), insertRecord('bad', 'b', 2), insertRecord('bad', 'c', 3)] },
      context,
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '2' }, { itemIdentifier: '3' }]);
    expect(await store.getStateByKey('INC-1')).not.toBeNull();
  });
});
