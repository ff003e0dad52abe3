import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { TABLE } from '../deployment-names.ts';
import type { ReportLedger } from '../ports.ts';

const key = (weekId: string) =>
  marshall({ [TABLE.partitionKey]: `REPORT#${weekId}`, [TABLE.sortKey]: 'SENT' });

/** The ledger of sent weekly reports, in the event table. */
export function createDynamoReportLedger(client: DynamoDBClient, tableName: string): ReportLedger {
  return {
    async sentMessageId(weekId) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key(weekId), ConsistentRead: true }),
      );
      const messageId = Item ? unmarshall(Item).messageId : null;
      return typeof messageId === 'string' ? messageId : null;
    },
    async recordSent(weekId, messageId) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...key(weekId), ...marshall({ messageId, weekId }) },
        }),
      );
    },
  };
}
