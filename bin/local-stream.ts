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

  // Drains run one after another; each takes everything pending, so records stored by concurrent
  // requests are folded together (as a stream batch would be) and no record is handed over twice.
  let queue: Promise<unknown> = Promise.resolve();
  async function consumePending(): Promise<number> {
    if (pending.size === 0) return 0;
    const batch = [...pending.entries()];
    pending.clear();
    let failed: Set<string>;
    try {
      const response = await consume({ Records: batch.map(([, record]) => record) });
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch {
      failed = new Set(batch.map(([, record]) => record.dynamodb?.SequenceNumber ?? ''));
    }
    for (const [id, record] of batch)
      if (failed.has(record.dynamodb?.SequenceNumber ?? '')) pending.set(id, record);
    return failed.size;
  }

  return {
    /** The store to give the webhook handler: it records what it newly stores. */
    store: recordingStore,
    /** Hands an incident to the processor again (held-back updates are due) and drains. */
    recheck(issueId: string): Promise<number> {
      sequence += 1;
      pending.set(`${issueId}|recheck`, {
        eventID: String(sequence),
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        dynamodb: {
          Keys: { pk: { S: `INCIDENT#${issueId}` }, sk: { S: `${TABLE.eventPrefix}recheck` } },
          SequenceNumber: String(sequence),
          StreamViewType: 'KEYS_ONLY',
        },
      });
      return this.drain();
    },
    /** Resolves once every record pending now was handed to the processor; says how many failed and stay pending. */
    drain(): Promise<number> {
      const run = queue.then(consumePending);
      queue = run.catch(() => undefined);
      return run;
    },
    get pendingCount(): number {
      return pending.size;
    },
  };
}
