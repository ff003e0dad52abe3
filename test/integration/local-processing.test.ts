import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createLocalDynamoClient } from '#shared/adapters/local-dynamo.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { LOCAL_TABLE_NAME } from '../../bin/local-wiring.ts';
import { settingsWith } from '../builders.ts';

const SECRET = 'local-processing-secret-0123456789';
const dirs: string[] = [];
const openedAtMs = Date.parse('2026-11-23T08:00:00.000Z');

function start(dataDir: string, processorBatchWindowMs?: number): Promise<LocalServer> {
  return startLocalServer({
    port: 0,
    dynamoPort: 0,
    dataDir,
    settings: settingsWith(),
    webhookSecrets: { current: SECRET },
    log: silentLog,
    ...(processorBatchWindowMs === undefined ? {} : { processorBatchWindowMs }),
  });
}

async function deliverLifecycle(server: LocalServer, issueId: string, key: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const delivery of demoLifecycle({ issueId, key, openedAtMs }, SECRET)) {
    const response = await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    statuses.push(response.status);
  }
  return statuses;
}

/** The state item as any DynamoDB tool reads it on the embedded endpoint, around the server. */
async function storedState(server: LocalServer, key: string) {
  const client = createLocalDynamoClient(server.dynamoEndpoint);
  try {
    return await createDynamoEventStore(client, LOCAL_TABLE_NAME).getStateByKey(key);
  } finally {
    client.destroy();
  }
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'incident-flow-processing-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the local server runs the processor after it answers, as the stream does on AWS', () => {
  it('answers once the event is stored; the next read waits for the fold, not for the batching window', async () => {
    // A minute-long batching window: nothing is folded by itself during this test.
    const server = await start(dataDir(), 60_000);
    try {
      const statuses = await deliverLifecycle(server, '515151', 'INC-51');
      expect(statuses.filter((status) => status === 202)).toHaveLength(statuses.length - 1);
      expect(await storedState(server, 'INC-51')).toBeNull();

      const response = await fetch(`${server.url}/incidents/INC-51`);
      const incident = (await response.json()) as { reopenCount: number; stage: string };

      expect(response.status).toBe(200);
      expect(incident).toMatchObject({ reopenCount: 1, stage: 'analysis' });
      expect(await storedState(server, 'INC-51')).toMatchObject({ reopenCount: 1 });
    } finally {
      await server.close();
    }
  });

  it('folds what it stored by itself, without a read, as soon as it is stored', async () => {
    const server = await start(dataDir());
    try {
      await deliverLifecycle(server, '525252', 'INC-52');
      await server.idle();

      const stored = await storedState(server, 'INC-52');
      const served = (await (await fetch(`${server.url}/incidents/INC-52`)).json()) as {
        stageDurationsMs: Record<string, number>;
        visits: unknown[];
      };
      expect(stored).toMatchObject({ key: 'INC-52', reopenCount: 1, stage: 'analysis' });
      expect(served).toMatchObject({
        key: 'INC-52',
        reopenCount: 1,
        timeToResolveMs: stored?.timeToResolveMs,
      });
      expect(served.visits).toHaveLength(stored?.visits.length ?? -1);
      // Finished visits are folded; only the open one (analysis) grows while it is read.
      expect(served.stageDurationsMs).toMatchObject(stored?.closedStageDurationsMs ?? {});
    } finally {
      await server.close();
    }
  });

  it('folds what it acknowledged before it stops, so a restart finds the incident current', async () => {
    const dir = dataDir();
    const first = await start(dir, 60_000);
    await deliverLifecycle(first, '535353', 'INC-53');
    await first.close();

    const second = await start(dir, 60_000);
    try {
      expect(await storedState(second, 'INC-53')).toMatchObject({ key: 'INC-53', reopenCount: 1 });
    } finally {
      await second.close();
    }
  });
});
