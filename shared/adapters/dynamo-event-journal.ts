import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { TABLE } from '../deployment-names.ts';
import type { IncidentEvent } from '../domain/events.ts';
import type { AppendOutcome, EventJournal } from '../ports.ts';

const isNewEvent = 'attribute_not_exists(sk)';

/** The partition of one incident: its events, its state and the records kept about it. */
export const incidentPk = (issueId: string): string => `INCIDENT#${issueId}`;

// Absent snapshot fields stay absent in the row; DynamoDB has no `undefined`.
const toItem = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true });

/**
 * The append side of the event store on DynamoDB, on its own so that the webhook bundles no more;
 * createDynamoEventStore gathers it with the table's other ports.
 */
export function createDynamoEventJournal(client: DynamoDBClient, tableName: string): EventJournal {
  async function appendOne(event: IncidentEvent): Promise<AppendOutcome> {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({
            [TABLE.partitionKey]: incidentPk(event.issueId),
            [TABLE.sortKey]: `${TABLE.eventPrefix}${event.eventId}`,
            event,
          }),
          ConditionExpression: isNewEvent,
        }),
      );
      return 'stored';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }

  return {
    append: (events) => Promise.all(events.map(appendOne)),

    async hasIncident(issueId) {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: toItem({ ':pk': incidentPk(issueId) }),
          ProjectionExpression: 'pk',
          Limit: 1,
        }),
      );
      return (page.Count ?? 0) > 0;
    },
  };
}
