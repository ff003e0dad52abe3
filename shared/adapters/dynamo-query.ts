import { type DynamoDBClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { TABLE } from '../deployment-names.ts';

/** Every item a query matches, page after page (DynamoDB stops a page at 1 MB), unmarshalled. */
export async function queryAll(
  client: DynamoDBClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Every item of one sparse list of the by-opening index: the incidents, open follow-ups, active postmortems. */
export function queryList(
  client: DynamoDBClient,
  tableName: string,
  list: string,
  order: 'oldest first' | 'newest first' = 'oldest first',
): Promise<Record<string, unknown>[]> {
  return queryAll(client, {
    TableName: tableName,
    IndexName: TABLE.byOpeningIndex,
    KeyConditionExpression: `${TABLE.byOpeningPartition} = :list`,
    ExpressionAttributeValues: marshall({ ':list': list }),
    ...(order === 'newest first' ? { ScanIndexForward: false } : {}),
  });
}

/** Every item filed under one week value in the opened-week or the resolved-week index. */
export function queryWeek(
  client: DynamoDBClient,
  tableName: string,
  by: 'opened' | 'resolved',
  week: string,
): Promise<Record<string, unknown>[]> {
  const [index, attribute] =
    by === 'opened'
      ? [TABLE.byOpenedWeekIndex, TABLE.openedWeekAttribute]
      : [TABLE.byResolvedWeekIndex, TABLE.resolvedWeekAttribute];
  return queryAll(client, {
    TableName: tableName,
    IndexName: index,
    KeyConditionExpression: `${attribute} = :week`,
    ExpressionAttributeValues: marshall({ ':week': week }),
  });
}
