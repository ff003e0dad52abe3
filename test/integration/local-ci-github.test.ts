import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createDynamoCiActivityLog } from '#shared/adapters/dynamo-ci-activity-log.ts';
import { createLocalDynamoClient } from '#shared/adapters/local-dynamo.ts';
import type { LocalTicket } from '#shared/adapters/local-ticket-tracker.ts';
import { runCiDemo } from '../../bin/demo-ci.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { LOCAL_TABLE_NAME } from '../../bin/local-wiring.ts';
import { settingsWith } from '../builders.ts';
import { ciFixture, ciFixtureText } from '../fixtures/ci-fixtures.ts';

const SECRET = 'github-test-secret-0123456789';
const PREVIOUS_SECRET = 'github-previous-secret-9876543210';
// The delivery id GitHub gave the captured workflow_run (its .source.txt).
const CAPTURED_DELIVERY = 'bfe22520-466a-11ed-8dae-4cb245a6a856';

type Run = { workflow_run: Record<string, unknown>; repository: Record<string, unknown> };

/** The captured failed run, moved to its own repository so that each test has its own streak. */
function runIn(repository: string, changes: Record<string, unknown> = {}): string {
  const payload = ciFixture('github-workflow-run-failure-1') as Run;
  payload.repository.full_name = repository;
  Object.assign(payload.workflow_run, changes);
  return JSON.stringify(payload);
}

