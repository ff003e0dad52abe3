import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import type { OutboxEntry } from '#shared/adapters/outbox-notifier.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-notify-'));
// Recent enough to be news (older events are not announced), far enough apart that no burst is held.
const openedAtMs = Date.now() - 3 * 3_600_000;
const lifecycle = demoLifecycle({ issueId: '515151', key: 'INC-51', openedAtMs });

function start(): Promise<LocalServer> {
  return startLocalServer({
    port: 0,
    dynamoPort: 0,
    dataDir: join(dataDir, 'dynamodb'),
    settings: settingsWith({ report: { jiraBaseUrl: 'https://acme.atlassian.net' } }),
    webhookSecrets: null,
    log: silentLog,
    notifications: { directory: DEMO_DIRECTORY, outboxPath: join(dataDir, 'outbox.jsonl') },
  });
}

async function outbox(server: LocalServer): Promise<OutboxEntry[]> {
  const response = await fetch(`${server.url}/notifications?incident=INC-51`);
  return ((await response.json()) as { notifications: OutboxEntry[] }).notifications;
}

describe('notifications in local mode', () => {
  let server: LocalServer;
  let firstCount = 0;

  beforeAll(async () => {
    server = await start();
    for (const delivery of lifecycle) {
      await fetch(`${server.url}/webhooks/jira`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
    }
    firstCount = (await outbox(server)).length;
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pages the assignee and the component lead by SMS when the SEV2 is declared', async () => {
    const pages = (await outbox(server)).filter((entry) => entry.group === 'page');

    expect(pages.map((entry) => entry.recipient.name).sort()).toEqual([
      'Devon Developer (demo)',
      'Mia Commander (demo)',
    ]);
    expect(pages.every((entry) => entry.channel === 'sms' && entry.text.length <= 160)).toBe(true);
  });

  it('tells customers about declaration, mitigation and resolution in words that leak nothing internal', async () => {
    const customer = (await outbox(server)).filter((entry) => entry.group === 'keep-satisfied');

    expect(customer.length).toBeGreaterThanOrEqual(3);
    for (const entry of customer) {
      expect(`${entry.subject} ${entry.text}`).not.toMatch(
        /Mia|atlassian\.net|\/browse\/|Rolling back|cache warmed/,
      );
    }
  });

  it('sends nothing again for a redelivered webhook or a restart', async () => {
    const [redelivered] = lifecycle;
    await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: redelivered?.headers,
      body: redelivered?.body,
    });
    await server.close();
    server = await start();

    const again = await outbox(server);

    expect(again).toHaveLength(firstCount);
  });

  it('records every delivery on the incident, so "did the manager get the SMS?" has an answer', async () => {
    const response = await fetch(`${server.url}/incidents/INC-51`);
    const incident = (await response.json()) as {
      notifications: { group: string; channel: string; recipient: string; status: string }[];
    };

    expect(incident.notifications).toHaveLength(firstCount);
    expect(incident.notifications).toContainEqual(
      expect.objectContaining({
        group: 'manage-closely',
        channel: 'sms',
        recipient: 'Morgan Manager (demo)',
        status: 'sent',
      }),
    );
  });
});
