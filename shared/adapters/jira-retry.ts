import { isRateLimitError } from 'jira.js';
import { type JiraRefusalWording, jiraUnavailable, translateJiraError } from './jira-errors.ts';

export interface JiraRetryOptions {
  /** Attempts per request before giving up on a 429 or 5xx (default 8). */
  readonly maxAttempts?: number;
  /** The first backoff after a 5xx or a network failure (default 500 ms), doubled each time, up to 30 s. */
  readonly initialBackoffMs?: number;
  /** Counts every HTTP request made, for the benchmark and the run's report. */
  readonly onRequest?: (what: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs one Jira request, named by `what`, with the retries; a refusal is an UpstreamRefusedError in the
 * loop's wording, told the `scope` of this request (the project it concerns, say) when the wording needs one.
 */
export type JiraCall<Scope = undefined> = <T>(
  what: string,
  request: () => Promise<T>,
  ...scope: [Scope] extends [undefined] ? [] : [scope: Scope]
) => Promise<T>;

const MAX_BACKOFF_MS = 30_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The retry loop of a Jira adapter (jira.js retries nothing by default): a 429 pauses every request of
 * this loop until Retry-After has passed (a rate limit asks the whole client to slow down, not one call),
 * a 5xx or a network failure backs off exponentially, and the last attempt's failure is an
 * UpstreamUnavailableError; anything else (400, 401, 403, 404) is a refusal, thrown at once as an
 * UpstreamRefusedError worded by `refuse`, which says what to fix.
 */
export function createJiraRetry<Scope = undefined>(
  options: JiraRetryOptions,
  refuse: JiraRefusalWording<Scope>,
): JiraCall<Scope> {
  const maxAttempts = options.maxAttempts ?? 8;
  const initialBackoffMs = options.initialBackoffMs ?? 500;
  const sleep = options.sleep ?? defaultSleep;
  let pausedUntilMs = 0;

  return async function call<T>(
    what: string,
    request: () => Promise<T>,
    ...[scope]: [Scope] extends [undefined] ? [] : [scope: Scope]
  ): Promise<T> {
    let backoffMs = initialBackoffMs;
    for (let attempt = 1; ; attempt += 1) {
      const waitMs = pausedUntilMs - Date.now();
      if (waitMs > 0) await sleep(waitMs);
      options.onRequest?.(what);
      try {
        return await request();
      } catch (error) {
        const unavailable = jiraUnavailable(error, what, backoffMs);
        if (unavailable === null)
          throw translateJiraError(error, what, (refusal) => refuse(refusal, what, scope as Scope));
        if (attempt >= maxAttempts) throw unavailable;
        if (isRateLimitError(error)) {
          pausedUntilMs = Math.max(pausedUntilMs, Date.now() + (error.retryAfterMs ?? backoffMs));
          continue;
        }
        await sleep(backoffMs + Math.random() * backoffMs * 0.2);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  };
}
