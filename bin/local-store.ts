import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDeploymentStore } from '#shared/adapters/dynamo-deployment-store.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { ensureEventTable } from '#shared/adapters/dynamo-table.ts';
import { createLocalDynamoClient, isDynamoUp, startLocalDynamo } from '#shared/adapters/local-dynamo.ts';
import type { DeploymentStore, EventStore } from '#shared/ports.ts';
import { acquireDataDirLock, describeHolder, heldMessage } from './data-dir-lock.ts';

/** The directory under DATA_DIR where dynalite keeps its LevelDB files. */
export const DYNAMO_SUBDIR = 'dynamodb';

export interface LocalStoreOptions {
  /** DATA_DIR: its lock file names the server that holds it and its ports; the store's files are in it. */
  readonly dataDir: string;
  readonly tableName: string;
}

/** What a command says about DATA_DIR when it opens the store: its name, and whether it may create it. */
export interface LocalStoreAccess {
  readonly command: string;
  /** An import may start an empty DATA_DIR; a read of nothing is a mistake worth saying. */
  readonly create: boolean;
  readonly note: (line: string) => void;
}

/**
 * The local store for a CLI command. When a server holds DATA_DIR, the command goes through the
 * DynamoDB port that server recorded in the lock file (never a default port, which may be another
 * DATA_DIR's server); otherwise it takes the lock itself and opens the files, so that no server
 * starts on them meanwhile.
 */
export async function openLocalStore(
  options: LocalStoreOptions,
  access: LocalStoreAccess,
): Promise<{
  store: EventStore;
  deployments: DeploymentStore;
  client: DynamoDBClient;
  close(): Promise<void>;
}> {
  const filesDir = join(options.dataDir, DYNAMO_SUBDIR);
  const taken = acquireDataDirLock(options.dataDir, { command: access.command });
  let endpoint: string;
  let own: Awaited<ReturnType<typeof startLocalDynamo>> | null = null;
  if (taken.kind === 'held') {
    const { holder } = taken;
    if (holder.command !== 'start') throw new Error(heldMessage(options.dataDir, holder));
    if (holder.dynamoPort === undefined || holder.dynamoPort === 0)
      throw new Error(`the server holding ${options.dataDir}, ${describeHolder(holder)}, is still starting`);
    endpoint = `http://127.0.0.1:${holder.dynamoPort}`;
    if (!(await isDynamoUp(endpoint)))
      throw new Error(
        `the server holding ${options.dataDir}, ${describeHolder(holder)}, does not answer on ${endpoint}; stop it and try again`,
      );
  } else {
    if (!access.create && !existsSync(filesDir)) {
      taken.lock.release();
      throw new Error(
        `no local data in ${options.dataDir}; start the server with \`npm start\` or run \`npm run demo\``,
      );
    }
    if (taken.tookOverFrom)
      access.note(
        `note: took over the lock of ${describeHolder(taken.tookOverFrom)}, which is no longer running\n`,
      );
    try {
      own = await startLocalDynamo({ port: 0, dataDir: filesDir });
    } catch (error) {
      taken.lock.release();
      throw error;
    }
    endpoint = own.endpoint;
  }
  const lock = taken.kind === 'acquired' ? taken.lock : null;
  const client = createLocalDynamoClient(endpoint);
  const close = async () => {
    client.destroy();
    await own?.close();
    lock?.release();
  };
  try {
    await ensureEventTable(client, options.tableName);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    store: createDynamoEventStore(client, options.tableName),
    deployments: createDynamoDeploymentStore(client, options.tableName),
    client,
    close,
  };
}
