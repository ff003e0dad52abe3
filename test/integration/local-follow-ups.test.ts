import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createLocalTicketTracker } from '#shared/adapters/local-ticket-tracker.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { LOCAL_TABLE_NAME } from '../../bin/local-wiring.ts';
import { syncCommand } from '../../bin/sync.ts';
import { settingsWith } from '../builders.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-follow-ups-'));
const postmortemPath = join(dataDir, 'postmortems', 'INC-71.md');
const settings = settingsWith();
let server: LocalServer;
let output = '';

async function sync(): Promise<string> {
  output = '';
  await syncCommand({
    settings,
    dataDir,
    local: { dataDir, tableName: LOCAL_TABLE_NAME },
    out: (text) => {
      output += text;
    },
  });
  return output;
}

interface FollowUpView {
  key: string;
  summary: string;
  owner: string | null;
  ownerUnresolved: boolean;
  dueDate: string;
  dueDateFrom: string;
  state: string;
  itemRemoved: boolean;
}

async function followUps(): Promise<FollowUpView[]> {
  const response = await fetch(`${server.url}/incidents/INC-71/follow-ups`);
  return ((await response.json()) as { followUps: FollowUpView[] }).followUps;
}

/** Edits the postmortem's Action Items as a person would, in their editor. */
function editActionItems(edit: (lines: string[]) => string[]) {
  const lines = readFileSync(postmortemPath, 'utf8').split('\n');
  const start = lines.findIndex((line) => line === '## Action Items');
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const section = lines.slice(start + 1, end === -1 ? undefined : end);
  const edited = edit(section);
  writeFileSync(
    postmortemPath,
    [...lines.slice(0, start + 1), ...edited, ...(end === -1 ? [] : lines.slice(end))].join('\n'),
  );
}

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    dynamoPort: 0,
    dataDir: join(dataDir, 'dynamodb'),
    lockDir: dataDir,
    settings,
    webhookSecrets: null,
    log: silentLog,
    postmortemsDir: join(dataDir, 'postmortems'),
    jiraOutboxPath: join(dataDir, 'jira-outbox.jsonl'),
  });
  // A demo incident, resolved and in its Postmortem stage: the Markdown postmortem exists.
  for (const delivery of demoLifecycle({
    issueId: '717171',
    key: 'INC-71',
    openedAtMs: Date.now() - 4 * 3_600_000,
  }))
    await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
  // The processor writes the postmortem after the answers, by itself.
  await server.idle();
}, 60_000);

afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('follow-ups in local mode', () => {
  it('creates one LOCAL ticket per action item written in the Markdown postmortem, nested ones too', async () => {
    editActionItems((section) => [
      ...section.filter((line) => !line.startsWith('- [ ]')),
      '- [ ] Add an alert on checkout error rate @ana 2026-12-15',
      '- [ ] Write the runbook for payment provider failover',
      '  - [ ] Rehearse the failover @sam',
      '- [x] Roll back the release (done during the incident)',
      '',
    ]);

    const report = await sync();
    const listed = await followUps();

    expect(report).toContain('3 follow-ups created');
    expect(listed.map((f) => [f.key, f.summary, f.owner, f.dueDate, f.dueDateFrom, f.state])).toEqual([
      ['LOCAL-1', 'Add an alert on checkout error rate', 'ana', '2026-12-15', 'item', 'open'],
      [
        'LOCAL-2',
        'Write the runbook for payment provider failover',
        expect.any(String),
        expect.any(String),
        'severity-default',
        'open',
      ],
      ['LOCAL-3', 'Rehearse the failover', 'sam', expect.any(String), 'severity-default', 'open'],
    ]);
    // The item without an owner went to the incident's assignee, flagged in the item and the list.
    expect(listed[1]?.ownerUnresolved).toBe(true);
    const markdown = readFileSync(postmortemPath, 'utf8');
    expect(markdown).toMatch(
      /- \[ \] Add an alert on checkout error rate @ana 2026-12-15 → LOCAL-1 <!-- item:[0-9a-f]{16} -->/,
    );
    expect(markdown).toMatch(
      /Write the runbook for payment provider failover → LOCAL-2 _\(no owner: assigned to .+\)_ <!-- item:/,
    );
    // The default due date follows the incident's severity (the demo is a SEV1: 7 days).
    const today = new Date().toISOString().slice(0, 10);
    const inAWeek = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(listed[2]?.dueDate).toBe(inAWeek);
  });

  it('creates nothing twice when run again', async () => {
    const report = await sync();

    expect(report).toContain('0 follow-ups created, 0 updated');
    expect(await followUps()).toHaveLength(3);
    expect(createLocalTicketTracker(join(dataDir, 'local-tickets.json')).tickets()).toHaveLength(3);
  });

  it('updates the ticket of an edited item, and keeps a removed item’s ticket with a comment', async () => {
    editActionItems((section) =>
      section
        .map((line) =>
          line.replace(
            'Add an alert on checkout error rate @ana 2026-12-15',
            'Alert on checkout errors above 2% @ana 2026-12-20',
          ),
        )
        .filter((line) => !line.includes('Rehearse the failover')),
    );

    const report = await sync();
    const listed = await followUps();
    const tickets = createLocalTicketTracker(join(dataDir, 'local-tickets.json')).tickets();

    expect(report).toContain('1 updated');
    expect(listed[0]).toMatchObject({
      key: 'LOCAL-1',
      summary: 'Alert on checkout errors above 2%',
      dueDate: '2026-12-20',
    });
    expect(listed[2]).toMatchObject({ key: 'LOCAL-3', itemRemoved: true, state: 'open' });
    expect(tickets.find((ticket) => ticket.key === 'LOCAL-3')?.comments[0]?.text).toMatch(
      /removed from the postmortem/,
    );
  });

  it('checks the item once its ticket is done', async () => {
    createLocalTicketTracker(join(dataDir, 'local-tickets.json')).markDone('LOCAL-1');

    await sync();

    expect((await followUps())[0]).toMatchObject({ key: 'LOCAL-1', state: 'done' });
    expect(readFileSync(postmortemPath, 'utf8')).toMatch(/- \[x\] Alert on checkout errors above 2%/);
  });

  it('answers 404 for an unknown incident', async () => {
    expect((await fetch(`${server.url}/incidents/NOPE-1/follow-ups`)).status).toBe(404);
  });
});
