import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

const isNewRecord = 'attribute_not_exists(sk)';

/** A row or key in DynamoDB's attribute format; absent fields stay absent (DynamoDB has no `undefined`). */
export const toItem = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true });

/** Puts an item unless one with its key exists: a record of something done once; the first one stands. */
export async function putOnce(
  client: DynamoDBClient,
  tableName: string,
  item: Record<string, unknown>,
): Promise<void> {
  try {
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: toItem(item), ConditionExpression: isNewRecord }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
