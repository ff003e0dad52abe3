import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { TABLE } from '../deployment-names.ts';
import type { FollowUp } from '../domain/follow-ups.ts';
import { formatIsoWeek, isoWeekOf } from '../domain/iso-weeks.ts';
import { incidentStateSchema } from '../domain/timeline.ts';
import type { FollowUpStore } from '../ports.ts';
import { incidentPk } from './dynamo-event-journal.ts';
import { STATE_SK } from './dynamo-incident-states.ts';
import { ACTIVE_POSTMORTEMS, updatePostmortemRecord } from './dynamo-postmortem-records.ts';
import { queryAll as queryAllPages, queryList, queryWeek } from './dynamo-query.ts';

const FOLLOW_UP_PREFIX = 'FOLLOWUP#';
/** The byOpening index partition of follow-ups still open (absent once done: the index stays sparse). */
const OPEN_FOLLOW_UPS = 'FOLLOWUP#open';
/** Week values in the week indexes are prefixed, so an incident's week query never meets a follow-up. */
const weekValue = (week: string) => `followup#${week}`;

const followUpSchema = z.object({
  itemId: z.string(),
  incidentIssueId: z.string(),
  incidentKey: z.string(),
  ticketKey: z.string(),
  ticketUrl: z.string(),
  summary: z.string(),
  assigneeAccountId: z.nullable(z.string()),
  ownerName: z.nullable(z.string()),
  ownerUnresolved: z.boolean(),
  dueDate: z.string(),
  dueDateSource: z.enum(['item', 'severity-default']),
  state: z.enum(['open', 'done']),
  createdAtMs: z.number(),
  doneAtMs: z.nullable(z.number()),
  fingerprint: z.string(),
  writtenBack: z.boolean(),
  itemRemovedAtMs: z.nullable(z.number()),
  lastReminderAtMs: z.nullable(z.number()),
  earlyReminderSent: z.boolean(),
}) satisfies z.ZodMiniType<FollowUp>;
const postmortemSchema = z.object({ id: z.string(), url: z.string(), created: z.boolean() });

const toItem = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true });

/**
 * Follow-ups in the event table, in their incident's partition (`FOLLOWUP#<item id>`), so one query
 * reads an incident's; the open ones and each week's are found through the existing indexes.
 */
export function createDynamoFollowUpStore(
  client: DynamoDBClient,
  tableName: string,
  timeZone: string,
): FollowUpStore {
  const queryAll = (input: QueryCommandInput) => queryAllPages(client, input);
  const parse = (item: Record<string, unknown>) => followUpSchema.parse(item.followUp);

  return {
    async followUpOfItem(incidentIssueId, itemId) {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem({
            [TABLE.partitionKey]: incidentPk(incidentIssueId),
            [TABLE.sortKey]: `${FOLLOW_UP_PREFIX}${itemId}`,
          }),
          ConsistentRead: true,
        }),
      );
      return Item ? parse(unmarshall(Item)) : null;
    },

    async saveFollowUp(followUp) {
      const open = followUp.state === 'open';
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({
            [TABLE.partitionKey]: incidentPk(followUp.incidentIssueId),
            [TABLE.sortKey]: `${FOLLOW_UP_PREFIX}${followUp.itemId}`,
            [TABLE.byOpeningPartition]: open ? OPEN_FOLLOW_UPS : undefined,
            [TABLE.byOpeningSort]: open ? followUp.createdAtMs : undefined,
            [TABLE.openedWeekAttribute]: weekValue(formatIsoWeek(isoWeekOf(followUp.createdAtMs, timeZone))),
            [TABLE.resolvedWeekAttribute]:
              followUp.doneAtMs === null
                ? undefined
                : weekValue(formatIsoWeek(isoWeekOf(followUp.doneAtMs, timeZone))),
            followUp,
          }),
        }),
      );
    },

    async followUpsOfIncident(incidentIssueId) {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: toItem({
          ':pk': incidentPk(incidentIssueId),
          ':prefix': FOLLOW_UP_PREFIX,
        }),
        ConsistentRead: true,
      });
      // Oldest first; the tickets of one sync in the order they were numbered (OPS-9 before OPS-10).
      return items
        .map(parse)
        .sort(
          (a, b) =>
            a.createdAtMs - b.createdAtMs || a.ticketKey.localeCompare(b.ticketKey, 'en', { numeric: true }),
        );
    },

    async openFollowUps() {
      return (await queryList(client, tableName, OPEN_FOLLOW_UPS)).map(parse);
    },

    async followUpsByWeek(week, by) {
      // Done follow-ups are filed in the resolved-week index, under the follow-up prefix.
      const items = await queryWeek(
        client,
        tableName,
        by === 'opened' ? 'opened' : 'resolved',
        weekValue(week),
      );
      return items.map(parse);
    },

    async activePostmortems() {
      const items = await queryList(client, tableName, ACTIVE_POSTMORTEMS);
      return items.map((item) => ({
        issueId: String(item.issueId),
        postmortem: postmortemSchema.parse(item.postmortem),
        status: typeof item.postmortemStatus === 'string' ? item.postmortemStatus : null,
      }));
    },

    async savePostmortemStatus(issueId, status) {
      await updatePostmortemRecord(client, tableName, issueId, {
        expression: 'SET postmortemStatus = :status',
        values: { ':status': status },
      });
    },

    async incidentState(issueId) {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem({ [TABLE.partitionKey]: incidentPk(issueId), [TABLE.sortKey]: STATE_SK }),
          ConsistentRead: true,
        }),
      );
      return Item ? incidentStateSchema.parse(unmarshall(Item).state) : null;
    },

    async retirePostmortem(issueId) {
      await updatePostmortemRecord(client, tableName, issueId, {
        expression: 'REMOVE #list, #sort',
        names: { '#list': TABLE.byOpeningPartition, '#sort': TABLE.byOpeningSort },
      });
    },
  };
}
