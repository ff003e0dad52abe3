import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventStore } from '../ports.ts';
import { createDynamoDeliveryRecords } from './dynamo-delivery-records.ts';
import { createDynamoEventHistory } from './dynamo-event-history.ts';
import { createDynamoEventJournal } from './dynamo-event-journal.ts';
import { createDynamoIncidentStates } from './dynamo-incident-states.ts';
import { createDynamoPostmortemRecords } from './dynamo-postmortem-records.ts';
import { createDynamoSendLedger } from './dynamo-send-ledger.ts';
import { createDynamoWeekSummaries } from './dynamo-week-summaries.ts';

/**
 * Every port the incident table serves, over one DynamoDB table (or dynalite, which speaks the same
 * protocol): each incident's partition holds its events, state, delivery log and postmortem records.
 */
export function createDynamoEventStore(client: DynamoDBClient, tableName: string): EventStore {
  return {
    ...createDynamoEventJournal(client, tableName),
    ...createDynamoEventHistory(client, tableName),
    ...createDynamoIncidentStates(client, tableName),
    ...createDynamoWeekSummaries(client, tableName),
    ...createDynamoSendLedger(client, tableName),
    ...createDynamoDeliveryRecords(client, tableName),
    ...createDynamoPostmortemRecords(client, tableName),
  };
}
