/**
 * The local server's time: what time it is, and a call at a later instant (the recheck queue's part
 * on AWS). The system clock by default; a test passes one it advances itself, so that a burst window
 * or a held-back update never depends on how fast a loaded machine runs.
 */
export interface LocalClock {
  nowMs(): number;
  /** Calls `run` once the clock reaches `atMs`; the function returned cancels the call. */
  at(atMs: number, run: () => void): () => void;
}

/** Wall-clock time and Node's timers. */
export const systemClock: LocalClock = {
  nowMs: () => Date.now(),
  at(atMs, run) {
    const timer = setTimeout(run, Math.max(0, atMs - Date.now()));
    return () => clearTimeout(timer);
  },
};
