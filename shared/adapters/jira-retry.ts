import { isApiError, isNetworkError, isRateLimitError, isServerError } from 'jira.js';
import * as z from 'zod/mini';
import { UpstreamUnavailableError } from '../errors.ts';

/** What jira.js handed back, as the JSON Jira sent: its response schemas turn times into Date objects. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

/** Parses what Jira answered, so a changed API fails here, named, not deep in a caller. */
export function parseJiraAnswer<T>(schema: z.ZodMiniType<T>, answer: unknown, what: string): T {
  const parsed = schema.safeParse(asJson(answer));
  if (!parsed.success)
    throw new Error(`Jira answered ${what} in an unexpected shape:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export interface JiraRetryOptions {
  /** Attempts per request before giving up on a 429 or 5xx (default 8). */
  readonly maxAttempts?: number;
  /** The first backoff after a 5xx or a network failure (default 500 ms), doubled each time, up to 30 s. */
  readonly initialBackoffMs?: number;
  /** Counts every HTTP request made, for the benchmark and the run's report. */
  readonly onRequest?: (what: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Runs one Jira request, named by `what`, with the retries; a refusal is thrown as `refuse` translates it. */
export type JiraCall = <T>(what: string, request: () => Promise<T>) => Promise<T>;

const MAX_BACKOFF_MS = 30_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The retry loop of a Jira adapter (jira.js retries nothing by default): a 429 pauses every request of
 * this loop until Retry-After has passed (a rate limit asks the whole client to slow down, not one call),
 * a 5xx or a network failure backs off exponentially, and the last attempt's failure is an
 * UpstreamUnavailableError; anything else (400, 401, 403, 404) is a refusal, thrown at once through
 * `refuse` (by default as jira.js raised it, for a caller that translates it with more context).
 */
export function createJiraRetry(
  options: JiraRetryOptions,
  refuse: (error: unknown, what: string) => unknown = (error) => error,
): JiraCall {
  const maxAttempts = options.maxAttempts ?? 8;
  const initialBackoffMs = options.initialBackoffMs ?? 500;
  const sleep = options.sleep ?? defaultSleep;
  let pausedUntilMs = 0;

  return async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
    let backoffMs = initialBackoffMs;
    for (let attempt = 1; ; attempt += 1) {
      const waitMs = pausedUntilMs - Date.now();
      if (waitMs > 0) await sleep(waitMs);
      options.onRequest?.(what);
      try {
        return await request();
      } catch (error) {
        const lastAttempt = attempt >= maxAttempts;
        if (isRateLimitError(error)) {
          const retryAfterMs = error.retryAfterMs ?? backoffMs;
          if (lastAttempt)
            throw new UpstreamUnavailableError(`Jira kept rate-limiting ${what}`, retryAfterMs, {
              cause: error,
            });
          pausedUntilMs = Math.max(pausedUntilMs, Date.now() + retryAfterMs);
          continue;
        }
        if (isServerError(error) || isNetworkError(error)) {
          if (lastAttempt)
            throw new UpstreamUnavailableError(`Jira failed ${what}: ${describe(error)}`, null, {
              cause: error,
            });
          await sleep(backoffMs + Math.random() * backoffMs * 0.2);
          backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
          continue;
        }
        throw refuse(error, what);
      }
    }
  };
}

function describe(error: unknown): string {
  if (isApiError(error)) return `HTTP ${error.status}`;
  return error instanceof Error ? error.message : String(error);
}
