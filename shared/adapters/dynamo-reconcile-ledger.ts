import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { TABLE } from '../deployment-names.ts';
import type { BackfillRun, IssueReadMarks, ReconcileLedger } from '../ports.ts';
import { queryAll } from './dynamo-query.ts';

const watermarkKey = (name: string) =>
  marshall({ [TABLE.partitionKey]: 'RECONCILER', [TABLE.sortKey]: `WATERMARK#${name}` });
const runPartition = (runId: string) => `BACKFILL#${runId}`;
/** One item per issue, in a partition of its own: reads and writes spread over the table's keys. */
const readMarkKey = (issueId: string) =>
  marshall({ [TABLE.partitionKey]: `READ#${issueId}`, [TABLE.sortKey]: 'RECONCILER' });
const FINISHED_PREFIX = 'FINISHED#';

const readMarkSchema = z.object({ updatedMs: z.number(), newestHistoryId: z.nullable(z.string()) });

const runSchema = z.object({
  runId: z.string(),
  jql: z.string(),
  startedAtMs: z.number(),
  effectsFromMs: z.number(),
});

/**
 * The reconciler's watermarks, its marks of issues read in full and the backfill's progress, in the
 * event table under partitions of their own (the stream's filter passes only event items, so none of
 * this wakes the processor).
 */
export function createDynamoReconcileLedger(
  client: DynamoDBClient,
  tableName: string,
): ReconcileLedger & IssueReadMarks {
  async function get(key: Record<string, unknown>) {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: key as never, ConsistentRead: true }),
    );
    return Item ? unmarshall(Item) : null;
  }

  return {
    async watermark(name) {
      const item = await get(watermarkKey(name));
      return typeof item?.atMs === 'number' ? item.atMs : null;
    },
    async saveWatermark(name, atMs) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...watermarkKey(name), ...marshall({ atMs, at: new Date(atMs).toISOString() }) },
        }),
      );
    },
    async readInFullAt(issueId) {
      const parsed = readMarkSchema.safeParse(await get(readMarkKey(issueId)));
      return parsed.success ? parsed.data : null;
    },
    async saveReadInFull(issueId, mark) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...readMarkKey(issueId), ...marshall({ ...mark }) },
        }),
      );
    },
    async backfillRun(runId) {
      const item = await get(marshall({ [TABLE.partitionKey]: runPartition(runId), [TABLE.sortKey]: 'RUN' }));
      const parsed = runSchema.safeParse(item);
      return parsed.success ? parsed.data : null;
    },
    async saveBackfillRun(run: BackfillRun) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: marshall({ [TABLE.partitionKey]: runPartition(run.runId), [TABLE.sortKey]: 'RUN', ...run }),
        }),
      );
    },
    async finishedIssues(runId) {
      const finished = new Set<string>();
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
        ExpressionAttributeValues: marshall({ ':pk': runPartition(runId), ':prefix': FINISHED_PREFIX }),
        ProjectionExpression: '#sk',
        ConsistentRead: true,
      });
      for (const item of items) {
        const sk = item[TABLE.sortKey];
        if (typeof sk === 'string') finished.add(sk.slice(FINISHED_PREFIX.length));
      }
      return finished;
    },
    async markFinished(runId, issueIds) {
      for (const issueId of issueIds) {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: marshall({
              [TABLE.partitionKey]: runPartition(runId),
              [TABLE.sortKey]: `${FINISHED_PREFIX}${issueId}`,
            }),
          }),
        );
      }
    },
  };
}
