import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDeploymentStore } from '#shared/adapters/dynamo-deployment-store.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { ensureEventTable } from '#shared/adapters/dynamo-table.ts';
import { createLocalDynamoClient, isDynamoUp, startLocalDynamo } from '#shared/adapters/local-dynamo.ts';
import type { DeploymentStore, EventStore } from '#shared/ports.ts';

/**
 * The local store for a CLI command. A running server holds DATA_DIR's LevelDB lock, so its
 * DynamoDB port is used when it answers; otherwise the command opens DATA_DIR itself.
 */
export async function openLocalStore(options: {
  dynamoPort: number;
  dataDir: string;
  tableName: string;
}): Promise<{
  store: EventStore;
  deployments: DeploymentStore;
  client: DynamoDBClient;
  close(): Promise<void>;
}> {
  const running = `http://127.0.0.1:${options.dynamoPort}`;
  const own = (await isDynamoUp(running))
    ? null
    : await startLocalDynamo({ port: 0, dataDir: options.dataDir });
  const client = createLocalDynamoClient(own?.endpoint ?? running);
  await ensureEventTable(client, options.tableName);
  return {
    store: createDynamoEventStore(client, options.tableName),
    deployments: createDynamoDeploymentStore(client, options.tableName),
    client,
    async close() {
      client.destroy();
      await own?.close();
    },
  };
}
