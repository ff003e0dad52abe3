import type { LocalClock } from '../../bin/local-clock.ts';

/** A clock that moves only when the test advances it; calls due by then run in time order. */
export interface ManualClock extends LocalClock {
  advance(ms: number): void;
  /** Calls waiting for a later instant. */
  readonly waiting: number;
}

export function createManualClock(startMs: number): ManualClock {
  let nowMs = startMs;
  let nextId = 0;
  const due = new Map<number, { atMs: number; run: () => void }>();
  const runDue = () => {
    const ready = [...due.entries()].filter(([, call]) => call.atMs <= nowMs);
    ready.sort(([a, x], [b, y]) => x.atMs - y.atMs || a - b);
    for (const [id, call] of ready) {
      due.delete(id);
      call.run();
    }
  };
  return {
    nowMs: () => nowMs,
    at(atMs, run) {
      const id = nextId++;
      due.set(id, { atMs, run });
      // What is already due runs after the caller returns, as a zero-delay timer would.
      if (atMs <= nowMs) queueMicrotask(runDue);
      return () => {
        due.delete(id);
      };
    },
    advance(ms) {
      nowMs += ms;
      runDue();
    },
    get waiting() {
      return due.size;
    },
  };
}
