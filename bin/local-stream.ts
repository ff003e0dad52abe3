import { channel } from 'node:diagnostics_channel';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { TABLE } from '#shared/deployment-names.ts';
import type { EventStore, Log } from '#shared/ports.ts';

type StreamConsumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

/**
 * Under load (records stored while a batch is being folded), the next batch goes once it holds this
 * many records per incident on average, so that each fold is shared by about as many webhooks...
 */
export const LOCAL_RECORDS_PER_FOLD = 12;
/** ...or once the stream has been quiet this long (the burst is over)... */
export const LOCAL_QUIET_MS = 100;
/** ...or, at the latest, once its first record has waited this long. */
export const LOCAL_LOAD_WINDOW_MS = 2_000;
/** How many incidents the processor folds side by side; a larger batch is handed over in parts. */
export const LOCAL_FOLDS_AT_ONCE = 2;
/** The first wait before a failed batch is handed over again locally, doubled up to the last. */
export const LOCAL_RETRY_FIRST_MS = 1_000;
export const LOCAL_RETRY_MAX_MS = 60_000;

/** What `batchChannel` publishes for each batch: its records, and the incidents it folds (one fold each). */
export interface LocalBatchMessage {
  readonly records: number;
  readonly incidents: number;
}

/**
 * A diagnostics channel on which every batch handed to the processor is announced (a
 * `LocalBatchMessage`), for whoever measures folds per webhook; it costs nothing unheard.
 */
export const batchChannel = channel('incident-flow:local-stream:batch');

export interface LocalStreamOptions {
  readonly log: Log;
  /**
   * How long a record stored while nothing is waiting gathers others before its batch goes, as
   * `maxBatchingWindow` on AWS; 0 (the default) hands it over at once. Reads never wait for it.
   */
  readonly batchWindowMs?: number;
  /**
   * A file naming the incidents stored but not folded yet, written before a webhook is answered and
   * emptied once the processor is done: a stream's durability, so that a crash between the answer and
   * the fold loses nothing. `recover()` folds what it names. Absent, pending records live in memory only.
   */
  readonly journalPath?: string;
  /** Under load: the records per incident that fill a batch, the lull that ends a burst, the longest wait. */
  readonly recordsPerFold?: number;
  readonly quietMs?: number;
  readonly loadWindowMs?: number;
  /** How many incidents one call to the processor folds side by side; a larger batch goes in parts. */
  readonly foldsAtOnce?: number;
  /** Waits before a failed record is handed over again; tests shorten them. */
  readonly retryFirstMs?: number;
  readonly retryMaxMs?: number;
}

/**
 * What a DynamoDB stream does on AWS, for local mode (dynalite has no streams): every event the
 * store newly keeps becomes an INSERT record. Batching is adaptive, one batch at a time: a record
 * stored while the processor is idle goes at once (after `batchWindowMs`, 0 by default); what is
 * stored while a batch is being folded waits for it and goes as the next batch once that batch holds
 * `recordsPerFold` records per incident, the burst pauses for `quietMs`, or `loadWindowMs` passed.
 * Each incident is folded once per batch, so an idle processor notifies in one fold's time and a
 * burst costs about one fold per `recordsPerFold` webhooks. Reads do not wait: they drain at once.
 * A failed record stays pending and goes again after a backoff, or sooner with the next batch.
 */
