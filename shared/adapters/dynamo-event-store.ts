import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../deployment-names.ts';
import { type IncidentEvent, incidentEventSchema } from '../domain/events.ts';
import { type IncidentState, incidentStateSchema } from '../domain/timeline.ts';
import type { AppendOutcome, EventStore } from '../ports.ts';

const isNewEvent = 'attribute_not_exists(sk)';
const isNoOlderState = 'attribute_not_exists(sk) OR eventCount <= :eventCount';
const STATE_SK = 'STATE';
const LIST_PARTITION = 'INCIDENT';

const incidentPk = (issueId: string): string => `INCIDENT#${issueId}`;

/** The event store on DynamoDB (or dynalite, which speaks the same protocol). */
export function createDynamoEventStore(client: DynamoDBClient, tableName: string): EventStore {
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });

  async function queryAll(
    input: ConstructorParameters<typeof QueryCommand>[0],
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async function appendOne(event: IncidentEvent): Promise<AppendOutcome> {
    try {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            [TABLE.partitionKey]: incidentPk(event.issueId),
            [TABLE.sortKey]: `${TABLE.eventPrefix}${event.eventId}`,
            event,
          },
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
      const page = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': incidentPk(issueId) },
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
        ExpressionAttributeValues: { ':pk': incidentPk(issueId), ':events': TABLE.eventPrefix },
        // The processor must see every event acknowledged before it was triggered.
        ConsistentRead: true,
      });
      return items.map((item) => incidentEventSchema.parse(item.event));
    },

    async saveState(state) {
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              [TABLE.partitionKey]: incidentPk(state.issueId),
              [TABLE.sortKey]: STATE_SK,
              [TABLE.byKeyAttribute]: state.key,
              [TABLE.byOpeningPartition]: LIST_PARTITION,
              [TABLE.byOpeningSort]: state.openedAtMs,
              eventCount: state.eventCount,
              state,
            },
            ConditionExpression: isNoOlderState,
            ExpressionAttributeValues: { ':eventCount': state.eventCount },
          }),
        );
        return 'saved';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'stale';
        throw error;
      }
    },

    async getStateByKey(key) {
      const page = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE.byKeyIndex,
          KeyConditionExpression: `${TABLE.byKeyAttribute} = :key`,
          ExpressionAttributeValues: { ':key': key },
        }),
      );
      // Jira reuses no key, but a moved issue's old key can linger in the index for a moment.
      const states = (page.Items ?? []).map(parseState).filter((state) => state.key === key);
      return states.sort((a, b) => b.openedAtMs - a.openedAtMs)[0] ?? null;
    },

    async listStates() {
      const items = await queryAll({
        TableName: tableName,
        IndexName: TABLE.byOpeningIndex,
        KeyConditionExpression: `${TABLE.byOpeningPartition} = :list`,
        ExpressionAttributeValues: { ':list': LIST_PARTITION },
        ScanIndexForward: false,
      });
      return items.map(parseState);
    },
  };
}
