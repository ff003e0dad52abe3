import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { TABLE } from '#shared/deployment-names.ts';
import type { EventStore } from '#shared/ports.ts';

type StreamConsumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

/**
 * What a DynamoDB stream does on AWS, for local mode (dynalite has no streams): every event the
 * store newly keeps becomes an INSERT record handed to the processor; failed records stay pending
 * and go again with the next drain.
 */
export function createLocalStream(store: EventStore, consume: StreamConsumer) {
  const pending = new Map<string, DynamoDBRecord>();
  let sequence = 0;

  const recordingStore: EventStore = {
    ...store,
    async append(events) {
      const outcomes = await store.append(events);
      events.forEach((event, i) => {
        if (outcomes[i] !== 'stored') return;
        sequence += 1;
        const sk = `${TABLE.eventPrefix}${event.eventId}`;
        pending.set(`${event.issueId}|${sk}`, {
          eventID: String(sequence),
          eventName: 'INSERT',
          eventSource: 'aws:dynamodb',
          eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/local/stream/local',
          dynamodb: {
            Keys: { pk: { S: `INCIDENT#${event.issueId}` }, sk: { S: sk } },
            SequenceNumber: String(sequence),
            StreamViewType: 'KEYS_ONLY',
          },
        });
      });
      return outcomes;
    },
  };

  return {
    /** The store to give the webhook handler: it records what it newly stores. */
    store: recordingStore,
    /** Hands every pending record to the processor; returns how many failed and stay pending. */
    async drain(): Promise<number> {
      if (pending.size === 0) return 0;
      const batch = [...pending.entries()];
      const response = await consume({ Records: batch.map(([, record]) => record) });
      const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      for (const [id, record] of batch)
        if (!failed.has(record.dynamodb?.SequenceNumber ?? '')) pending.delete(id);
      return failed.size;
    },
    get pendingCount(): number {
      return pending.size;
    },
  };
}
