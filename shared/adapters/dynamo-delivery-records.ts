import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE } from '../deployment-names.ts';
import type { DeliveryRecords } from '../ports.ts';
import { incidentPk } from './dynamo-event-journal.ts';
import { putOnce, toItem } from './dynamo-item.ts';
import { queryAll } from './dynamo-query.ts';
import { DELIVERY_PREFIX, deliveryKey, deliverySchema } from './dynamo-send-ledger.ts';

/** Deliveries recorded without a claim, as rows of the incident's delivery log on DynamoDB. */
export function createDynamoDeliveryRecords(client: DynamoDBClient, tableName: string): DeliveryRecords {
  return {
    async loadDeliveries(issueId) {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :deliveries)',
        ExpressionAttributeValues: toItem({ ':pk': incidentPk(issueId), ':deliveries': DELIVERY_PREFIX }),
        ConsistentRead: true,
      });
      return items.map((item) => deliverySchema.parse(item.delivery)).sort((a, b) => a.atMs - b.atMs);
    },

    async recordDelivery(issueId, delivery) {
      await putOnce(client, tableName, {
        [TABLE.partitionKey]: incidentPk(issueId),
        [TABLE.sortKey]: deliveryKey(delivery),
        delivery,
      });
    },
  };
}
