import { describe, expect, it } from 'vitest';
import { createDynamoReconcileLedger } from '#shared/adapters/dynamo-reconcile-ledger.ts';
import { freshDynamoStore } from './dynamo.ts';

async function freshLedger() {
  const { client, tableName, store } = await freshDynamoStore();
  return { ledger: createDynamoReconcileLedger(client, tableName), store };
}

describe('the reconcile ledger on dynalite', () => {
  it('has no watermark before the first run, then the one saved last', async () => {
    const { ledger } = await freshLedger();

    expect(await ledger.watermark('incidents')).toBeNull();
    await ledger.saveWatermark('incidents', 1_000);
    await ledger.saveWatermark('incidents', 2_000);

    expect(await ledger.watermark('incidents')).toBe(2_000);
    expect(await ledger.watermark('another')).toBeNull();
  });

  it('keeps a backfill run and the issues it finished, more than one query page of them', async () => {
    const { ledger } = await freshLedger();
    const run = { runId: 'abc', jql: 'project = OPS', startedAtMs: 5, effectsFromMs: 7 };
    await ledger.saveBackfillRun(run);
    const ids = Array.from({ length: 1_500 }, (_, i) => String(10_000 + i));

    await Promise.all(
      Array.from({ length: 15 }, (_, i) => ledger.markFinished('abc', ids.slice(i * 100, i * 100 + 100))),
    );

    expect(await ledger.backfillRun('abc')).toEqual(run);
    expect(await ledger.backfillRun('other')).toBeNull();
    const finished = await ledger.finishedIssues('abc');
    expect(finished.size).toBe(1_500);
    expect(finished.has('10042')).toBe(true);
    expect((await ledger.finishedIssues('other')).size).toBe(0);
  });

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
