import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { TABLE } from '../deployment-names.ts';
import { ciActivityId, ciActivitySchema } from '../domain/ci-activity.ts';
import type { CiActivityLog } from '../ports.ts';
import { toItem } from './dynamo-item.ts';
import { queryAll } from './dynamo-query.ts';
import { utcMonthOf, utcMonthsBetween } from './utc-months.ts';

// Epoch ms stay 13 digits until the year 2286: as text, the sort key orders by time.
const TIME_DIGITS = 13;
const timePrefix = (ms: number) => String(ms).padStart(TIME_DIGITS, '0');

/**
 * One partition per UTC month, sorted by time: a report's week (in any time zone) is a range query on
 * at most two partitions. UTC, not the team's weeks, so that changing the time zone re-keys nothing.
 */
const PARTITION_PREFIX = 'CI-ACTIVITY#';

function monthPk(ms: number): string {
  return `${PARTITION_PREFIX}${utcMonthOf(ms)}`;
}

/** The CI activity log in the event table, base-table keys only (no index to add or pay for). */
export function createDynamoCiActivityLog(client: DynamoDBClient, tableName: string): CiActivityLog {
  return {
    async recordActivity(activity) {
      // An unconditional put: the same identity writes the same item, so a retry is harmless.
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({
            [TABLE.partitionKey]: monthPk(activity.atMs),
            [TABLE.sortKey]: `${timePrefix(activity.atMs)}#${ciActivityId(activity)}`,
            activity,
          }),
        }),
      );
    },

    async activityBetween(startMs, endMs) {
      if (endMs <= startMs) return [];
      const pages = await Promise.all(
        utcMonthsBetween(startMs, endMs).map((month) =>
          queryAll(client, {
            TableName: tableName,
            // '#' sorts before every digit: the range ends just before the first item at endMs.
            KeyConditionExpression: `${TABLE.partitionKey} = :pk AND ${TABLE.sortKey} BETWEEN :from AND :to`,
            ExpressionAttributeValues: toItem({
              ':pk': `${PARTITION_PREFIX}${month}`,
              ':from': timePrefix(startMs),
              ':to': `${timePrefix(endMs - 1)}~`,
            }),
          }),
        ),
      );
      return pages
        .flat()
        .map((item) => ciActivitySchema.parse(item.activity))
        .sort((a, b) => a.atMs - b.atMs);
    },
  };
}
