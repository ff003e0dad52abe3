import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { Log } from '#shared/ports.ts';
import { createLocalStream } from '../../bin/local-stream.ts';
import { incident } from '../builders.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';

/** The sort keys of each batch the processor was handed. */
function recordingConsumer(failFirst: (sk: string) => boolean = () => false) {
  const batches: string[][] = [];
  const failedOnce = new Set<string>();
  const consume = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const keys = event.Records.map((record) => record.dynamodb?.Keys?.sk?.S ?? '');
    batches.push(keys);
    const batchItemFailures = event.Records.filter((record) => {
      const sk = record.dynamodb?.Keys?.sk?.S ?? '';
      if (!failFirst(sk) || failedOnce.has(sk)) return false;
      failedOnce.add(sk);
      return true;
    }).map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }));
    return { batchItemFailures };
  };
  return { batches, consume };
}

function recordingLog() {
  const warnings: Record<string, unknown>[] = [];
  const log: Log = {
    info: () => {},
    warn: (_message, details) => {
      warnings.push(details ?? {});
    },
    error: () => {},
  };
  return { warnings, log };
}

/** A consumer that holds each batch until the test lets it go, as a slow fold would. */
function gatedConsumer() {
  const { batches, consume } = recordingConsumer();
  const gates: (() => void)[] = [];
  const gated = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const answer = await consume(event);
    await new Promise<void>((release) => gates.push(release));
    return answer;
  };
  return { batches, consume: gated, releaseOne: () => gates.shift()?.() };
}

