import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { TABLE } from '../deployment-names.ts';
import { incidentEventSchema } from '../domain/events.ts';
import { type IncidentState, incidentStateSchema } from '../domain/timeline.ts';
import { WEEK_SUMMARY_VERSION, type WeekSummary } from '../domain/weekly-metrics.ts';
import type { EventStore } from '../ports.ts';
import { createDynamoEventJournal, incidentPk } from './dynamo-event-journal.ts';
import { queryAll as queryAllPages, queryList, queryWeek } from './dynamo-query.ts';
import {
  createDynamoSendLedger,
  DELIVERY_PREFIX,
  deliveryKey,
  deliverySchema,
} from './dynamo-send-ledger.ts';

const isNoOlderState = 'attribute_not_exists(sk) OR eventCount <= :eventCount';
export const STATE_SK = 'STATE';
const LIST_PARTITION = 'INCIDENT';

const summaryKey = (weekId: string) => ({
  [TABLE.partitionKey]: `SUMMARY#${weekId}`,
  [TABLE.sortKey]: 'SUMMARY',
});
const BATCH_GET_LIMIT = 100;
export const POSTMORTEM_SK = 'POSTMORTEM';
/** The byOpening index partition listing postmortems whose action items are still followed. */
export const ACTIVE_POSTMORTEMS = 'POSTMORTEM#active';
const POSTMORTEM_FAILURE_SK = 'POSTMORTEM_FAILURE';
const postmortemFailureSchema = z.object({ error: z.string(), atMs: z.number() });
const postmortemSchema = z.object({ id: z.string(), url: z.string(), created: z.boolean() });
const isNewRecord = 'attribute_not_exists(sk)';
const isRecorded = 'attribute_exists(sk)';
/** The POSTMORTEM item's attribute holding the fingerprint of the page's properties as last written. */
const PROPERTIES_FINGERPRINT = 'propertiesFingerprint';

const weekSummarySchema = z.object({
  version: z.literal(WEEK_SUMMARY_VERSION),
  openedCount: z.number(),
  resolvedCount: z.number(),
  mttaMedianMs: z.nullable(z.number()),
  mttrMedianMs: z.nullable(z.number()),
  changeFailureRate: z.nullable(z.number()),
}) satisfies z.ZodMiniType<WeekSummary>;
// Absent snapshot fields stay absent in the row; DynamoDB has no `undefined`.
const toItem = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true });

/**
 * Changes attributes of an incident's postmortem record, only when the record exists: an update never
 * creates one, and updating what is not recorded yet does nothing.
 */
