import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { TABLE } from '../deployment-names.ts';
import type { CiDeliveries, CiStreaks, FixLinks } from '../ports.ts';
import { toItem } from './dynamo-item.ts';
import { queryAll } from './dynamo-query.ts';

const isNewRecord = 'attribute_not_exists(sk)';
const isAtVersion = 'streak.version = :expected';

const streakSchema = z.object({
  streakKey: z.string(),
  generation: z.number(),
  failing: z.boolean(),
  ticketKey: z.nullable(z.string()),
  ticketUrl: z.nullable(z.string()),
  failingSinceMs: z.nullable(z.number()),
  openingRunId: z._default(z.nullable(z.string()), null),
  lastRunAtMs: z.number(),
  handledRunIds: z.array(z.string()),
  version: z.number(),
});
const fixSchema = z.object({
  incidentKey: z.string(),
  changeId: z.string(),
  what: z.enum(['fix opened', 'fix merged']),
  title: z.string(),
  author: z.nullable(z.string()),
  url: z.string(),
  atMs: z.number(),
});

/** CI streaks, handled deliveries and fix links, as rows of the event table. */
export function createDynamoCiStore(
  client: DynamoDBClient,
  tableName: string,
): CiStreaks & CiDeliveries & FixLinks {
  async function putIfNew(item: Record<string, unknown>): Promise<'stored' | 'duplicate'> {
    try {
      await client.send(
        new PutItemCommand({ TableName: tableName, Item: toItem(item), ConditionExpression: isNewRecord }),
      );
      return 'stored';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }

  return {
    async streakOf(streakKey) {
      const answer = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem({ [TABLE.partitionKey]: `CI#${streakKey}`, [TABLE.sortKey]: 'STREAK' }),
          ConsistentRead: true,
        }),
      );
      return answer.Item ? streakSchema.parse(unmarshall(answer.Item).streak) : null;
    },

    async saveStreak(streak, expectedVersion) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem({
              [TABLE.partitionKey]: `CI#${streak.streakKey}`,
              [TABLE.sortKey]: 'STREAK',
              streak: { ...streak, version: expectedVersion + 1 },
            }),
            ...(expectedVersion === 0
              ? { ConditionExpression: isNewRecord }
              : {
                  ConditionExpression: isAtVersion,
                  ExpressionAttributeValues: toItem({ ':expected': expectedVersion }),
                }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async isHandled(source, deliveryId) {
      const answer = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem({
            [TABLE.partitionKey]: `CI-DELIVERY#${source}#${deliveryId}`,
            [TABLE.sortKey]: 'DELIVERY',
          }),
          ConsistentRead: true,
        }),
      );
      return answer.Item !== undefined;
    },

    async markHandled(source, deliveryId, atMs) {
      await putIfNew({
        [TABLE.partitionKey]: `CI-DELIVERY#${source}#${deliveryId}`,
        [TABLE.sortKey]: 'DELIVERY',
        atMs,
      });
    },

    async recordFix(fix) {
      return putIfNew({
        [TABLE.partitionKey]: `FIXES#${fix.incidentKey}`,
        [TABLE.sortKey]: `FIX#${fix.changeId}#${fix.what}`,
        fix,
      });
    },

    async fixesOf(incidentKey) {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :fix)',
        ExpressionAttributeValues: toItem({ ':pk': `FIXES#${incidentKey}`, ':fix': 'FIX#' }),
        ConsistentRead: true,
      });
      return items.map((item) => fixSchema.parse(item.fix)).sort((a, b) => a.atMs - b.atMs);
    },
  };
}
