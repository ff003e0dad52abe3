/** How fast requests may start: a steady rate, and how many may start at once after a quiet spell. */
export interface RateLimiterOptions {
  /** The average rate (default 3: Notion's documented average per integration). */
  readonly requestsPerSecond?: number;
  /**
   * The bucket's size (default 1: evenly spaced requests). Notion allows "some bursts" without a number;
   * sending none keeps its bucket from running dry even when network jitter bunches requests up.
   */
  readonly burst?: number;
  /** A monotonic clock in milliseconds; injectable so tests run on fake time. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Starts work no faster than its rate allows, in the order it was scheduled. */
export interface RateLimiter {
  /** Runs `fn` once a token is free; the limit is on starts, not on how many run at once. */
  schedule<T>(fn: () => Promise<T>): Promise<T>;
}

/** A token bucket: `burst` tokens, refilled at `requestsPerSecond`; each start takes one, waiting for it if need be. */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const requestsPerSecond = options.requestsPerSecond ?? 3;
  const burst = options.burst ?? 1;
  if (!(requestsPerSecond > 0) || !(burst >= 1))
    throw new Error(
      `A rate limiter needs requestsPerSecond > 0 and burst >= 1, got ${requestsPerSecond} and ${burst}`,
    );
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let tokens = burst;
  let refilledAtMs = now();
  // Takers queue on one promise chain, so tokens go out in scheduling order and never twice.
  let queue: Promise<void> = Promise.resolve();

  async function take(): Promise<void> {
    for (;;) {
      const nowMs = now();
      tokens = Math.min(burst, tokens + ((nowMs - refilledAtMs) / 1000) * requestsPerSecond);
      refilledAtMs = nowMs;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - tokens) / requestsPerSecond) * 1000));
    }
  }

  return {
    schedule(fn) {
      const turn = queue.then(take);
      queue = turn.catch(() => {});
      return turn.then(fn);
    },
  };
}

/** A fetch that starts each request through the limiter: pass it as @notionhq/client's `fetch` option. */
export function rateLimitedFetch(limiter: RateLimiter, fetchImpl: typeof fetch = fetch): typeof fetch {
  return (input, init) => limiter.schedule(() => fetchImpl(input, init));
}
