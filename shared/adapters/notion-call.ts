import {
  APIErrorCode,
  APIResponseError,
  InvalidPathParameterError,
  RequestTimeoutError,
  UnknownHTTPResponseError,
} from '@notionhq/client';
import * as z from 'zod/mini';
import { UpstreamUnavailableError } from '../errors.ts';

/** Parses what Notion answered, so a changed API fails here, named, not deep in a caller. */
export function parseNotionAnswer<T>(schema: z.ZodMiniType<T>, answer: unknown, what: string): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success)
    throw new Error(`Notion answered ${what} in an unexpected shape:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** A Retry-After header (seconds, or an HTTP date) in milliseconds, whichever form Notion sent. */
export function retryAfterMsOf(headers: unknown): number | null {
  const value =
    headers instanceof Headers
      ? headers.get('retry-after')
      : typeof headers === 'object' && headers !== null
        ? Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1]
        : undefined;
  const seconds = Number.parseInt(String(value ?? ''), 10);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const atMs = Date.parse(String(value ?? ''));
  return Number.isNaN(atMs) ? null : Math.max(0, atMs - Date.now());
}

/**
 * Notion's failures as ours: worth retrying later (rate limits, outages, conflicts) or refused as asked;
 * `shared` names what the integration must be given access to when Notion says it cannot see it.
 */
export function translateNotionError(error: unknown, what: string, shared: string): Error {
  const unavailable = (reason: string, retryAfterMs: number | null = null) =>
    new UpstreamUnavailableError(`Notion is unavailable ${what}: ${reason}`, retryAfterMs, { cause: error });
  const refused = (message: string) => new Error(`Notion refused ${what}: ${message}`, { cause: error });
  if (APIResponseError.isAPIResponseError(error)) {
    switch (error.code) {
      case APIErrorCode.RateLimited:
      case APIErrorCode.ServiceOverload:
      case APIErrorCode.ConflictError:
      case APIErrorCode.InternalServerError:
      case APIErrorCode.ServiceUnavailable:
      case APIErrorCode.GatewayTimeout:
        return unavailable(`${error.code}: ${error.message}`, retryAfterMsOf(error.headers));
      case APIErrorCode.Unauthorized:
        return refused(`${error.message} (check the integration's token)`);
      case APIErrorCode.RestrictedResource:
      case APIErrorCode.ObjectNotFound:
        return refused(`${error.message} (share ${shared} with the integration)`);
      case APIErrorCode.ValidationError:
      case APIErrorCode.InvalidJSON:
      case APIErrorCode.InvalidRequestURL:
      case APIErrorCode.InvalidRequest:
      case APIErrorCode.InvalidBeta:
        return refused(error.message);
      default:
        error.code satisfies never;
        return refused(error.message);
    }
  }
  if (UnknownHTTPResponseError.isUnknownHTTPResponseError(error))
    return error.status >= 500 || error.status === 429
      ? unavailable(`HTTP ${error.status}`, retryAfterMsOf(error.headers))
      : refused(`HTTP ${error.status}`);
  if (RequestTimeoutError.isRequestTimeoutError(error)) return unavailable('the request timed out');
  if (InvalidPathParameterError.isInvalidPathParameterError(error)) return refused(error.message);
  // Anything else the client throws is fetch failing: DNS, a refused connection, a reset.
  return unavailable(`it could not be reached (${error instanceof Error ? error.message : String(error)})`);
}
