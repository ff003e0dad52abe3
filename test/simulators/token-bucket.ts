/**
 * The token bucket the simulators rate-limit with: `take()` answers null when a request may go, else
 * the whole seconds to wait (Retry-After is a whole number of seconds in Jira and Notion alike).
 */
export function createTokenBucket(
  requestsPerSecond: number,
  burst: number,
  clock: () => number = () => performance.now(),
) {
  let tokens = burst;
  let refilledAtMs = clock();
  return {
    take(): number | null {
      const nowMs = clock();
      tokens = Math.min(burst, tokens + ((nowMs - refilledAtMs) / 1000) * requestsPerSecond);
      refilledAtMs = nowMs;
      if (tokens >= 1) {
        tokens -= 1;
        return null;
      }
      return Math.max(1, Math.ceil((1 - tokens) / requestsPerSecond));
    },
  };
}
