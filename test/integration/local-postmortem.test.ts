import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { readLocalComments } from '#shared/adapters/local-issue-tracker.ts';
import { type Delivery, demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-postmortem-'));
const postmortemsDir = join(dataDir, 'postmortems');

function start(): Promise<LocalServer> {
  return startLocalServer({
    port: 0,
    dynamoPort: 0,
    dataDir: join(dataDir, 'dynamodb'),
    settings: settingsWith(),
    webhookSecrets: null,
    log: silentLog,
    postmortemsDir,
    jiraOutboxPath: join(dataDir, 'jira-outbox.jsonl'),
  });
}

describe('the postmortem in local mode', () => {
  let server: LocalServer | undefined;

  async function deliver(deliveries: readonly Delivery[]) {
    for (const delivery of deliveries) {
      await fetch(`${server?.url}/webhooks/jira`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
    }
    // The processor writes the file after the answers, by itself.
    await server?.idle();
  }

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is written once, as Markdown, when the incident is resolved, and the incident links to it', async () => {
    server = await start();
    const lifecycle = demoLifecycle({
      issueId: '616161',
      key: 'INC-61',
      openedAtMs: Date.parse('2026-11-23T08:00:00Z'),
    });
    for (const delivery of lifecycle) {
      await fetch(`${server.url}/webhooks/jira`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
    }
    await server.close();
    server = await start();
    const [again] = lifecycle;
    await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: again?.headers,
      body: again?.body,
    });

    const incident = (await (await fetch(`${server.url}/incidents/INC-61`)).json()) as {
      postmortem: { status: string; url: string };
    };
    const served = await fetch(`${server.url}/incidents/INC-61/postmortem`);
    const markdown = readFileSync(join(postmortemsDir, 'INC-61.md'), 'utf8');

    expect(readdirSync(postmortemsDir)).toEqual(['INC-61.md']);
    expect(readLocalComments(join(dataDir, 'jira-outbox.jsonl'), 'INC-61')).toEqual([
      expect.objectContaining({
        marker: 'incident-flow:postmortem',
        link: { text: 'INC-61 postmortem', url: incident.postmortem.url },
      }),
    ]);
    expect(incident.postmortem).toEqual({
      status: 'written',
      url: expect.stringMatching(/^file:.*INC-61\.md$/),
    });
    expect(served.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(await served.text()).toBe(markdown);
    expect(markdown).toMatch(/^# INC-61: Checkout payments failing for card customers/);
    expect(markdown).toContain('## Timeline');
    expect(markdown).toContain('Mia Commander: Error rate at 30% on checkout-api');
  });

  it('keeps the header table current after a reopen and a second resolution, leaving the edited body alone', async () => {
    server ??= await start();
    const openedAtMs = Date.parse('2026-11-24T08:00:00Z');
    const lifecycle = demoLifecycle({ issueId: '626262', key: 'INC-62', openedAtMs });
    const firstResolution = lifecycle.findIndex((delivery) => delivery.label === 'Mitigating → Resolved');
    const secondResolution = lifecycle.findLastIndex(
      (delivery) => delivery.label === 'Mitigating → Resolved',
    );
    const path = join(postmortemsDir, 'INC-62.md');
    await deliver(lifecycle.slice(0, firstResolution + 1));
    const written = readFileSync(path, 'utf8');
    const edited = written
      .replace('| Status | Draft |', '| Status | In review |')
      .replace('## Root Cause\n', '## Root Cause\n\nThe cache was cold after the rollback.\n');
    writeFileSync(path, edited);

    await deliver(lifecycle.slice(firstResolution + 1, secondResolution + 1));
    const refreshed = readFileSync(path, 'utf8');
    const modifiedAtMs = statSync(path).mtimeMs;
    // Into the postmortem stage, and a redelivery: processed again with nothing changed.
    await deliver(lifecycle.slice(secondResolution + 1));

    expect(written).toContain(`| Resolved | ${new Date(openedAtMs + 58 * 60_000).toISOString()} |`);
    expect(written).toContain('| Time to resolve | 58m |');
    expect(refreshed).toBe(
      edited
        .replace(
          `| Resolved | ${new Date(openedAtMs + 58 * 60_000).toISOString()} |`,
          `| Resolved | ${new Date(openedAtMs + 112 * 60_000).toISOString()} |`,
        )
        .replace('| Time to resolve | 58m |', '| Time to resolve | 1h 52m |'),
    );
    expect(refreshed).toContain('| Status | In review |');
    expect(refreshed).toContain('The cache was cold after the rollback.');
    expect(statSync(path).mtimeMs).toBe(modifiedAtMs);
    expect(readFileSync(path, 'utf8')).toBe(refreshed);
  });
});