describe('POST /webhooks/github', () => {
  let server: LocalServer;
  let dir: string;
  const tickets = (): LocalTicket[] => {
    const path = join(dir, 'local-tickets.json');
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).tickets : [];
  };
  const ticketOf = (repository: string) => tickets().find((ticket) => ticket.summary.includes(repository));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ci-github-'));
    server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      settings: settingsWith(),
      webhookSecrets: { current: SECRET, previous: PREVIOUS_SECRET },
      localTicketsPath: join(dir, 'local-tickets.json'),
      log: silentLog,
    });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(event: string, body: string, delivery: string, secret = SECRET) {
    const response = await fetch(`${server.url}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-hub-signature-256': await sign(secret, body),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('opens one premortem for the captured failed run on the default branch, and stores its redelivery once', async () => {
    const body = ciFixtureText('github-workflow-run-failure-1');

    const first = await post('workflow_run', body, CAPTURED_DELIVERY);
    const redelivery = await post('workflow_run', body, CAPTURED_DELIVERY);

    expect(first).toEqual({
      status: 202,
      body: {
        kind: 'premortem-opened',
        ticket: expect.stringMatching(/^LOCAL-\d+$/),
        delivery: CAPTURED_DELIVERY,
      },
    });
    expect(redelivery).toEqual({ status: 200, body: { duplicate: true, delivery: CAPTURED_DELIVERY } });
    const ticket = ticketOf('clee2000/random-testing');
    expect(ticket?.summary).toBe('CI failing: rebase on master (clee2000/random-testing)');
    expect(ticket?.labels).toEqual(['ci-failure', expect.stringMatching(/^ci-rebase-master-[0-9a-f]{8}-1$/)]);
    expect(ticket?.description).toContain('Head commit d74df09: Update thing.xml by clee2000');
    expect(ticket?.description).toContain(
      'https://github.com/clee2000/random-testing/actions/runs/3206737417',
    );
    expect(tickets().filter((t) => t.summary.includes('clee2000/random-testing'))).toHaveLength(1);
  });

  it('comments on the open premortem when the workflow fails again, then says when it is green again', async () => {
    await post('workflow_run', runIn('acme/again'), 'again-1');

    const again = await post(
      'workflow_run',
      runIn('acme/again', { id: 3206737500, head_sha: 'aaaaaaa1111', updated_at: '2022-10-07T18:30:00Z' }),
      'again-2',
    );
    const green = await post(
      'workflow_run',
      runIn('acme/again', {
        id: 3206737600,
        conclusion: 'success',
        head_sha: 'bbbbbbb2222',
        updated_at: '2022-10-07T20:06:21Z',
      }),
      'again-3',
    );

    expect(again.body).toMatchObject({ kind: 'premortem-commented' });
    expect(green.body).toMatchObject({ kind: 'green-again' });
    const ticket = ticketOf('acme/again');
    expect(ticket?.comments.map((comment) => comment.text)).toEqual([
      'failed again at aaaaaaa by clee2000: https://github.com/clee2000/random-testing/actions/runs/3206737417',
      'green again at bbbbbbb after 2h 00m: https://github.com/clee2000/random-testing/actions/runs/3206737417',
    ]);
    expect(tickets().filter((t) => t.summary.includes('acme/again'))).toHaveLength(1);
  });

  it('records the streak for the weekly report: its first failure and its time to green', async () => {
    await post('workflow_run', runIn('acme/counted'), 'counted-1');
    const failedAtMs = Date.parse(
      String((ciFixture('github-workflow-run-failure-1') as Run).workflow_run.updated_at),
    );

    await post(
      'workflow_run',
      runIn('acme/counted', { id: 3206737700, conclusion: 'success', updated_at: '2022-10-07T21:00:00Z' }),
      'counted-2',
    );

    const log = createDynamoCiActivityLog(createLocalDynamoClient(server.dynamoEndpoint), LOCAL_TABLE_NAME);
    const records = (
      await log.activityBetween(Date.parse('2022-10-03T00:00:00Z'), Date.parse('2022-10-10T00:00:00Z'))
    ).filter((record) => record.kind !== 'fix-merged' && record.repository === 'acme/counted');
    expect(records.map((record) => [record.kind, record.atMs])).toEqual([
      ['failure-opened', failedAtMs],
      ['green-again', Date.parse('2022-10-07T21:00:00Z')],
    ]);
    expect(records[1]).toMatchObject({ failingSinceMs: failedAtMs });
  });

  it('opens a second premortem when the workflow breaks again after being green', async () => {
    await post('workflow_run', runIn('acme/twice'), 'twice-1');
    await post(
      'workflow_run',
      runIn('acme/twice', { id: 2, conclusion: 'success', updated_at: '2022-10-07T19:00:00Z' }),
      'twice-2',
    );

    const broken = await post(
      'workflow_run',
      runIn('acme/twice', { id: 3, updated_at: '2022-10-07T20:00:00Z' }),
      'twice-3',
    );

    expect(broken.body).toMatchObject({ kind: 'premortem-opened' });
    expect(tickets().filter((t) => t.summary.includes('acme/twice'))).toHaveLength(2);
  });

  it('ignores a failure on a branch that is not watched', async () => {
    const response = await post(
      'workflow_run',
      runIn('acme/branches', { head_branch: 'feature/x' }),
      'branch-1',
    );

    expect(response).toEqual({
      status: 200,
      body: { ignored: 'rebase on feature/x is not watched', delivery: 'branch-1' },
    });
    expect(ticketOf('acme/branches')).toBeUndefined();
  });

  it('takes a delivery signed with the previous secret while the secret is rotated', async () => {
    const response = await post('workflow_run', runIn('acme/rotated'), 'rotated-1', PREVIOUS_SECRET);

    expect(response.status).toBe(202);
  });

  it('refuses a bad signature with 401 and stores nothing, so the real delivery is still taken', async () => {
    const body = runIn('acme/forged');

    const forged = await post('workflow_run', body, 'forged-1', 'not-the-secret');
    const genuine = await post('workflow_run', body, 'forged-1');

    expect(forged.status).toBe(401);
    expect(genuine.status).toBe(202);
    expect(tickets().filter((t) => t.summary.includes('acme/forged'))).toHaveLength(1);
  });

  it.each([
    ['ping', 'ping'],
    ['issues', 'issues events are not followed'],
  ])('answers a %s event 200 as ignored', async (event, reason) => {
    const response = await post(
      event,
      JSON.stringify({ zen: 'Design for failure.', hook_id: 1 }),
      `${event}-1`,
    );

    expect(response).toEqual({ status: 200, body: { ignored: reason } });
  });

  it('answers a malformed workflow_run 400 naming the field', async () => {
    const payload = ciFixture('github-workflow-run-failure-1') as Run;
    delete payload.workflow_run.head_sha;

    const response = await post('workflow_run', JSON.stringify(payload), 'malformed-1');

    expect(response.status).toBe(400);
    expect(response.body.problems).toEqual([expect.objectContaining({ path: 'workflow_run.head_sha' })]);
  });

  it("plays the demo's failed build, its premortem and the green run", async () => {
    const lines: string[] = [];

    const ok = await runCiDemo(
      server.url,
      SECRET,
      (text) => lines.push(text),
      Date.parse('2026-11-24T10:00:00Z'),
    );

    expect(ok).toBe(true);
    const ticket = ticketOf('demo/shop-');
    expect(ticket?.comments.map((comment) => comment.text.replace(/:.*$/, ''))).toEqual([
      'failed again at b2c3d4e by Dana (demo)',
      'green again at c3d4e5f after 40m',
    ]);
    expect(lines.join('')).toContain('premortem-opened');
  });
});
