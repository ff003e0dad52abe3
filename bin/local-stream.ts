import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { TABLE } from '#shared/deployment-names.ts';
import type { EventStore, Log } from '#shared/ports.ts';

type StreamConsumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

/** How often the processor looks for new records, as Lambda polls a DynamoDB stream's shards (4 a second). */
export const LOCAL_POLL_MS = 250;
/** The first wait before a failed batch is handed over again locally, doubled up to the last. */
export const LOCAL_RETRY_FIRST_MS = 1_000;
export const LOCAL_RETRY_MAX_MS = 60_000;

export interface LocalStreamOptions {
  readonly log: Log;
  /** How long a new record waits for others to join its batch; reads never wait for it. */
  readonly pollMs?: number;
  /**
   * A file naming the incidents stored but not folded yet, written before a webhook is answered and
   * emptied once the processor is done: a stream's durability, so that a crash between the answer and
   * the fold loses nothing. `recover()` folds what it names. Absent, pending records live in memory only.
   */
  readonly journalPath?: string;
  /** Waits before a failed record is handed over again; tests shorten them. */
  readonly retryFirstMs?: number;
  readonly retryMaxMs?: number;
}

/**
 * What a DynamoDB stream does on AWS, for local mode (dynalite has no streams): every event the
 * store newly keeps becomes an INSERT record. Like Lambda's event source mapping, which polls a
 * stream's shards four times a second, the processor takes what arrived at most `pollMs` after the
 * first new record, as one batch: a burst of one incident's webhooks costs one fold, not one each.
 * Reads do not wait for the poll: they drain at once. A failed record stays pending and goes again
 * after a backoff, or sooner with the next drain.
 */
export function createLocalStream(store: EventStore, consume: StreamConsumer, options: LocalStreamOptions) {
  const { log } = options;
  const pollMs = options.pollMs ?? LOCAL_POLL_MS;
  const retryFirstMs = options.retryFirstMs ?? LOCAL_RETRY_FIRST_MS;
  const retryMaxMs = options.retryMaxMs ?? LOCAL_RETRY_MAX_MS;
  const pending = new Map<string, DynamoDBRecord>();
  let sequence = 0;
  const { journalPath } = options;

  /**
   * An INSERT record of one event item, as the stream hands it over; a made-up sort key (`recheck`,
   * `recover`) makes the processor refold the incident from everything stored.
   */
  function streamRecord(issueId: string, eventId: string): DynamoDBRecord {
    sequence += 1;
    return {
      eventID: String(sequence),
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/local/stream/local',
      dynamodb: {
        Keys: { pk: { S: `INCIDENT#${issueId}` }, sk: { S: `${TABLE.eventPrefix}${eventId}` } },
        SequenceNumber: String(sequence),
        StreamViewType: 'KEYS_ONLY',
      },
    };
  }

  const recordingStore: EventStore = {
    ...store,
    async append(events) {
      // Named before they are stored, so that nothing stored (and answered for) goes unfolded even
      // when the process dies right after the store's answer; refolding an incident is harmless.
      if (journalPath !== undefined && events.length > 0)
        appendFileSync(journalPath, `${[...new Set(events.map((event) => event.issueId))].join('\n')}\n`);
      const outcomes = await store.append(events);
      events.forEach((event, i) => {
        if (outcomes[i] === 'stored')
          pending.set(`${event.issueId}|${event.eventId}`, streamRecord(event.issueId, event.eventId));
      });
      if (pending.size > 0) schedule();
      return outcomes;
    },
  };

  // Drains run one after another; each takes everything pending, so records stored by concurrent
  // requests are folded together (as a stream batch would be) and no record is handed over twice.
  let queue: Promise<unknown> = Promise.resolve();
  let consuming = 0;
  const idleWaiters: (() => void)[] = [];
  function wakeIfIdle(): void {
    if (pending.size !== 0 || pollTimer !== undefined || consuming !== 0) return;
    // Everything named in the journal is folded now.
    if (journalPath !== undefined) writeFileSync(journalPath, '');
    for (const wake of idleWaiters.splice(0)) wake();
  }
  async function consumePending(): Promise<number> {
    consuming += 1;
    try {
      return await consumeBatch();
    } finally {
      consuming -= 1;
      wakeIfIdle();
    }
  }
  async function consumeBatch(): Promise<number> {
    if (pending.size === 0) return 0;
    const batch = [...pending.entries()];
    pending.clear();
    // This batch takes what the poll was waiting for; whatever arrives next starts a new one.
    clearTimeout(pollTimer);
    pollTimer = undefined;
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

  function drain(): Promise<number> {
    const run = queue.then(consumePending);
    queue = run.catch(() => undefined);
    return run.then(afterDrain);
  }

  // A new record starts a poll timer when none is running; whatever arrives until it fires (or until a
  // read drains) goes over in the same batch.
  let pollTimer: NodeJS.Timeout | undefined;
  function schedule(): void {
    if (pollTimer !== undefined || closed) return;
    pollTimer = setTimeout(() => {
      pollTimer = undefined;
      drain().catch((error: unknown) => log.error('processing failed', { error: String(error) }));
    }, pollMs);
  }

  let failedRuns = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;
  function afterDrain(failed: number): number {
    if (failed === 0) {
      failedRuns = 0;
      return 0;
    }
    failedRuns += 1;
    if (retryTimer === undefined && !closed) {
      const inMs = Math.min(retryMaxMs, retryFirstMs * 2 ** (failedRuns - 1));
      log.warn('processing failed; the records stay pending and are handed over again', {
        pending: pending.size,
        retryInMs: inMs,
      });
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        drain().catch((error: unknown) => log.error('processing failed', { error: String(error) }));
      }, inMs);
    }
    return failed;
  }

  return {
    /** The store to give the webhook handler: it records what it newly stores and starts the processor. */
    store: recordingStore,
    /** Hands an incident to the processor again (held-back updates are due) and drains. */
    recheck(issueId: string): Promise<number> {
      // Journaled as a delivery is: a crash while its update is sent is resolved by the next start.
      if (journalPath !== undefined) appendFileSync(journalPath, `${issueId}\n`);
      pending.set(`${issueId}|recheck`, streamRecord(issueId, 'recheck'));
      return drain();
    },
    /**
     * Folds the incidents the journal names: those a previous run stored and answered for but stopped
     * before folding. Says how many incidents it named.
     */
    async recover(): Promise<number> {
      if (journalPath === undefined || !existsSync(journalPath)) return 0;
      const issueIds = new Set(readFileSync(journalPath, 'utf8').split('\n').filter(Boolean));
      for (const issueId of issueIds) pending.set(`${issueId}|recover`, streamRecord(issueId, 'recover'));
      await drain();
      return issueIds.size;
    },
    /**
     * Resolves once every record stored so far was handed to the processor (what is running now
     * included); says how many failed and stay pending. Every read of the local server waits on it.
     */
    drain,
    /** Resolves when the processor has caught up by itself: nothing pending, nothing running, no poll due. */
    idle(): Promise<void> {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wakeIfIdle();
      });
    },
    /** Folds what is pending and stops retrying: the last step before the store closes. */
    async close(): Promise<number> {
      const failed = await drain();
      closed = true;
      clearTimeout(pollTimer);
      clearTimeout(retryTimer);
      return failed;
    },
    get pendingCount(): number {
      return pending.size;
    },
  };
}
