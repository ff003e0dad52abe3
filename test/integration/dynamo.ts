import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { ensureEventTable } from '#shared/adapters/dynamo-table.ts';
import { createLocalDynamoClient } from '#shared/adapters/local-dynamo.ts';

/** A fresh table on the run's dynalite, and the real adapter over it. */
export async function freshDynamoStore() {
  const client = createLocalDynamoClient(inject('dynamoEndpoint'));
  const tableName = `events-${randomUUID()}`;
  await ensureEventTable(client, tableName);
  return { client, tableName, store: createDynamoEventStore(client, tableName) };
}

/** Makes an adapter over a fresh table each time it is called, for a contract suite. */
export function onFreshTable<T>(create: (client: DynamoDBClient, tableName: string) => T): () => Promise<T> {
  return async () => {
    const { client, tableName } = await freshDynamoStore();
    return create(client, tableName);
  };
}
