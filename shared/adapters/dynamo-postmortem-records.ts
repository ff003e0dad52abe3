import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { TABLE } from '../deployment-names.ts';
import type { PostmortemRecords } from '../ports.ts';
import { incidentPk } from './dynamo-event-journal.ts';
import { putOnce, toItem } from './dynamo-item.ts';

/** The sort key of an incident's postmortem record in its partition. */
export const POSTMORTEM_SK = 'POSTMORTEM';
/** The byOpening index partition listing postmortems whose action items are still followed. */
export const ACTIVE_POSTMORTEMS = 'POSTMORTEM#active';
const POSTMORTEM_FAILURE_SK = 'POSTMORTEM_FAILURE';
const postmortemFailureSchema = z.object({ error: z.string(), atMs: z.number() });
const postmortemSchema = z.object({ id: z.string(), url: z.string(), created: z.boolean() });
const isRecorded = 'attribute_exists(sk)';
/** The POSTMORTEM item's attribute holding the fingerprint of the page's properties as last written. */
const PROPERTIES_FINGERPRINT = 'propertiesFingerprint';

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

/** Postmortem records on DynamoDB: the postmortem's item (with its properties' fingerprint) and its failure. */
export function createDynamoPostmortemRecords(client: DynamoDBClient, tableName: string): PostmortemRecords {
  return {
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
      await putOnce(client, tableName, {
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
  };
}
