import { describe, expect, it } from 'vitest';
import { createDynamoReconcileLedger } from '#shared/adapters/dynamo-reconcile-ledger.ts';
import { reconcileLedgerContract } from '../contract/reconcile-ledger-contract.ts';
import { freshDynamoStore, onFreshTable } from './dynamo.ts';

async function freshLedger() {
  const { client, tableName, store } = await freshDynamoStore();
  return { ledger: createDynamoReconcileLedger(client, tableName), store };
}

reconcileLedgerContract('the DynamoDB adapter on dynalite', onFreshTable(createDynamoReconcileLedger));

describe('the reconcile ledger on dynalite', () => {
  it('stays out of the incidents: no ledger item is listed as one', async () => {
    const { ledger, store } = await freshLedger();
    await ledger.saveWatermark('incidents', 1);
    await ledger.saveBackfillRun({ runId: 'r', jql: 'x', startedAtMs: 1, effectsFromMs: 1 });
    await ledger.markFinished('r', ['1']);

    expect(await store.listStates()).toEqual([]);
  });
});
