import { describe, expect, it } from 'vitest';
import { createDynamoReconcileLedger } from '#shared/adapters/dynamo-reconcile-ledger.ts';
import { issueReadMarksContract } from '../contract/issue-read-marks-contract.ts';
import { reconcileLedgerContract } from '../contract/reconcile-ledger-contract.ts';
import { freshDynamoStore, onFreshTable } from './dynamo.ts';

async function freshLedger() {
  const { client, tableName, store } = await freshDynamoStore();
  return { ledger: createDynamoReconcileLedger(client, tableName), store };
}

reconcileLedgerContract('the DynamoDB adapter on dynalite', onFreshTable(createDynamoReconcileLedger));
issueReadMarksContract('the DynamoDB adapter on dynalite', onFreshTable(createDynamoReconcileLedger));

describe('the reconcile ledger on dynalite', () => {
  it("marks each issue's last full read with the Jira time given, and lists no mark as an incident", async () => {
    const { ledger, store } = await freshLedger();

    expect(await ledger.readInFullAt('10001')).toBeNull();
    await ledger.saveReadInFull('10001', { updatedMs: 1_000, newestHistoryId: '10100' });
    await ledger.saveReadInFull('10001', { updatedMs: 2_000, newestHistoryId: '10200' });
    await ledger.saveReadInFull('10002', { updatedMs: 1_500, newestHistoryId: null });

    expect(await ledger.readInFullAt('10001')).toEqual({ updatedMs: 2_000, newestHistoryId: '10200' });
    expect(await ledger.readInFullAt('10002')).toEqual({ updatedMs: 1_500, newestHistoryId: null });
    expect(await store.listStates()).toEqual([]);
  });

  it('stays out of the incidents: no ledger item is listed as one', async () => {
    const { ledger, store } = await freshLedger();
    await ledger.saveWatermark('incidents', 1);
    await ledger.saveBackfillRun({ runId: 'r', jql: 'x', startedAtMs: 1, effectsFromMs: 1 });
    await ledger.markFinished('r', ['1']);

    expect(await store.listStates()).toEqual([]);
  });
});
