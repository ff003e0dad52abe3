import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createDynamoDeploymentStore } from '#shared/adapters/dynamo-deployment-store.ts';
import { signWebhookBody } from '#shared/lambda/webhook-signature.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';
import { deploymentStoreContract } from '../contract/deployment-store-contract.ts';
import { freshDynamoStore, onFreshTable } from './dynamo.ts';

const SECRET = 'deployment-secret-0123456789';

describe('POST /webhooks/deployment', () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      settings: settingsWith(),
      webhookSecrets: { current: SECRET },
      log: silentLog,
    });
  });

  afterAll(() => server.close());

  const post = (body: string, secret = SECRET) =>
    fetch(`${server.url}/webhooks/deployment`, {
      method: 'POST',
      headers: { 'x-hub-signature': signWebhookBody(body, secret) },
      body,
    });

  it('records a signed deployment once and answers its retry as a duplicate', async () => {
    const body = JSON.stringify({
      id: 'deploy-881',
      service: 'checkout-api',
      version: '2026.11.24-3',
      time: '2026-11-24T14:02:00+01:00',
    });

    const first = await post(body);
    const retry = await post(body);

    expect(first.status).toBe(202);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ duplicate: true, deployment: 'deploy-881' });
  });

  it('refuses a deployment signed with another secret', async () => {
    const response = await post(
      JSON.stringify({ id: 'd', service: 's', version: 'v', time: 1 }),
      'another-secret-entirely',
    );

    expect(response.status).toBe(401);
  });

  it('names the field of a report it cannot use', async () => {
    const response = await post(JSON.stringify({ id: 'd', service: 's', version: 'v', time: 'yesterday' }));

    expect(response.status).toBe(400);
    expect(((await response.json()) as { problems: unknown[] }).problems).toEqual([
      expect.objectContaining({ path: 'time' }),
    ]);
  });
});

deploymentStoreContract('the DynamoDB adapter on dynalite', onFreshTable(createDynamoDeploymentStore));

describe('the DynamoDB deployment store', () => {
  it('lists the deployments of a time range across a month boundary', async () => {
    const { client, tableName } = await freshDynamoStore();
    const store = createDynamoDeploymentStore(client, tableName);
    const at = (iso: string) => Date.parse(iso);
    await store.recordDeployment({ id: 'a', service: 's', version: '1', atMs: at('2026-11-29T23:00:00Z') });
    await store.recordDeployment({ id: 'b', service: 's', version: '2', atMs: at('2026-12-01T08:00:00Z') });
    await store.recordDeployment({ id: 'c', service: 's', version: '3', atMs: at('2026-12-07T00:00:00Z') });

    const listed = await store.listDeployments(
      at('2026-11-30T00:00:00Z') - 3_600_000,
      at('2026-12-07T00:00:00Z'),
    );

    expect(listed.map((deployment) => deployment.id).sort()).toEqual(['a', 'b']);
  });
});
