import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { TABLE } from '#shared/deployment-names.ts';
import { WEEK_SUMMARY_VERSION, type WeekSummary } from '#shared/domain/weekly-trend.ts';
import { freshDynamoStore } from './dynamo.ts';

describe('the stored week summaries', () => {
  it('reads a summary stored before the percentile rule changed as missing, so it is computed again', async () => {
    const { client, tableName, store } = await freshDynamoStore();
    const current: WeekSummary = {
      version: WEEK_SUMMARY_VERSION,
      openedCount: 4,
      resolvedCount: 4,
      mttaMedianMs: 60_000,
      mttrMedianMs: 145 * 60_000,
      changeFailureRate: null,
    };
    await store.saveWeekSummary('2026-W46', current);
    // As the nearest-rank version stored it: no version, the lower middle value as the median.
    const { version: _version, ...nearestRank } = { ...current, mttrMedianMs: 90 * 60_000 };
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({
          [TABLE.partitionKey]: 'SUMMARY#2026-W45',
          [TABLE.sortKey]: 'SUMMARY',
          weekId: '2026-W45',
          summary: nearestRank,
        }),
      }),
    );

    const summaries = await store.getWeekSummaries(['2026-W45', '2026-W46']);

    expect(summaries).toEqual(new Map([['2026-W46', current]]));
  });
});
