import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { TABLE } from '../deployment-names.ts';
import { TRIGGERS } from '../domain/notification-policy.ts';
import type { Delivery, SendIntent, SendLedger } from '../ports.ts';
import { incidentPk } from './dynamo-event-journal.ts';
import { queryAll } from './dynamo-query.ts';

export const DELIVERY_PREFIX = 'DELIVERY#';
const INTENT_PREFIX = 'DELIVERY-INTENT#';
/** Both prefixes: one query reads an incident's whole delivery log. */
const LOG_PREFIX = 'DELIVERY';

const isNewRecord = 'attribute_not_exists(sk)';
const isStillAsLeft = 'ownerId = :previousOwner AND attempt = :previousAttempt AND #state = :sending';
const isOwnedSend = 'ownerId = :owner AND #state = :sending';

/** One record per notification, channel and recipient: a retry of the same message finds it. */
export const deliveryKey = (delivery: Delivery): string =>
  `${DELIVERY_PREFIX}${delivery.notificationId}#${delivery.channel}#${delivery.recipient}`;

export const deliverySchema = z.object({
  notificationId: z.string(),
  group: z.string(),
  channel: z.enum(['email', 'sms']),
  recipient: z.string(),
  status: z.enum(['sent', 'failed', 'opted-out']),
  providerMessageId: z.nullable(z.string()),
  error: z.nullable(z.string()),
  atMs: z.number(),
}) satisfies z.ZodMiniType<Delivery>;

const severity = z.nullable(z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4']));
const messageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('group'),
    notificationId: z.string(),
    issueKey: z.string(),
    group: z.enum(['manage-closely', 'keep-satisfied', 'keep-informed', 'monitor']),
    severity,
    channels: z.array(z.enum(['email', 'sms'])),
    subject: z.string(),
    email: z.string(),
    sms: z.string(),
  }),
  z.object({
    kind: z.literal('page'),
    notificationId: z.string(),
    issueKey: z.string(),
    recipient: z.object({ name: z.string(), phone: z.string() }),
    sms: z.string(),
  }),
]);

const intentSchema = z.object({
  intentId: z.string(),
  notificationId: z.string(),
  group: z.string(),
  announcement: z.nullable(z.object({ kind: z.enum(TRIGGERS), subject: z.string(), momentMs: z.number() })),
  message: z.nullable(messageSchema),
  ownerId: z.string(),
  claimedAtMs: z.number(),
  attempt: z.number(),
  state: z.enum(['sending', 'sent', 'possibly-sent']),
}) satisfies z.ZodMiniType<SendIntent>;

const storedIntentSchema = z.object({ intent: intentSchema });

const toItem = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true });

/** The delivery log on DynamoDB: intents claimed with a conditional put, deliveries written once. */
export function createDynamoSendLedger(client: DynamoDBClient, tableName: string): SendLedger {
  const key = (issueId: string, intentId: string) =>
    toItem({ [TABLE.partitionKey]: incidentPk(issueId), [TABLE.sortKey]: `${INTENT_PREFIX}${intentId}` });
  const setState = (
    issueId: string,
    intentId: string,
    state: SendIntent['state'],
    alsoSet = '',
    values: Record<string, unknown> = {},
  ) =>
    client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key(issueId, intentId),
        UpdateExpression: `SET #state = :state, intent.#state = :state${alsoSet}`,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: toItem({ ':state': state, ...values }),
      }),
    );
  const conditionally = async (send: () => Promise<unknown>): Promise<boolean> => {
    try {
      await send();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  return {
    async loadDeliveryLog(issueId) {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :log)',
        ExpressionAttributeValues: toItem({ ':pk': incidentPk(issueId), ':log': LOG_PREFIX }),
        ConsistentRead: true,
      });
      const intents: SendIntent[] = [];
      const deliveries: Delivery[] = [];
      for (const item of items) {
        const sk = String(item[TABLE.sortKey]);
        if (sk.startsWith(INTENT_PREFIX)) {
          intents.push(storedIntentSchema.parse(item).intent);
        } else if (sk.startsWith(DELIVERY_PREFIX)) deliveries.push(deliverySchema.parse(item.delivery));
      }
      deliveries.sort((a, b) => a.atMs - b.atMs);
      return { intents, deliveries };
    },

    async claimSend(issueId, intent) {
      const claimed = await conditionally(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem({
              [TABLE.partitionKey]: incidentPk(issueId),
              [TABLE.sortKey]: `${INTENT_PREFIX}${intent.intentId}`,
              intent,
              ownerId: intent.ownerId,
              attempt: intent.attempt,
              state: intent.state,
            }),
            ConditionExpression: isNewRecord,
          }),
        ),
      );
      return claimed ? 'claimed' : 'taken';
    },

    async reclaimSend(issueId, previous, ownerId, atMs) {
      const attempt = previous.attempt + 1;
      return conditionally(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(issueId, previous.intentId),
            UpdateExpression:
              'SET ownerId = :owner, attempt = :attempt, intent.ownerId = :owner, intent.attempt = :attempt, intent.claimedAtMs = :at',
            ConditionExpression: isStillAsLeft,
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: toItem({
              ':owner': ownerId,
              ':attempt': attempt,
              ':at': atMs,
              ':previousOwner': previous.ownerId,
              ':previousAttempt': previous.attempt,
              ':sending': 'sending',
            }),
          }),
        ),
      );
    },

    async finishSend(issueId, intentId, deliveries) {
      for (const delivery of deliveries) {
        await conditionally(() =>
          client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: toItem({
                [TABLE.partitionKey]: incidentPk(issueId),
                [TABLE.sortKey]: deliveryKey(delivery),
                delivery,
              }),
              ConditionExpression: isNewRecord,
            }),
          ),
        );
      }
      // Sent: the deliveries say what went out, so the message's text is no longer kept.
      await setState(issueId, intentId, 'sent', ', intent.message = :none', { ':none': null });
    },

    async releaseSend(issueId, intentId, ownerId) {
      await conditionally(() =>
        client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: key(issueId, intentId),
            ConditionExpression: isOwnedSend,
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: toItem({ ':owner': ownerId, ':sending': 'sending' }),
          }),
        ),
      );
    },

    async markPossiblySent(issueId, intentId) {
      await setState(issueId, intentId, 'possibly-sent');
    },
  };
}
