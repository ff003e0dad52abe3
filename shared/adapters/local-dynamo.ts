import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** A DynamoDB-compatible server (dynalite) on loopback, its data on disk or in memory. */
export interface LocalDynamo {
  readonly endpoint: string;
  close(): Promise<void>;
}

type ThreadMessage =
  | { readonly kind: 'listening'; readonly port: number }
  | { readonly kind: 'failed'; readonly code: string | undefined; readonly message: string };

/**
 * Starts dynalite on 127.0.0.1:port (0 picks a free port) in a thread of its own; `dataDir` undefined
 * keeps data in memory. A port in use rejects with an error whose `code` is EADDRINUSE, as listen does.
 */
export async function startLocalDynamo(options: {
  port: number;
  dataDir?: string | undefined;
}): Promise<LocalDynamo> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const thread = new Worker(new URL('./local-dynamo-thread.ts', import.meta.url), {
    workerData: { port: options.port, dataDir: options.dataDir },
  });
  const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    thread.once('message', (message: ThreadMessage) => {
      if (message.kind === 'listening') return resolve(message.port);
      const error: NodeJS.ErrnoException = new Error(message.message);
      if (message.code !== undefined) error.code = message.code;
      void thread.terminate();
      reject(error);
    });
    thread.once('error', reject);
    void exited.then((code) =>
      reject(new Error(`dynalite's thread ended (exit code ${code}) before it listened`)),
    );
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      thread.postMessage('close');
      await exited;
    },
  };
}

/** A DynamoDB client for a local endpoint; the credentials are placeholders dynalite ignores. */
export function createLocalDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
}

/** True when a DynamoDB-compatible server answers at the endpoint. */
export async function isDynamoUp(endpoint: string): Promise<boolean> {
  const client = createLocalDynamoClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}
