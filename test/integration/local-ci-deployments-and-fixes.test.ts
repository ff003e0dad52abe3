import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
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

const SECRET = 'github-test-secret-0123456789';

type Payload = Record<string, Record<string, unknown>>;

describe('deployments and fix pull requests from GitHub', () => {
  let server: LocalServer;
  let dir: string;
  const tickets = (): LocalTicket[] => {
    const path = join(dir, 'local-tickets.json');
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).tickets : [];
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ci-deployments-'));
    server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      settings: settingsWith({ ci: { productionWorkflows: ['deploy-prod'] } }),
      webhookSecrets: { current: SECRET },
      localTicketsPath: join(dir, 'local-tickets.json'),
      postmortemsDir: join(dir, 'postmortems'),
      log: silentLog,
    });
    const [created] = demoLifecycle(
      { issueId: '424242', key: 'INC-42', openedAtMs: Date.parse('2026-11-23T08:00:00Z') },
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

  async function post(event: string, body: string, delivery: string) {
    const response = await fetch(`${server.url}/webhooks/github`, {
      method: 'POST',
      headers: {
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-hub-signature-256': await sign(SECRET, body),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  function deploymentStatus(changes: { state?: string; environment?: string; id?: number }): string {
    const payload = ciFixture('github-deployment-status-success-1') as Payload;
    Object.assign(payload.deployment_status ?? {}, {
      ...(changes.state ? { state: changes.state } : {}),
      ...(changes.environment ? { environment: changes.environment } : {}),
    });
    if (changes.id !== undefined && payload.deployment) payload.deployment.id = changes.id;
    return JSON.stringify(payload);
  }

  function pullRequest(action: string, changes: Record<string, unknown>): string {
    const payload = ciFixture('github-pull-request-opened-1') as Payload;
    payload.action = action as never;
    Object.assign(payload.pull_request ?? {}, changes);
    return JSON.stringify(payload);
  }

  it('records a production deployment once, with the identity POST /webhooks/deployment gives it', async () => {
    const body = ciFixtureText('github-deployment-status-success-1');

    const first = await post('deployment_status', body, 'deploy-1');
    const again = await post('deployment_status', body, 'deploy-1-status-repeated');

    expect(first.body).toMatchObject({ kind: 'deployment-recorded', duplicate: false });
    expect(again.body).toMatchObject({ kind: 'deployment-recorded', duplicate: true });
    const store = createDynamoDeploymentStore(
      createLocalDynamoClient(server.dynamoEndpoint),
      LOCAL_TABLE_NAME,
    );
    const deployments = await store.listDeployments(
      Date.parse('2019-05-01T00:00:00Z'),
      Date.parse('2019-06-01T00:00:00Z'),
    );
    expect(deployments).toEqual([
      {
        id: 'github:Codertocat/Hello-World:145988746',
        service: 'Hello-World',
        version: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        atMs: Date.parse('2019-05-15T15:20:55Z'),
      },
    ]);
  });

  it('ignores a deployment to an environment that is not production', async () => {
    const response = await post(
      'deployment_status',
      deploymentStatus({ environment: 'staging', id: 7 }),
      'staging-1',
    );

    expect(response.body).toMatchObject({ ignored: 'staging is not a production environment' });
  });

  it('opens one incident, in the detection status, for a failed production deployment', async () => {
    const body = deploymentStatus({ state: 'failure', id: 9001 });

    const first = await post('deployment_status', body, 'failed-deploy-1');
    const retried = await post('deployment_status', body, 'failed-deploy-1-redelivered-by-hand');

    expect(first.body).toMatchObject({ kind: 'incident-opened' });
    expect(retried.body).toMatchObject({ kind: 'incident-opened', incident: first.body.incident });
    const incident = tickets().find((ticket) => ticket.key === first.body.incident);
    expect(incident).toMatchObject({
      summary: 'Production deployment failed: Hello-World to production',
      status: 'Detected',
      labels: ['incident', expect.stringMatching(/^change-failure-github-/)],
    });
  });

  it('opens an incident, not a premortem, when a production deploy workflow fails', async () => {
    const payload = ciFixture('github-workflow-run-failure-1') as Payload;
    Object.assign(payload.workflow_run ?? {}, { name: 'deploy-prod' });

    const response = await post('workflow_run', JSON.stringify(payload), 'deploy-workflow-1');

    expect(response.body).toMatchObject({ kind: 'incident-opened' });
    expect(tickets().find((ticket) => ticket.key === response.body.incident)?.summary).toBe(
      'Production deploy failed: deploy-prod on master (clee2000/random-testing)',
    );
  });

  it('shows a pull request naming the incident as "fix opened", then "fix merged", on GET /incidents/:key', async () => {
    const url = 'https://github.com/zhouzhuojie/gha-ci-playground/pull/31';

    const opened = await post(
      'pull_request',
      pullRequest('opened', { title: 'Retry the payment call (INC-42)' }),
      'pr-1',
    );
    const merged = await post(
      'pull_request',
      pullRequest('closed', {
        title: 'Retry the payment call (INC-42)',
        merged: true,
        merged_at: '2026-11-23T10:30:00Z',
        state: 'closed',
      }),
      'pr-2',
    );
    const incident = (await (await fetch(`${server.url}/incidents/INC-42`)).json()) as { fixes: unknown[] };

    expect(opened.body).toMatchObject({ kind: 'fix-linked', incidents: ['INC-42'] });
    expect(merged.body).toMatchObject({ kind: 'fix-linked', incidents: ['INC-42'] });
    expect(incident.fixes).toEqual([
      {
        what: 'fix opened',
        title: 'Retry the payment call (INC-42)',
        author: 'zzj-bot',
        url,
        at: '2021-07-30T21:50:32.000Z',
      },
      {
        what: 'fix merged',
        title: 'Retry the payment call (INC-42)',
        author: 'zzj-bot',
        url,
        at: '2026-11-23T10:30:00.000Z',
      },
    ]);
  });

  it('finds the incident key in the branch name too, and ignores a closed pull request that was not merged', async () => {
    const fromBranch = await post(
      'pull_request',
      pullRequest('opened', { head: { ref: 'inc-42-cache-ttl' } }),
      'pr-3',
    );
    const closed = await post(
      'pull_request',
      pullRequest('closed', { title: 'INC-42 abandoned attempt', merged: false }),
      'pr-4',
    );

    expect(fromBranch.body).toMatchObject({ kind: 'fix-linked', incidents: ['INC-42'] });
    expect(closed.body).toMatchObject({ ignored: 'names no incident, or neither opened nor merged' });
  });

  it('ignores the captured pull request, which names no incident', async () => {
    const response = await post('pull_request', ciFixtureText('github-pull-request-opened-1'), 'pr-plain');

    expect(response.body).toMatchObject({ ignored: 'names no incident, or neither opened nor merged' });
  });

  it('lists the merged fix in the postmortem written when the incident is resolved', async () => {
    const [created, ...rest] = demoLifecycle(
      { issueId: '434343', key: 'INC-43', openedAtMs: Date.parse('2026-11-23T08:00:00Z') },
      SECRET,
    );
    if (created === undefined) throw new Error('the demo lifecycle has no creation');
    await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: created.headers,
      body: created.body,
    });
    await post(
      'pull_request',
      pullRequest('closed', {
        title: 'Shorter cache TTL for INC-43',
        merged: true,
        merged_at: '2026-11-23T09:10:00Z',
      }),
      'pr-43',
    );

    for (const delivery of rest)
      await fetch(`${server.url}/webhooks/jira`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
    const postmortem = await (await fetch(`${server.url}/incidents/INC-43/postmortem`)).text();

    expect(postmortem).toContain('## Changes');
    expect(postmortem).toContain(
      '[Shorter cache TTL for INC-43](https://github.com/zhouzhuojie/gha-ci-playground/pull/31) by zzj-bot, merged',
    );
  });
});
