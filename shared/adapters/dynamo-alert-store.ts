import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { TABLE } from '../deployment-names.ts';
import type { AlertSource, AlertStore, ReceivedDelivery, RememberedAlert } from '../ports.ts';
import { putOnce, toItem } from './dynamo-item.ts';
import { queryAll } from './dynamo-query.ts';

// None of these sort keys begins with TABLE.eventPrefix: the stream's filter passes only event items,
// so the alert intake's rows never wake the processor.
const IDENTITY_SK = 'ALERT';
const identityKey = (identity: string) => ({
  [TABLE.partitionKey]: `ALERTID#${identity}`,
  [TABLE.sortKey]: IDENTITY_SK,
});
const incidentKeyOf = (incidentKey: string) => ({
  [TABLE.partitionKey]: `ALERTINCIDENT#${incidentKey}`,
  [TABLE.sortKey]: 'SOURCE',
});
const STORM_KEY = { [TABLE.partitionKey]: 'ALERTS', [TABLE.sortKey]: 'STORM' };
/** Incidents opened from alerts, by time, in one partition: the storm check reads it consistently. */
const OPENED_PARTITION = 'ALERTS';
const OPENED_PREFIX = 'OPENED#';
/** Deliveries by UTC day, one partition a day, sorted by time of receipt. */
const DAY_MS = 86_400_000;
const deliveryPartition = (dayIndex: number) =>
  `ALERTDELIVERIES#${new Date(dayIndex * DAY_MS).toISOString().slice(0, 10)}`;
const paddedMs = (ms: number) => String(Math.max(0, Math.trunc(ms))).padStart(15, '0');

const linkSchema = z.object({ kind: z.string(), url: z.string() });
const sourceSchema = z.object({
  incidentKey: z.string(),
  tool: z.enum(['alertmanager', 'grafana', 'cloudwatch', 'generic']),
  alertName: z.string(),
  links: z.array(linkSchema),
  startsAtMs: z.nullable(z.number()),
  openedAtMs: z.number(),
  clearedAtMs: z._default(z.nullable(z.number()), null),
  lastCommentAtMs: z._default(z.nullable(z.number()), null),
});
const outcomeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('incident'),
    step: z.enum(['open', 'fired-again', 'flapping', 'cleared', 'storm']),
    incidentKey: z.string(),
  }),
  z.object({ kind: z.literal('noise'), route: z.string() }),
  z.object({ kind: z.literal('unrouted') }),
  z.object({ kind: z.literal('recorded') }),
]);
const deliverySchema = z.object({
  deliveryId: z.string(),
  tool: z.enum(['alertmanager', 'grafana', 'cloudwatch', 'generic']),
  receivedAtMs: z.number(),
  alerts: z.array(
    z.object({
      identity: z.string(),
      name: z.string(),
      status: z.enum(['firing', 'resolved', 'no-data']),
      startsAtMs: z.nullable(z.number()),
      outcome: outcomeSchema,
    }),
  ),
});

/** The alert intake's rows in the event table, under partitions of their own (see above). */
export function createDynamoAlertStore(client: DynamoDBClient, tableName: string): AlertStore {
  async function get(key: Record<string, unknown>) {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: marshall(key), ConsistentRead: true }),
    );
    return Item ? unmarshall(Item) : null;
  }
  async function source(incidentKey: string) {
    const parsed = sourceSchema.safeParse(await get(incidentKeyOf(incidentKey)));
    return parsed.success ? parsed.data : null;
  }
  async function setOnSource(incidentKey: string, attribute: string, atMs: number) {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshall(incidentKeyOf(incidentKey)),
        UpdateExpression: 'SET #attribute = :atMs',
        ExpressionAttributeNames: { '#attribute': attribute },
        ExpressionAttributeValues: marshall({ ':atMs': atMs }),
      }),
    );
  }

  return {
    async recordDelivery(delivery) {
      await putOnce(client, tableName, {
        [TABLE.partitionKey]: deliveryPartition(Math.floor(delivery.receivedAtMs / DAY_MS)),
        [TABLE.sortKey]: `${paddedMs(delivery.receivedAtMs)}#${delivery.deliveryId}`,
        ...delivery,
      });
    },
    async deliveriesBetween(fromMs, toMs) {
      const deliveries: ReceivedDelivery[] = [];
      for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS < toMs; day++) {
        const items = await queryAll(client, {
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
          ExpressionAttributeValues: marshall({
            ':pk': deliveryPartition(day),
            ':from': paddedMs(fromMs),
            // '#' sorts before every digit: this bound takes every delivery of the ms before toMs.
            ':to': `${paddedMs(toMs - 1)}$`,
          }),
          ConsistentRead: true,
        });
        for (const item of items) {
          const parsed = deliverySchema.safeParse(item);
          if (parsed.success) deliveries.push(parsed.data);
        }
      }
      return deliveries;
    },
    async recall(identities) {
      const known = new Map<string, RememberedAlert>();
      for (const identity of new Set(identities)) {
        const item = await get(identityKey(identity));
        if (typeof item?.incidentKey !== 'string') continue;
        const opened = await source(item.incidentKey);
        known.set(identity, {
          incidentKey: item.incidentKey,
          lastCommentAtMs: opened?.lastCommentAtMs ?? null,
        });
      }
      return known;
    },
    async remember(identities, incidentKey) {
      for (const identity of new Set(identities))
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem({ ...identityKey(identity), identity, incidentKey }),
          }),
        );
    },
    commented: (incidentKey, atMs) => setOnSource(incidentKey, 'lastCommentAtMs', atMs),
    async opened(opened: AlertSource) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({ ...incidentKeyOf(opened.incidentKey), ...opened }),
        }),
      );
      await putOnce(client, tableName, {
        [TABLE.partitionKey]: OPENED_PARTITION,
        [TABLE.sortKey]: `${OPENED_PREFIX}${paddedMs(opened.openedAtMs)}#${opened.incidentKey}`,
      });
    },
    async openedBetween(fromMs, toMs) {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
        ExpressionAttributeValues: marshall({
          ':pk': OPENED_PARTITION,
          ':from': `${OPENED_PREFIX}${paddedMs(fromMs)}`,
          ':to': `${OPENED_PREFIX}${paddedMs(toMs - 1)}$`,
        }),
        ProjectionExpression: '#sk',
        ConsistentRead: true,
      });
      return items.length;
    },
    async sourceOf(incidentKey) {
      const found = await source(incidentKey);
      if (found === null) return null;
      const { lastCommentAtMs: _, ...rest } = found;
      return rest;
    },
    cleared: (incidentKey, atMs) => setOnSource(incidentKey, 'clearedAtMs', atMs),
    async stormIncident() {
      const item = await get(STORM_KEY);
      return typeof item?.incidentKey === 'string' ? item.incidentKey : null;
    },
    async saveStormIncident(incidentKey) {
      await client.send(
        new PutItemCommand({ TableName: tableName, Item: toItem({ ...STORM_KEY, incidentKey }) }),
      );
    },
  };
}
