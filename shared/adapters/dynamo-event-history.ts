import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE } from '../deployment-names.ts';
import { incidentEventSchema } from '../domain/events.ts';
import type { EventHistory } from '../ports.ts';
import { incidentPk } from './dynamo-event-journal.ts';
import { toItem } from './dynamo-item.ts';
import { queryAll } from './dynamo-query.ts';

/** The events of each incident as the journal stored them, read back from DynamoDB to be folded. */
export function createDynamoEventHistory(client: DynamoDBClient, tableName: string): EventHistory {
  return {
    async loadEvents(issueId) {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: toItem({ ':pk': incidentPk(issueId), ':events': TABLE.eventPrefix }),
        // The processor must see every event acknowledged before it was triggered.
        ConsistentRead: true,
      });
      return items.map((item) => incidentEventSchema.parse(item.event));
    },
  };
}
