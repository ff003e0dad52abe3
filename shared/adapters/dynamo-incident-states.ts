import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { TABLE } from '../deployment-names.ts';
import { type IncidentState, incidentStateSchema } from '../domain/timeline.ts';
import type { IncidentStates } from '../ports.ts';
import { incidentPk } from './dynamo-event-journal.ts';
import { toItem } from './dynamo-item.ts';
import { queryList, queryWeek } from './dynamo-query.ts';

const isNoOlderState = 'attribute_not_exists(sk) OR eventCount <= :eventCount';
/** The sort key of an incident's folded state in its partition. */
export const STATE_SK = TABLE.stateSortKey;
const LIST_PARTITION = 'INCIDENT';

const parseState = (item: Record<string, unknown>): IncidentState => incidentStateSchema.parse(item.state);

/** Incident states on DynamoDB: one item per incident, listed and found through the table's indexes. */
export function createDynamoIncidentStates(client: DynamoDBClient, tableName: string): IncidentStates {
  return {
    async saveState(state, weeks) {
      try {
        const { Attributes: previous } = await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem({
              [TABLE.partitionKey]: incidentPk(state.issueId),
              [TABLE.sortKey]: STATE_SK,
              [TABLE.byKeyAttribute]: state.key,
              [TABLE.byOpeningPartition]: LIST_PARTITION,
              [TABLE.byOpeningSort]: state.openedAtMs,
              [TABLE.openedWeekAttribute]: weeks.openedWeek,
              // Absent while unresolved: the resolved-week index stays sparse.
              [TABLE.resolvedWeekAttribute]: weeks.resolvedWeek ?? undefined,
              eventCount: state.eventCount,
              state,
            }),
            ConditionExpression: isNoOlderState,
            ExpressionAttributeValues: toItem({ ':eventCount': state.eventCount }),
            ReturnValues: 'ALL_OLD',
          }),
        );
        const old = previous ? unmarshall(previous) : null;
        const openedWeek = old?.[TABLE.openedWeekAttribute];
        const resolvedWeek = old?.[TABLE.resolvedWeekAttribute];
        return {
          kind: 'saved',
          previousWeeks:
            typeof openedWeek === 'string'
              ? { openedWeek, resolvedWeek: typeof resolvedWeek === 'string' ? resolvedWeek : null }
              : null,
        };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return { kind: 'stale' };
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

    async listStatesByWeek(week, by) {
      return (await queryWeek(client, tableName, by, week)).map(parseState);
    },

    async listStates() {
      return (await queryList(client, tableName, LIST_PARTITION, 'newest first')).map(parseState);
    },
  };
}
