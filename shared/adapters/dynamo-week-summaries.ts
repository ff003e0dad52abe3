import {
  BatchGetItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { TABLE } from '../deployment-names.ts';
import { WEEK_SUMMARY_VERSION, type WeekSummary } from '../domain/weekly-trend.ts';
import type { WeekSummaries } from '../ports.ts';
import { toItem } from './dynamo-item.ts';

const summaryKey = (weekId: string) => ({
  [TABLE.partitionKey]: `SUMMARY#${weekId}`,
  [TABLE.sortKey]: 'SUMMARY',
});
const BATCH_GET_LIMIT = 100;

const weekSummarySchema = z.object({
  version: z.literal(WEEK_SUMMARY_VERSION),
  openedCount: z.number(),
  resolvedCount: z.number(),
  mttaMedianMs: z.nullable(z.number()),
  mttrMedianMs: z.nullable(z.number()),
  changeFailureRate: z.nullable(z.number()),
}) satisfies z.ZodMiniType<WeekSummary>;

/** Week summaries on DynamoDB: one item per week, in a partition of its own. */
export function createDynamoWeekSummaries(client: DynamoDBClient, tableName: string): WeekSummaries {
  return {
    async getWeekSummaries(weekIds) {
      const summaries = new Map<string, WeekSummary>();
      for (let i = 0; i < weekIds.length; i += BATCH_GET_LIMIT) {
        let keys = weekIds.slice(i, i + BATCH_GET_LIMIT).map((weekId) => toItem(summaryKey(weekId)));
        // BatchGetItem may leave keys unprocessed under load: ask again for those.
        while (keys.length > 0) {
          const page = await client.send(
            new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
          );
          for (const item of page.Responses?.[tableName] ?? []) {
            const row = unmarshall(item);
            // A summary of an older rule (or none) is left out, so the report recomputes and stores it again.
            const summary = weekSummarySchema.safeParse(row.summary);
            if (summary.success) summaries.set(String(row.weekId), summary.data);
          }
          keys = page.UnprocessedKeys?.[tableName]?.Keys ?? [];
        }
      }
      return summaries;
    },

    async saveWeekSummary(weekId, summary) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({ ...summaryKey(weekId), weekId, summary }),
        }),
      );
    },

    async forgetWeekSummaries(weekIds) {
      await Promise.all(
        weekIds.map((weekId) =>
          client.send(new DeleteItemCommand({ TableName: tableName, Key: toItem(summaryKey(weekId)) })),
        ),
      );
    },
  };
}
