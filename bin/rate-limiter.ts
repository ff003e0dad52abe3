/** Whether a client may go on, and if not, when it may try again. */
export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterMs: number };

/** Counts requests per client in a sliding window. */
export interface RateLimiter {
  take(clientKey: string): RateDecision;
}

/** How many clients are remembered before the idle ones are forgotten: a flood of clients stays bounded. */
const MAX_CLIENTS = 10_000;

/**
 * At most `limit` requests per client in any `windowMs`; a refused request does not count, so a client
 * that keeps trying gets through again once its oldest request leaves the window.
 */
export function createRateLimiter(options: {
  readonly limit: number;
  readonly windowMs: number;
  readonly nowMs: () => number;
}): RateLimiter {
  const seen = new Map<string, number[]>();

  function forgetIdle(nowMs: number) {
    for (const [key, times] of seen) {
      if ((times.at(-1) ?? 0) <= nowMs - options.windowMs) seen.delete(key);
    }
  }

  return {
    take(clientKey) {
      const nowMs = options.nowMs();
      const recent = (seen.get(clientKey) ?? []).filter((atMs) => atMs > nowMs - options.windowMs);
      const oldest = recent[0];
      if (recent.length >= options.limit && oldest !== undefined) {
        seen.set(clientKey, recent);
        return { allowed: false, retryAfterMs: oldest + options.windowMs - nowMs };
      }
      if (!seen.has(clientKey) && seen.size >= MAX_CLIENTS) forgetIdle(nowMs);
      seen.set(clientKey, [...recent, nowMs]);
      return { allowed: true };
    },
  };
}
