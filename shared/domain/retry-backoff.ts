/** The first wait before a failed postmortem is tried again. */
export const FIRST_RETRY_SECONDS = 60;
/** The longest wait between two tries. */
export const MAX_RETRY_SECONDS = 2 * 3600;

/**
 * How long to wait before the next try of something that failed `attempts` times: one minute, then
 * doubled each time (1, 2, 4, 8, 16… minutes) up to two hours, with up to 10% added at random so
 * retries of many messages do not arrive together; never shorter than a Retry-After the service asked for.
 */
export function retryDelaySeconds(
  attempts: number,
  retryAfterMs: number | null = null,
  random: () => number = Math.random,
): number {
  const exponential = FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1);
  const capped = Math.min(MAX_RETRY_SECONDS, exponential);
  const jittered = Math.round(capped * (1 + random() * 0.1));
  const asked = retryAfterMs === null ? 0 : Math.ceil(retryAfterMs / 1000);
  return Math.min(MAX_RETRY_SECONDS, Math.max(jittered, asked));
}
