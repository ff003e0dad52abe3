import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { incident } from '../builders.ts';
import { eventStoreContract } from '../contract/event-store-contract.ts';
import { freshDynamoStore } from './dynamo.ts';

eventStoreContract('the DynamoDB adapter on dynalite', async () => (await freshDynamoStore()).store);

describe('the DynamoDB event store', () => {
  it('stores one copy when the same event is appended concurrently', async () => {
    const { store } = await freshDynamoStore();
    const event = incident('race').created();

    const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.append([event])));

    expect(outcomes.flat().filter((outcome) => outcome === 'stored')).toHaveLength(1);
    expect(await store.loadEvents('race')).toHaveLength(1);
  });

  it('reads more events than one query page holds', async () => {
    const { store } = await freshDynamoStore();
    const inc = incident('long');
    const body = 'x'.repeat(20_000);
    const comments = Array.from({ length: 80 }, (_, i) => inc.comment(i + 1, i, body));

    await store.append(comments);

    expect(await store.loadEvents('long')).toHaveLength(80);
  });

  it('fails loudly at the adapter on a malformed row', async () => {
    const { client, tableName, store } = await freshDynamoStore();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({ pk: 'INCIDENT#bad', sk: 'EVENT#x', event: { kind: 'status-changed' } }),
      }),
    );

    await expect(store.loadEvents('bad')).rejects.toThrow(/eventId/);
  });
});
