import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { TABLE } from '../deployment-names.ts';

/** The event table as the CDK stack defines it: keys, on-demand billing and the five indexes. */
export function eventTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE.sortKey, AttributeType: 'S' },
      { AttributeName: TABLE.byKeyAttribute, AttributeType: 'S' },
      { AttributeName: TABLE.byOpeningPartition, AttributeType: 'S' },
      { AttributeName: TABLE.byOpeningSort, AttributeType: 'N' },
      { AttributeName: TABLE.openedWeekAttribute, AttributeType: 'S' },
      { AttributeName: TABLE.resolvedWeekAttribute, AttributeType: 'S' },
      { AttributeName: TABLE.monthAttribute, AttributeType: 'S' },
      { AttributeName: TABLE.monthSort, AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: TABLE.byKeyIndex,
        KeySchema: [{ AttributeName: TABLE.byKeyAttribute, KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: TABLE.byOpeningIndex,
        KeySchema: [
          { AttributeName: TABLE.byOpeningPartition, KeyType: 'HASH' },
          { AttributeName: TABLE.byOpeningSort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: TABLE.byOpenedWeekIndex,
        KeySchema: [{ AttributeName: TABLE.openedWeekAttribute, KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: TABLE.byResolvedWeekIndex,
        KeySchema: [{ AttributeName: TABLE.resolvedWeekAttribute, KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: TABLE.byMonthIndex,
        KeySchema: [
          { AttributeName: TABLE.monthAttribute, KeyType: 'HASH' },
          { AttributeName: TABLE.monthSort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** Creates the event table as the CDK stack defines it, when it does not exist yet (local mode, tests). */
export async function ensureEventTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    const required = (eventTableDefinition(tableName).GlobalSecondaryIndexes ?? []).map(
      (index) => index.IndexName,
    );
    const missing = required.filter((name) => name !== undefined && !indexes.has(name));
    if (missing.length > 0) {
      throw new Error(
        `table ${tableName} was created by an older Incident Flow and lacks the indexes ${missing.join(', ')}; ` +
          'locally, move DATA_DIR aside and let npm start create the table anew',
      );
    }
    if (Table?.TableStatus === 'ACTIVE') return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      await client.send(new CreateTableCommand(eventTableDefinition(tableName)));
    } catch (createError) {
      // Another process (a second server, a parallel test) created it first: wait for it below.
      if (!(createError instanceof ResourceInUseException)) throw createError;
    }
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