export function createLocalStream(store: EventStore, consume: StreamConsumer, options: LocalStreamOptions) {
  const { log } = options;
  const batchWindowMs = options.batchWindowMs ?? 0;
  const recordsPerFold = options.recordsPerFold ?? LOCAL_RECORDS_PER_FOLD;
  const quietMs = options.quietMs ?? LOCAL_QUIET_MS;
  const loadWindowMs = options.loadWindowMs ?? LOCAL_LOAD_WINDOW_MS;
  const foldsAtOnce = options.foldsAtOnce ?? LOCAL_FOLDS_AT_ONCE;
  const retryFirstMs = options.retryFirstMs ?? LOCAL_RETRY_FIRST_MS;
  const retryMaxMs = options.retryMaxMs ?? LOCAL_RETRY_MAX_MS;
  const pending = new Map<string, DynamoDBRecord>();
  // The incidents the pending records belong to: a batch folds each once.
  const pendingIncidents = new Set<string>();
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
      storing += 1;
      let outcomes: Awaited<ReturnType<EventStore['append']>>;
      try {
        outcomes = await store.append(events);
      } finally {
        storing -= 1;
      }
      let added = 0;
      events.forEach((event, i) => {
        if (outcomes[i] !== 'stored') return;
        pending.set(`${event.issueId}|${event.eventId}`, streamRecord(event.issueId, event.eventId));
        pendingIncidents.add(event.issueId);
        added += 1;
      });
      // A delivery that stored nothing does not hurry a failed record's backoff.
      if (added > 0) schedule();
      return outcomes;
    },
  };

  // One batch is folded at a time; each takes everything pending when it starts, so records stored by
  // concurrent requests while one is folded go together in the next (as a stream batch would), and no
  // record is handed over twice. `next` is the batch waiting its turn: later drains join it.
  let queue: Promise<unknown> = Promise.resolve();
  let next: Promise<number> | undefined;
  let consuming = 0;
  const idleWaiters: (() => void)[] = [];
  function wakeIfIdle(): void {
    if (pending.size !== 0 || cancelWindow !== undefined || consuming !== 0 || next !== undefined) return;
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
      if (loadSinceMs !== undefined) gatherUnderLoad();
      wakeIfIdle();
    }
  }
  async function consumeBatch(): Promise<number> {
    if (pending.size === 0) return 0;
    const batch = [...pending.entries()];
    pending.clear();
    pendingIncidents.clear();
    // This batch takes what the window was gathering; whatever arrives next starts a new one.
    cancelWindow?.();
    cancelWindow = undefined;
    loadSinceMs = undefined;
    if (batchChannel.hasSubscribers) {
      const incidents = new Set(batch.map(([, record]) => record.dynamodb?.Keys?.pk?.S)).size;
      batchChannel.publish({ records: batch.length, incidents } satisfies LocalBatchMessage);
    }
    const failed = new Set<string>();
    for (const part of partsOf(batch)) {
      try {
        const response = await consume({ Records: part });
        for (const failure of response?.batchItemFailures ?? []) failed.add(failure.itemIdentifier);
      } catch {
        for (const record of part) failed.add(record.dynamodb?.SequenceNumber ?? '');
      }
    }
    for (const [id, record] of batch) {
      if (!failed.has(record.dynamodb?.SequenceNumber ?? '')) continue;
      pending.set(id, record);
      pendingIncidents.add(id.slice(0, id.indexOf('|')));
    }
    return failed.size;
  }

  // The processor folds a call's incidents side by side; handed a batch of twenty at once, it would
  // keep every webhook answered meanwhile waiting behind twenty folds' steps. In parts of
  // `foldsAtOnce` incidents, one after another, the batch costs the same and the answers wait less.
  function partsOf(batch: readonly [string, DynamoDBRecord][]): DynamoDBRecord[][] {
    const partOfIncident = new Map<string, number>();
    const parts: DynamoDBRecord[][] = [];
    for (const [id, record] of batch) {
      const issueId = id.slice(0, id.indexOf('|'));
      let part = partOfIncident.get(issueId);
      if (part === undefined) {
        part = Math.floor(partOfIncident.size / foldsAtOnce);
        partOfIncident.set(issueId, part);
      }
      const records = parts[part] ?? [];
      records.push(record);
      parts[part] = records;
    }
    return parts;
  }

  function drain(): Promise<number> {
    if (next !== undefined) return next;
    const run = queue.then(() => {
      next = undefined;
      return consumePending();
    });
    queue = run.catch(() => undefined);
    next = run.then(afterDrain);
    return next;
  }

  // Idle, a new record opens a window (none by default: the batch goes on the next turn of the event
  // loop, after the webhook's answer is on its way). While a batch is being folded, new records wait
  // for it; then they gather until there are `recordsPerFold` per incident, the stream has been quiet
  // for `quietMs`, or the first of them has waited `loadWindowMs`. A batch already waiting its turn,
  // or a window already open, takes a new record as it is.
  let cancelWindow: (() => void) | undefined;
  let loadSinceMs: number | undefined;
  let lastArrivalMs = 0;
  const go = (): void => {
    cancelWindow?.();
    cancelWindow = undefined;
    drain().catch((error: unknown) => log.error('processing failed', { error: String(error) }));
  };
  // Deliveries being stored right now: while any is, the stream is not quiet.
  let storing = 0;
  const full = (): boolean => pending.size >= recordsPerFold * pendingIncidents.size;
  function schedule(): void {
    if (closed) return;
    lastArrivalMs = performance.now();
    if (next !== undefined) return;
    if (cancelWindow !== undefined) {
      if (loadSinceMs !== undefined && consuming === 0 && full()) go();
      return;
    }
    if (consuming !== 0) {
      loadSinceMs ??= lastArrivalMs;
      return;
    }
    if (batchWindowMs === 0) {
      const immediate = setImmediate(go);
      cancelWindow = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(go, batchWindowMs);
      cancelWindow = () => clearTimeout(timer);
    }
  }
  function gatherUnderLoad(): void {
    if (closed || next !== undefined || loadSinceMs === undefined) return;
    // Each look decides again: a record that arrived meanwhile moves the lull on.
    const nowMs = performance.now();
    if (storing > 0) lastArrivalMs = nowMs;
    const waitMs = Math.min(loadSinceMs + loadWindowMs, lastArrivalMs + quietMs) - nowMs;
    if (waitMs <= 0 || full()) {
      go();
      return;
    }
    cancelWindow?.();
    // Looked at after the event loop's I/O, so that a process that was not running during the lull
    // (a loaded machine) sees the deliveries that waited for it before it decides the burst is over.
    const timer = setTimeout(() => {
      const immediate = setImmediate(gatherUnderLoad);
      cancelWindow = () => clearImmediate(immediate);
    }, waitMs);
    cancelWindow = () => clearTimeout(timer);
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
      pendingIncidents.add(issueId);
      return drain();
    },
    /**
     * Folds the incidents the journal names: those a previous run stored and answered for but stopped
     * before folding. Says how many incidents it named.
     */
    async recover(): Promise<number> {
      if (journalPath === undefined || !existsSync(journalPath)) return 0;
      const issueIds = new Set(readFileSync(journalPath, 'utf8').split('\n').filter(Boolean));
      for (const issueId of issueIds) {
        pending.set(`${issueId}|recover`, streamRecord(issueId, 'recover'));
        pendingIncidents.add(issueId);
      }
      await drain();
      return issueIds.size;
    },
    /**
     * Resolves once every record stored so far was handed to the processor (what is running now
     * included); says how many failed and stay pending. Every read of the local server waits on it.
     */
    drain,
    /** Resolves when the processor has caught up by itself: nothing pending, nothing running or due. */
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
      cancelWindow?.();
      cancelWindow = undefined;
      clearTimeout(retryTimer);
      return failed;
    },
    get pendingCount(): number {
      return pending.size;
    },
  };
}