/** One turn of the event loop: what was set off with `setImmediate` before has run. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const a = incident('a');
const b = incident('b');

describe('the local stream', () => {
  it('hands a record stored while the processor is idle over at once, without waiting for more', async () => {
    const { batches, consume } = recordingConsumer();
    const stream = createLocalStream(createInMemoryEventStore(), consume, { log: recordingLog().log });

    await stream.store.append([a.created()]);
    await nextTurn();

    expect(batches).toEqual([['EVENT#issue#a#created']]);
    await stream.close();
  });

  it('batches what arrives while a fold runs, each record once, and hands it over when the burst pauses', async () => {
    const { batches, consume, releaseOne } = gatedConsumer();
    const stream = createLocalStream(createInMemoryEventStore(), consume, {
      log: recordingLog().log,
      quietMs: 20,
      loadWindowMs: 60_000,
    });
    await stream.store.append([a.created()]);
    await nextTurn();

    await stream.store.append([a.move(1, 5, 'Detected', 'Declared')]);
    await stream.store.append([b.created()]);
    await stream.store.append([a.move(1, 5, 'Detected', 'Declared'), a.move(2, 9, 'Declared', 'Triaged')]);
    await nextTurn();
    const whileBusy = batches.map((batch) => [...batch]);
    releaseOne();
    await vi.waitFor(() => expect(batches).toHaveLength(2));
    releaseOne();
    await stream.idle();

    expect(whileBusy).toEqual([['EVENT#issue#a#created']]);
    expect(batches).toEqual([
      ['EVENT#issue#a#created'],
      ['EVENT#changelog#1#status', 'EVENT#issue#b#created', 'EVENT#changelog#2#status'],
    ]);
  });

  it('hands a batch gathered under load over as soon as it holds enough records per incident', async () => {
    const { batches, consume, releaseOne } = gatedConsumer();
    const stream = createLocalStream(createInMemoryEventStore(), consume, {
      log: recordingLog().log,
      recordsPerFold: 2,
      quietMs: 60_000,
      loadWindowMs: 60_000,
    });
    await stream.store.append([a.created()]);
    await nextTurn();
    await stream.store.append([a.move(1, 5, 'Detected', 'Declared')]);
    releaseOne();
    await nextTurn();
    const oneRecordEach = batches.length;

    await stream.store.append([a.move(2, 9, 'Declared', 'Triaged')]);
    await nextTurn();

    expect(oneRecordEach).toBe(1);
    expect(batches).toEqual([
      ['EVENT#issue#a#created'],
      ['EVENT#changelog#1#status', 'EVENT#changelog#2#status'],
    ]);
    releaseOne();
    await stream.idle();
  });

  it('hands a batch gathered under load over at the latest after its longest wait, however busy the stream', async () => {
    const { batches, consume, releaseOne } = gatedConsumer();
    const stream = createLocalStream(createInMemoryEventStore(), consume, {
      log: recordingLog().log,
      recordsPerFold: 1_000,
      quietMs: 60_000,
      loadWindowMs: 20,
    });
    await stream.store.append([a.created()]);
    await nextTurn();
    await stream.store.append([b.created()]);

    releaseOne();
    await vi.waitFor(() => expect(batches).toHaveLength(2));

    expect(batches).toEqual([['EVENT#issue#a#created'], ['EVENT#issue#b#created']]);
    releaseOne();
    await stream.idle();
  });

  it('hands a batch of many incidents to the processor in parts, each incident whole in one part', async () => {
    const { batches, consume } = recordingConsumer();
    const c = incident('c');
    const stream = createLocalStream(createInMemoryEventStore(), consume, {
      log: recordingLog().log,
      batchWindowMs: 60_000,
      foldsAtOnce: 2,
    });

    await stream.store.append([a.created(), b.created(), c.created(), a.move(1, 5, 'Detected', 'Declared')]);
    await stream.drain();

    expect(batches).toEqual([
      ['EVENT#issue#a#created', 'EVENT#issue#b#created', 'EVENT#changelog#1#status'],
      ['EVENT#issue#c#created'],
    ]);
    await stream.close();
  });

  it('gathers what arrives within its batching window into one batch, duplicates left out', async () => {
    const { batches, consume } = recordingConsumer();
    const stream = createLocalStream(createInMemoryEventStore(), consume, {
      log: recordingLog().log,
      batchWindowMs: 30,
    });

    await stream.store.append([a.created()]);
    await stream.store.append([a.move(1, 5, 'Detected', 'Declared'), b.created()]);
    await stream.store.append([a.created()]);
    expect(batches).toEqual([]);
    await stream.idle();

    expect(batches).toEqual([['EVENT#issue#a#created', 'EVENT#changelog#1#status', 'EVENT#issue#b#created']]);
    expect(stream.pendingCount).toBe(0);
  });

  it('does not make a read wait for the batching window: a drain hands everything over at once', async () => {
    const { batches, consume } = recordingConsumer();
    const stream = createLocalStream(createInMemoryEventStore(), consume, {
      log: recordingLog().log,
      batchWindowMs: 60_000,
    });

    // Were the drain to wait for the minute-long window, the test would time out.
    await stream.store.append([a.created()]);
    expect(await stream.drain()).toBe(0);

    expect(batches).toEqual([['EVENT#issue#a#created']]);
    await stream.close();
  });

  it('hands a failed record over again after a growing wait, without another delivery', async () => {
    // The record fails on its first two tries: the first retry comes after 20 ms, the next after 40.
    let tries = 0;
    const { batches, consume } = recordingConsumer();
    const failing = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      const answer = await consume(event);
      const changelog = event.Records.find((record) => record.dynamodb?.Keys?.sk?.S?.includes('changelog'));
      if (changelog === undefined || ++tries > 2) return answer;
      return { batchItemFailures: [{ itemIdentifier: changelog.dynamodb?.SequenceNumber ?? '' }] };
    };
    const { warnings, log } = recordingLog();
    const stream = createLocalStream(createInMemoryEventStore(), failing, {
      log,
      retryFirstMs: 20,
    });

    await stream.store.append([a.created(), a.move(1, 5, 'Detected', 'Declared')]);
    await stream.idle();

    expect(batches).toEqual([
      ['EVENT#issue#a#created', 'EVENT#changelog#1#status'],
      ['EVENT#changelog#1#status'],
      ['EVENT#changelog#1#status'],
    ]);
    expect(warnings.map((details) => details.retryInMs)).toEqual([20, 40]);
    expect(stream.pendingCount).toBe(0);
  });

  it('keeps a record the processor threw on, and hands it over with the next drain', async () => {
    let throwing = true;
    const { batches, consume } = recordingConsumer();
    const stream = createLocalStream(
      createInMemoryEventStore(),
      async (event) => {
        if (throwing) throw new Error('dynalite went away');
        return consume(event);
      },
      { log: recordingLog().log, batchWindowMs: 60_000, retryFirstMs: 60_000 },
    );

    await stream.store.append([b.created()]);
    expect(await stream.drain()).toBe(1);
    expect(stream.pendingCount).toBe(1);

    throwing = false;
    expect(await stream.drain()).toBe(0);
    expect(batches).toEqual([['EVENT#issue#b#created']]);
    await stream.close();
  });

  it('folds what is pending when it closes, and takes nothing after', async () => {
    const { batches, consume } = recordingConsumer();
    const stream = createLocalStream(createInMemoryEventStore(), consume, {
      log: recordingLog().log,
      batchWindowMs: 60_000,
    });

    await stream.store.append([a.created()]);
    expect(await stream.close()).toBe(0);

    expect(batches).toEqual([['EVENT#issue#a#created']]);
  });

  it('names what it has not folded in its journal, so that the next run folds it after a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incident-flow-journal-'));
    const journalPath = join(dir, 'unfolded-incidents.txt');
    try {
      const store = createInMemoryEventStore();
      const crashed = recordingConsumer();
      const first = createLocalStream(store, crashed.consume, {
        log: recordingLog().log,
        batchWindowMs: 60_000,
        journalPath,
      });
      await first.store.append([a.created(), a.move(1, 5, 'Detected', 'Declared')]);
      await first.store.append([b.created()]);
      // The process dies here: answered for, never folded.
      expect(crashed.batches).toEqual([]);

      const restarted = recordingConsumer();
      const second = createLocalStream(store, restarted.consume, { log: recordingLog().log, journalPath });
      expect(await second.recover()).toBe(2);

      expect(restarted.batches).toEqual([['EVENT#recover', 'EVENT#recover']]);
      expect(readFileSync(journalPath, 'utf8')).toBe('');
      expect(await second.recover()).toBe(0);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps in its journal an incident whose fold was under way when the process died', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incident-flow-journal-'));
    const journalPath = join(dir, 'unfolded-incidents.txt');
    try {
      const store = createInMemoryEventStore();
      const dying = gatedConsumer();
      const first = createLocalStream(store, dying.consume, { log: recordingLog().log, journalPath });
      await first.store.append([a.created()]);
      await nextTurn();
      await first.store.append([b.created()]);
      // The process dies here: a's fold is under way, b waits for it.
      expect(dying.batches).toEqual([['EVENT#issue#a#created']]);

      const restarted = recordingConsumer();
      const second = createLocalStream(store, restarted.consume, { log: recordingLog().log, journalPath });
      expect(await second.recover()).toBe(2);

      expect(restarted.batches).toEqual([['EVENT#recover', 'EVENT#recover']]);
      expect(readFileSync(journalPath, 'utf8')).toBe('');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('empties its journal once the processor has folded everything, and keeps it while a record fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incident-flow-journal-'));
    const journalPath = join(dir, 'unfolded-incidents.txt');
    try {
      let failing = true;
      const { consume } = recordingConsumer();
      const stream = createLocalStream(
        createInMemoryEventStore(),
        async (event) => {
          if (failing) throw new Error('dynalite went away');
          return consume(event);
        },
        { log: recordingLog().log, batchWindowMs: 60_000, retryFirstMs: 60_000, journalPath },
      );

      await stream.store.append([a.created()]);
      expect(await stream.drain()).toBe(1);
      expect(readFileSync(journalPath, 'utf8')).toBe('a\n');

      failing = false;
      expect(await stream.drain()).toBe(0);
      expect(readFileSync(journalPath, 'utf8')).toBe('');
      await stream.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
