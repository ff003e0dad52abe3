import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';

const SECRET = 'end-to-end-secret-0123456789';
const MINUTE = 60_000;
const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-e2e-'));
const openedAtMs = Date.parse('2026-11-23T08:00:00.000Z');
const lifecycle = demoLifecycle({ issueId: '424242', key: 'INC-42', openedAtMs }, SECRET);

function start(): Promise<LocalServer> {
  return startLocalServer({
    port: 0,
    dynamoPort: 0,
    dataDir,
    settings: settingsWith(),
    webhookSecrets: { current: SECRET },
    log: silentLog,
  });
}

describe('the local server, end to end over HTTP', () => {
  let server: LocalServer;
  const statuses: number[] = [];

  beforeAll(async () => {
    server = await start();
    for (const delivery of lifecycle) {
      const response = await fetch(`${server.url}/webhooks/jira`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      statuses.push(response.status);
    }
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts every delivery of the lifecycle once and the redelivery as a duplicate', () => {
    expect(statuses).toEqual([...Array(lifecycle.length - 1).fill(202), 200]);
  });

  it('reads back the timings of the incident right after the last webhook', async () => {
    const response = await fetch(`${server.url}/incidents/INC-42`);
    const incident = (await response.json()) as {
      stageDurationsMs: Record<string, number>;
      visits: unknown[];
    };

    expect(response.status).toBe(200);
    expect(incident).toMatchObject({
      key: 'INC-42',
      severity: 'SEV1',
      status: 'Postmortem',
      stage: 'analysis',
      openedAt: '2026-11-23T08:00:00.000Z',
      acknowledgedAt: '2026-11-23T08:04:00.000Z',
      resolvedAt: '2026-11-23T09:52:00.000Z',
      reopenCount: 1,
      timeToAcknowledgeMs: 4 * MINUTE,
      timeToResolveMs: 112 * MINUTE,
    });
    expect(incident.stageDurationsMs).toMatchObject({
      detection: 4 * MINUTE,
      diagnosis: 46 * MINUTE,
      mitigation: 34 * MINUTE,
      resolution: 55 * MINUTE,
    });
    expect(incident.visits).toHaveLength(10);
    expect(incident.visits[0]).toEqual({
      stage: 'detection',
      status: 'Detected',
      enteredAt: '2026-11-23T08:00:00.000Z',
      leftAt: '2026-11-23T08:04:00.000Z',
    });
  });

  it('lists the incident', async () => {
    const response = await fetch(`${server.url}/incidents`);

    expect(await response.json()).toEqual({
      incidents: [
        expect.objectContaining({
          key: 'INC-42',
          severity: 'SEV1',
          stage: 'analysis',
          openedAt: '2026-11-23T08:00:00.000Z',
          resolvedAt: '2026-11-23T09:52:00.000Z',
        }),
      ],
    });
  });

  it('answers 404 for an unknown incident', async () => {
    const response = await fetch(`${server.url}/incidents/INC-404`);

    expect(response.status).toBe(404);
  });

  it('refuses an unsigned webhook with 401 and stores nothing', async () => {
    const forged = demoLifecycle({ issueId: '777', key: 'INC-777', openedAtMs }, undefined)[0];

    const response = await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: forged?.headers,
      body: forged?.body,
    });

    expect(response.status).toBe(401);
    expect((await fetch(`${server.url}/incidents/INC-777`)).status).toBe(404);
  });

  it('answers 413 to a body over 1 MiB', async () => {
    const response = await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      body: 'x'.repeat(1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
  });

  it('keeps its data across a restart', async () => {
    await server.close();

    server = await start();
    const response = await fetch(`${server.url}/incidents/INC-42`);

    expect(response.status).toBe(200);
    expect(((await response.json()) as { timeToResolveMs: number }).timeToResolveMs).toBe(112 * MINUTE);
  });
});
