import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import type { OutboxEntry } from '#shared/adapters/outbox-notifier.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';
import { createManualClock } from '../fakes/manual-clock.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-burst-'));
const jiraTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/** A status change of INC-77 as Jira Cloud posts it, at `atMs`. */
function move(changelogId: number, atMs: number, from: string, to: string, openedAtMs: number): string {
  return JSON.stringify({
    timestamp: atMs,
    webhookEvent: changelogId === 0 ? 'jira:issue_created' : 'jira:issue_updated',
    issue: {
      id: '777',
      key: 'INC-77',
      fields: {
        summary: 'Search is slow',
        issuetype: { name: 'Incident' },
        status: { name: to },
        priority: { name: 'Medium' },
        components: [],
        labels: [],
        created: jiraTime(openedAtMs),
        updated: jiraTime(atMs),
      },
    },
    changelog: {
      id: String(9000 + changelogId),
      items:
        changelogId === 0
          ? []
          : [{ field: 'status', fieldId: 'status', from: null, fromString: from, to: null, toString: to }],
    },
  });
}

describe('a burst of stage changes in local mode', () => {
  let server: LocalServer | undefined;

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('goes out as one update naming the latest stage once the burst is over', async () => {
    const now = Date.parse('2026-11-23T09:00:00.000Z');
    const clock = createManualClock(now);
    server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      settings: settingsWith({ notifications: { burstWindowSeconds: 1 } }),
      webhookSecrets: null,
      log: silentLog,
      notifications: { directory: DEMO_DIRECTORY, outboxPath: join(dataDir, 'outbox.jsonl') },
      clock,
    });
    const url = server.url;
    const opened = now - 60_000;
    for (const body of [
      move(0, opened, '', 'Declared', opened),
      move(1, now, 'Declared', 'Triaged', opened),
      move(2, now + 100, 'Triaged', 'Investigating', opened),
    ]) {
      const response = await fetch(`${url}/webhooks/jira`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(202);
    }
    const informed = async () =>
      (
        (await (await fetch(`${url}/notifications?incident=INC-77`)).json()) as {
          notifications: OutboxEntry[];
        }
      ).notifications.filter((entry) => entry.group === 'keep-informed');

    const during = await informed();
    clock.advance(900);
    const stillDuring = await informed();
    clock.advance(300);
    const after = await informed();
    clock.advance(60_000);
    const later = await informed();

    expect(during).toEqual([]);
    expect(stillDuring).toEqual([]);
    expect(after.map((entry) => entry.subject)).toEqual([expect.stringMatching(/now Investigating$/)]);
    expect(later).toHaveLength(1);
  });
});
