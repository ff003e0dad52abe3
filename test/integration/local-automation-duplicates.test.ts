import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import type { OutboxEntry } from '#shared/adapters/outbox-notifier.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';

const SECRET = 'a-local-webhook-secret-for-tests';

/** What Jira Automation's "Issue data (Jira format)" says of the issue a webhook delivery carried. */
function automationReportOf(webhookBody: string, laterByMs: number): string {
  const { issue, timestamp } = JSON.parse(webhookBody) as {
    issue: { id: string; fields: Record<string, unknown> } & Record<string, unknown>;
    timestamp: number;
  };
  const updated = new Date(timestamp + laterByMs).toISOString().replace('Z', '+0000');
  return JSON.stringify({
    ...issue,
    id: Number(issue.id),
    changelog: { startAt: 0, maxResults: 0, total: 0, histories: null },
    fields: { ...issue.fields, updated },
  });
}

describe('Jira Automation reporting a move the admin webhook already reported', () => {
  it('announces nothing new through the local server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-automation-'));
    const server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      dataDir: join(dataDir, 'dynamodb'),
      settings: settingsWith(),
      webhookSecrets: { current: SECRET },
      log: silentLog,
      notifications: { directory: DEMO_DIRECTORY, outboxPath: join(dataDir, 'outbox.jsonl') },
    });
    const lifecycle = demoLifecycle(
      { issueId: '717171', key: 'INC-71', openedAtMs: Date.now() - 3 * 3_600_000 },
      SECRET,
    ).filter((delivery) => !delivery.label.endsWith('(redelivered)'));
    const outbox = async () => {
      const response = await fetch(`${server.url}/notifications?incident=INC-71`);
      return ((await response.json()) as { notifications: OutboxEntry[] }).notifications;
    };
    try {
      for (const delivery of lifecycle)
        await fetch(`${server.url}/webhooks/jira`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
        });
      const before = await outbox();
      const resolved = lifecycle.findLast((delivery) => delivery.label === 'Mitigating → Resolved');

      const answers = [];
      for (const laterByMs of [-1_500, 0, 2_000]) {
        const response = await fetch(`${server.url}/webhooks/jira/automation`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-incident-flow-secret': SECRET },
          body: automationReportOf(resolved?.body ?? '{}', laterByMs),
        });
        answers.push(response.status);
      }
      const after = await outbox();

      expect(answers.every((status) => status < 300)).toBe(true);
      expect(before.filter((entry) => entry.group === 'keep-satisfied').length).toBeGreaterThan(0);
      expect(after).toHaveLength(before.length);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
