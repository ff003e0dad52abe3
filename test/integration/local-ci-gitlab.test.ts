import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createDynamoDeploymentStore } from '#shared/adapters/dynamo-deployment-store.ts';
import { createLocalDynamoClient } from '#shared/adapters/local-dynamo.ts';
import type { LocalTicket } from '#shared/adapters/local-ticket-tracker.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { LOCAL_TABLE_NAME } from '../../bin/local-wiring.ts';
import { settingsWith } from '../builders.ts';
import { ciFixture, ciFixtureText } from '../fixtures/ci-fixtures.ts';

const SECRET = 'gitlab-test-token-0123456789';

type Payload = Record<string, Record<string, unknown>>;

describe('POST /webhooks/gitlab', () => {
  let server: LocalServer;
  let dir: string;
  const tickets = (): LocalTicket[] => {
    const path = join(dir, 'local-tickets.json');
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).tickets : [];
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ci-gitlab-'));
    server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      // The captured pipeline ran on the branch iss-449 of a project whose default branch is dev.
      settings: settingsWith({ ci: { branches: ['iss-449'] } }),
      webhookSecrets: { current: SECRET },
      localTicketsPath: join(dir, 'local-tickets.json'),
      log: silentLog,
    });
    const [created] = demoLifecycle(
      { issueId: '707070', key: 'INC-7', openedAtMs: Date.parse('2026-11-23T08:00:00Z') },
      SECRET,
    );
    if (created === undefined) throw new Error('the demo lifecycle has no creation');
    await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: created.headers,
      body: created.body,
    });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(event: string, body: string, uuid: string | null, token: string | null = SECRET) {
    const response = await fetch(`${server.url}/webhooks/gitlab`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gitlab-event': event,
        ...(uuid === null ? {} : { 'x-gitlab-event-uuid': uuid }),
        ...(token === null ? {} : { 'x-gitlab-token': token }),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('opens a premortem for the captured failed pipeline, naming its failed job, and says when it is green again', async () => {
    const succeeded = ciFixture('gitlab-pipeline-failed-1') as Payload;
    Object.assign(succeeded.object_attributes ?? {}, {
      status: 'success',
      sha: '2222222aaaaaaa',
      finished_at: '2022-04-01 08:00:27 UTC',
    });

    const failed = await post('Pipeline Hook', ciFixtureText('gitlab-pipeline-failed-1'), 'uuid-pipeline-1');
    const redelivered = await post(
      'Pipeline Hook',
      ciFixtureText('gitlab-pipeline-failed-1'),
      'uuid-pipeline-1',
    );
    const green = await post('Pipeline Hook', JSON.stringify(succeeded), 'uuid-pipeline-2');

    expect(failed.body).toMatchObject({ kind: 'premortem-opened' });
    expect(redelivered.body).toEqual({ duplicate: true, delivery: 'uuid-pipeline-1' });
    expect(green.body).toMatchObject({ kind: 'green-again', ticket: failed.body.ticket });
    const ticket = tickets().find((candidate) => candidate.key === failed.body.ticket);
    expect(ticket?.summary).toBe('CI failing: pipeline on iss-449 (pengyonghui/datakit)');
    expect(ticket?.description).toContain('Head commit 1cabf86: Update test-ci.txt by pengyonghui');
    expect(ticket?.description).toContain('Failing jobs: deploy: release-nothing-only-build');
    expect(ticket?.description).toContain(
      'http://gitlab.jiagouyun.com/pengyonghui/datakit/-/pipelines/110437',
    );
    expect(ticket?.comments.map((comment) => comment.text)).toEqual([
      'green again at 2222222 after 1h 00m: http://gitlab.jiagouyun.com/pengyonghui/datakit/-/pipelines/110437',
    ]);
  });

  it('records the captured production deployment with its full commit', async () => {
    const response = await post(
      'Deployment Hook',
      ciFixtureText('gitlab-deployment-success-1'),
      'uuid-deploy-1',
    );

    expect(response.body).toMatchObject({ kind: 'deployment-recorded', duplicate: false });
    const store = createDynamoDeploymentStore(
      createLocalDynamoClient(server.dynamoEndpoint),
      LOCAL_TABLE_NAME,
    );
    expect(
      await store.listDeployments(Date.parse('2025-05-01T00:00:00Z'), Date.parse('2025-06-01T00:00:00Z')),
    ).toEqual([
      {
        id: 'gitlab:vedant8600317/test:988572802',
        service: 'test',
        version: '58793660b22d6ceacbdc23b28a0562bca339702c',
        atMs: Date.parse('2025-05-02T11:55:16Z'),
      },
    ]);
  });

  it('shows a merge request naming the incident as "fix opened", then "fix merged"', async () => {
    const opened = ciFixture('gitlab-merge-request-opened-1') as Payload;
    Object.assign(opened.object_attributes ?? {}, { title: 'INC-7: raise the pool size' });
    const merged = ciFixture('gitlab-merge-request-opened-1') as Payload;
    Object.assign(merged.object_attributes ?? {}, {
      title: 'INC-7: raise the pool size',
      action: 'merge',
      state: 'merged',
      updated_at: '2017-12-11 09:30:00 UTC',
    });

    await post('Merge Request Hook', JSON.stringify(opened), 'uuid-mr-1');
    await post('Merge Request Hook', JSON.stringify(merged), 'uuid-mr-2');
    const incident = (await (await fetch(`${server.url}/incidents/INC-7`)).json()) as { fixes: unknown[] };

    expect(incident.fixes).toEqual([
      expect.objectContaining({ what: 'fix opened', author: 'sytses', at: '2017-12-10T17:01:11.000Z' }),
      expect.objectContaining({
        what: 'fix merged',
        url: 'https://gitlab.com/gitlab-org/hello-world/merge_requests/1',
        at: '2017-12-11T09:30:00.000Z',
      }),
    ]);
  });

  it.each([
    ['a wrong token', 'not-the-token', '1'],
    ['no token', null, '2'],
  ])('refuses %s with 401 and stores nothing', async (_case, token, deploymentId) => {
    const body = ciFixtureText('gitlab-deployment-success-1').replace('988572802', deploymentId);

    const refused = await post('Deployment Hook', body, `uuid-refused-${deploymentId}`, token);
    const genuine = await post('Deployment Hook', body, `uuid-refused-${deploymentId}`);

    expect(refused.status).toBe(401);
    expect(genuine.status).toBe(202);
  });

  it('answers a hook it does not follow 200 as ignored', async () => {
    const response = await post('Push Hook', JSON.stringify({ object_kind: 'push' }), 'uuid-push');

    expect(response).toEqual({ status: 200, body: { ignored: 'Push Hook events are not followed' } });
  });

  it('answers a followed hook without X-Gitlab-Event-UUID 400 naming the header', async () => {
    const response = await post('Deployment Hook', ciFixtureText('gitlab-deployment-success-1'), null);

    expect(response.status).toBe(400);
    expect(response.body.error).toBe('the X-Gitlab-Event-UUID header is missing');
  });

  it('answers a malformed pipeline 400 naming the field', async () => {
    const payload = ciFixture('gitlab-pipeline-failed-1') as Payload;
    Object.assign(payload.object_attributes ?? {}, { finished_at: '1 April 2022' });

    const response = await post('Pipeline Hook', JSON.stringify(payload), 'uuid-malformed');

    expect(response.status).toBe(400);
    expect(response.body.problems).toEqual([
      expect.objectContaining({ path: 'object_attributes.finished_at' }),
    ]);
  });
});
