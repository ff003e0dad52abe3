import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoAlertStore } from '#shared/adapters/dynamo-alert-store.ts';
import { TABLE } from '#shared/deployment-names.ts';
import { alertStoreContract } from '../contract/alert-store-contract.ts';
import { freshDynamoStore, onFreshTable } from './dynamo.ts';

alertStoreContract('the DynamoDB adapter on dynalite', onFreshTable(createDynamoAlertStore));

describe('the alert store on dynalite', () => {
  it('stays out of the incidents and out of the stream: no row is an event or listed as an incident', async () => {
    const { client, tableName, store } = await freshDynamoStore();
    const alerts = createDynamoAlertStore(client, tableName);
    await alerts.recordDelivery({ deliveryId: 'd', tool: 'generic', receivedAtMs: 5, alerts: [] });
    await alerts.opened({
      incidentKey: 'OPS-1',
      tool: 'generic',
      alertName: 'x',
      links: [],
      startsAtMs: null,
      openedAtMs: 5,
      clearedAtMs: null,
    });
    await alerts.remember(['generic:x'], 'OPS-1');
    await alerts.commented('OPS-1', 6);
    await alerts.saveStormIncident('OPS-1');

    const { Items } = await client.send(new ScanCommand({ TableName: tableName }));
    const sortKeys = (Items ?? []).map((item) => item[TABLE.sortKey]?.S ?? '');
    expect(sortKeys.length).toBeGreaterThan(4);
    expect(sortKeys.filter((sk) => sk.startsWith(TABLE.eventPrefix))).toEqual([]);
    expect(await store.listStates()).toEqual([]);
  });
});
