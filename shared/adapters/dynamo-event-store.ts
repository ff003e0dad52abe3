import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { TABLE } from '../deployment-names.ts';
import { type IncidentEvent, incidentEventSchema } from '../domain/events.ts';
import { type IncidentState, incidentStateSchema } from '../domain/timeline.ts';
import type { AppendOutcome, EventStore } from '../ports.ts';

const isNewEvent = 'attribute_not_exists(sk)';
const isNoOlderState = 'attribute_not_exists(sk) OR eventCount <= :eventCount';
const STATE_SK = 'STATE';
const LIST_PARTITION = 'INCIDENT';

const incidentPk = (issueId: string): string => `INCIDENT#${issueId}`;
// Absent snapshot fields stay absent in the row; DynamoDB has no `undefined`.
const toItem = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true });

/** The event store on DynamoDB (or dynalite, which speaks the same protocol). */
export function createDynamoEventStore(client: DynamoDBClient, tableName: string): EventStore {
  async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: QueryCommandInput['ExclusiveStartKey'];
    do {
      const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

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

  const parseState = (item: Record<string, unknown>): IncidentState => incidentStateSchema.parse(item.state);

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

    async loadEvents(issueId) {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: toItem({ ':pk': incidentPk(issueId), ':events': TABLE.eventPrefix }),
        // The processor must see every event acknowledged before it was triggered.
        ConsistentRead: true,
      });
      return items.map((item) => incidentEventSchema.parse(item.event));
    },

    async saveState(state) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem({
              [TABLE.partitionKey]: incidentPk(state.issueId),
              [TABLE.sortKey]: STATE_SK,
              [TABLE.byKeyAttribute]: state.key,
              [TABLE.byOpeningPartition]: LIST_PARTITION,
              [TABLE.byOpeningSort]: state.openedAtMs,
              eventCount: state.eventCount,
              state,
            }),
            ConditionExpression: isNoOlderState,
            ExpressionAttributeValues: toItem({ ':eventCount': state.eventCount }),
          }),
        );
        return 'saved';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'stale';
        throw error;
      }
    },

    async getStateByKey(key) {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE.byKeyIndex,
          KeyConditionExpression: `${TABLE.byKeyAttribute} = :key`,
          ExpressionAttributeValues: toItem({ ':key': key }),
        }),
      );
      // Jira reuses no key, but a moved issue's old key can linger in the index for a moment.
      const states = (page.Items ?? [])
        .map((item) => parseState(unmarshall(item)))
        .filter((state) => state.key === key);
      return states.sort((a, b) => b.openedAtMs - a.openedAtMs)[0] ?? null;
    },

    async listStates() {
      const items = await queryAll({
        TableName: tableName,
        IndexName: TABLE.byOpeningIndex,
        KeyConditionExpression: `${TABLE.byOpeningPartition} = :list`,
        ExpressionAttributeValues: toItem({ ':list': LIST_PARTITION }),
        ScanIndexForward: false,
      });
      return items.map(parseState);
    },
  };
}