export async function updatePostmortemRecord(
  client: DynamoDBClient,
  tableName: string,
  issueId: string,
  update: {
    readonly expression: string;
    readonly names?: Record<string, string>;
    readonly values?: Record<string, unknown>;
  },
): Promise<void> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: toItem({ [TABLE.partitionKey]: incidentPk(issueId), [TABLE.sortKey]: POSTMORTEM_SK }),
        UpdateExpression: update.expression,
        ConditionExpression: isRecorded,
        ...(update.names ? { ExpressionAttributeNames: update.names } : {}),
        ...(update.values ? { ExpressionAttributeValues: toItem(update.values) } : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** The event store on DynamoDB (or dynalite, which speaks the same protocol). */
export function createDynamoEventStore(client: DynamoDBClient, tableName: string): EventStore {
  const queryAll = (input: QueryCommandInput) => queryAllPages(client, input);

  /** Puts an item unless one with its key exists: a record of something done once; the first one stands. */
  async function putOnce(item: Record<string, unknown>): Promise<void> {
    try {
      await client.send(
        new PutItemCommand({ TableName: tableName, Item: toItem(item), ConditionExpression: isNewRecord }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  const parseState = (item: Record<string, unknown>): IncidentState => incidentStateSchema.parse(item.state);

  return {
    ...createDynamoEventJournal(client, tableName),
    ...createDynamoSendLedger(client, tableName),

    async loadEvents(issueId) {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: toItem({ ':pk': incidentPk(issueId), ':events': TABLE.eventPrefix }),
        // The processor must see every event acknowledged before it was triggered.
        ConsistentRead: true,
      });
      return items.map((item) => incidentEventSchema.parse(item.event));
    },

    async saveState(state, weeks) {
      try {
        const { Attributes: previous } = await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem({
              [TABLE.partitionKey]: incidentPk(state.issueId),
              [TABLE.sortKey]: STATE_SK,
              [TABLE.byKeyAttribute]: state.key,
              [TABLE.byOpeningPartition]: LIST_PARTITION,
              [TABLE.byOpeningSort]: state.openedAtMs,
              [TABLE.openedWeekAttribute]: weeks.openedWeek,
              // Absent while unresolved: the resolved-week index stays sparse.
              [TABLE.resolvedWeekAttribute]: weeks.resolvedWeek ?? undefined,
              eventCount: state.eventCount,
              state,
            }),
            ConditionExpression: isNoOlderState,
            ExpressionAttributeValues: toItem({ ':eventCount': state.eventCount }),
            ReturnValues: 'ALL_OLD',
          }),
        );
        const old = previous ? unmarshall(previous) : null;
        const openedWeek = old?.[TABLE.openedWeekAttribute];
        const resolvedWeek = old?.[TABLE.resolvedWeekAttribute];
        return {
          kind: 'saved',
          previousWeeks:
            typeof openedWeek === 'string'
              ? { openedWeek, resolvedWeek: typeof resolvedWeek === 'string' ? resolvedWeek : null }
              : null,
        };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return { kind: 'stale' };
        throw error;
      }
    },

    async getStateByKey(key) {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE.byKeyIndex,
          KeyConditionExpression: `${TABLE.byKeyAttribute} = :key`,
          ExpressionAttributeValues: toItem({ ':key': key }),
        }),
      );
      // Jira reuses no key, but a moved issue's old key can linger in the index for a moment.
      const states = (page.Items ?? [])
        .map((item) => parseState(unmarshall(item)))
        .filter((state) => state.key === key);
      return states.sort((a, b) => b.openedAtMs - a.openedAtMs)[0] ?? null;
    },

    async listStatesByWeek(week, by) {
      return (await queryWeek(client, tableName, by, week)).map(parseState);
    },

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

    async loadDeliveries(issueId) {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :deliveries)',
        ExpressionAttributeValues: toItem({ ':pk': incidentPk(issueId), ':deliveries': DELIVERY_PREFIX }),
        ConsistentRead: true,
      });
      return items.map((item) => deliverySchema.parse(item.delivery)).sort((a, b) => a.atMs - b.atMs);
    },

    async recordDelivery(issueId, delivery) {
      await putOnce({
        [TABLE.partitionKey]: incidentPk(issueId),
        [TABLE.sortKey]: deliveryKey(delivery),
        delivery,
      });
    },

    async postmortemOf(issueId) {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk = :sk',
          ExpressionAttributeValues: toItem({ ':pk': incidentPk(issueId), ':sk': POSTMORTEM_SK }),
          ConsistentRead: true,
        }),
      );
      const item = page.Items?.[0];
      return item ? postmortemSchema.parse(unmarshall(item).postmortem) : null;
    },

    async recordPostmortem(issueId, postmortem) {
      await putOnce({
        [TABLE.partitionKey]: incidentPk(issueId),
        [TABLE.sortKey]: POSTMORTEM_SK,
        // Listed among the active postmortems (a sparse index) until the follow-up sync retires it.
        [TABLE.byOpeningPartition]: ACTIVE_POSTMORTEMS,
        [TABLE.byOpeningSort]: Date.now(),
        issueId,
        postmortem,
      });
    },

    async postmortemPropertiesOf(issueId) {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem({ [TABLE.partitionKey]: incidentPk(issueId), [TABLE.sortKey]: POSTMORTEM_SK }),
          ProjectionExpression: '#fingerprint',
          ExpressionAttributeNames: { '#fingerprint': PROPERTIES_FINGERPRINT },
          ConsistentRead: true,
        }),
      );
      const fingerprint = Item ? unmarshall(Item)[PROPERTIES_FINGERPRINT] : undefined;
      return z.optional(z.string()).parse(fingerprint) ?? null;
    },

    async recordPostmortemProperties(issueId, fingerprint) {
      // An attribute of the postmortem's record (its active-postmortem attributes untouched), never a record of its own.
      await updatePostmortemRecord(client, tableName, issueId, {
        expression: 'SET #fingerprint = :fingerprint',
        names: { '#fingerprint': PROPERTIES_FINGERPRINT },
        values: { ':fingerprint': fingerprint },
      });
    },

    async postmortemFailureOf(issueId) {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem({ [TABLE.partitionKey]: incidentPk(issueId), [TABLE.sortKey]: POSTMORTEM_FAILURE_SK }),
          ConsistentRead: true,
        }),
      );
      return Item ? postmortemFailureSchema.parse(unmarshall(Item).failure) : null;
    },

    async recordPostmortemFailure(issueId, failure) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({
            [TABLE.partitionKey]: incidentPk(issueId),
            [TABLE.sortKey]: POSTMORTEM_FAILURE_SK,
            failure,
          }),
        }),
      );
    },

    async listStates() {
      return (await queryList(client, tableName, LIST_PARTITION, 'newest first')).map(parseState);
    },
  };
}
