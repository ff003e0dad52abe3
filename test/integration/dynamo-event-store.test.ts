import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoDeliveryRecords } from '#shared/adapters/dynamo-delivery-records.ts';
import { createDynamoEventHistory } from '#shared/adapters/dynamo-event-history.ts';
import { createDynamoEventJournal } from '#shared/adapters/dynamo-event-journal.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { createDynamoIncidentStates } from '#shared/adapters/dynamo-incident-states.ts';
import { createDynamoPostmortemRecords } from '#shared/adapters/dynamo-postmortem-records.ts';
import { createDynamoSendLedger } from '#shared/adapters/dynamo-send-ledger.ts';
import { createDynamoWeekSummaries } from '#shared/adapters/dynamo-week-summaries.ts';
import { incident } from '../builders.ts';
import { deliveryRecordsContract } from '../contract/delivery-records-contract.ts';
import { eventJournalContract } from '../contract/event-journal-contract.ts';
import { eventStoreContract } from '../contract/event-store-contract.ts';
import { incidentStatesContract } from '../contract/incident-states-contract.ts';
import { postmortemRecordsContract } from '../contract/postmortem-records-contract.ts';
import { sendLedgerContract } from '../contract/send-ledger-contract.ts';
import { weekSummariesContract } from '../contract/week-summaries-contract.ts';
import { freshDynamoStore, onFreshTable } from './dynamo.ts';

const dynamo = 'the DynamoDB adapter on dynalite';
eventJournalContract(
  dynamo,
  onFreshTable((client, tableName) => ({
    ...createDynamoEventJournal(client, tableName),
    ...createDynamoEventHistory(client, tableName),
  })),
);
incidentStatesContract(dynamo, onFreshTable(createDynamoIncidentStates));
weekSummariesContract(dynamo, onFreshTable(createDynamoWeekSummaries));
sendLedgerContract(dynamo, onFreshTable(createDynamoSendLedger));
deliveryRecordsContract(dynamo, onFreshTable(createDynamoDeliveryRecords));
postmortemRecordsContract(dynamo, onFreshTable(createDynamoPostmortemRecords));
eventStoreContract(dynamo, onFreshTable(createDynamoEventStore));

describe('the DynamoDB event store', () => {
  it('stores one copy when the same event is appended concurrently', async () => {
    const { store } = await freshDynamoStore();
    const event = incident('race').created();

    const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.append([event])));

    expect(outcomes.flat().filter((outcome) => outcome === 'stored')).toHaveLength(1);
    expect(await store.loadEvents('race')).toHaveLength(1);
  });

  it('loads what the journal alone appended, and calls its second copy a duplicate', async () => {
    const { client, tableName, store } = await freshDynamoStore();
    const journal = createDynamoEventJournal(client, tableName);
    const event = incident('journal').created();

    const first = await journal.append([event]);
    const again = await store.append([event]);

    expect(first).toEqual(['stored']);
    expect(again).toEqual(['duplicate']);
    expect(await store.loadEvents('journal')).toEqual([event]);
    expect(await journal.hasIncident('journal')).toBe(true);
  });

  it('reads more events than one query page holds', async () => {
    const { store } = await freshDynamoStore();
    const inc = incident('long');
    const body = 'x'.repeat(20_000);
    const comments = Array.from({ length: 80 }, (_, i) => inc.comment(i + 1, i, body));

    await store.append(comments);

    expect(await store.loadEvents('long')).toHaveLength(80);
  });

  it('keeps a postmortem among the active ones when its properties are recorded', async () => {
    const { client, tableName, store } = await freshDynamoStore();
    const followUps = createDynamoFollowUpStore(client, tableName, 'UTC');
    const postmortem = { id: 'p-1', url: 'https://notion.so/p-1', created: true };
    await store.recordPostmortem('active', postmortem);

    await store.recordPostmortemProperties('active', '["SEV2",1000,2000]');

    expect(await followUps.activePostmortems()).toEqual([{ issueId: 'active', postmortem, status: null }]);
    expect(await store.postmortemPropertiesOf('active')).toBe('["SEV2",1000,2000]');
  });

  it('fails loudly at the adapter on a malformed row', async () => {
    const { client, tableName, store } = await freshDynamoStore();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({ pk: 'INCIDENT#bad', sk: 'EVENT#x', event: { kind: 'status-changed' } }),
      }),
    );

    await expect(store.loadEvents('bad')).rejects.toThrow(/eventId/);
  });
});
