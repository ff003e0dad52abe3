import { isApiError, isNetworkError, isRateLimitError, isServerError } from 'jira.js';
import * as z from 'zod/mini';
import { UpstreamRefusedError, UpstreamUnavailableError } from '../errors.ts';

/** What jira.js handed back, as the JSON Jira sent: its response schemas turn times into Date objects. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

/** Parses what Jira answered, so a changed API fails here, named, not deep in a caller. */
export function parseJiraAnswer<T>(schema: z.ZodMiniType<T>, answer: unknown, what: string): T {
  const parsed = schema.safeParse(asJson(answer));
  if (!parsed.success)
    throw new Error(`Jira answered ${what} in an unexpected shape:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const JiraErrorBody = z.object({
  errorMessages: z.optional(z.array(z.string())),
  errors: z.optional(z.record(z.string(), z.string())),
});

/** Jira's `{ errorMessages, errors }` as parts: messages, and field errors by field. */
export interface JiraReasons {
  readonly messages: readonly string[];
  readonly fields: readonly (readonly [field: string, message: string])[];
}

/** The reasons in a Jira error body; a body of another shape is one message, its text cut short. */
export function jiraReasonsOf(body: unknown): JiraReasons {
  const parsed = JiraErrorBody.safeParse(body);
  if (!parsed.success)
    return { messages: typeof body === 'string' && body.length > 0 ? [body.slice(0, 200)] : [], fields: [] };
  return { messages: parsed.data.errorMessages ?? [], fields: Object.entries(parsed.data.errors ?? {}) };
}

/** Jira's `{ errorMessages, errors }` as one line: what was refused, field by field. */
export function jiraReasonLine(body: unknown): string {
  const { messages, fields } = jiraReasonsOf(body);
  const reasons = [...messages, ...fields.map(([field, message]) => `${field}: ${message}`)];
  return reasons.length > 0 ? reasons.join('; ') : 'no reason given';
}

/** What Jira refused a request with (a 400, 401, 403, 404…): what an adapter words its refusal from. */
export interface JiraRefusal {
  readonly status: number;
  /** The response body as jira.js read it: JSON when it was JSON, else the raw text. */
  readonly body: unknown;
}

/** An adapter's words for a refusal of the request named `what`: what was refused and what to fix. */
export type JiraRefusalWording<Scope = undefined> = (
  refusal: JiraRefusal,
  what: string,
  scope: Scope,
) => string;

/**
 * A failure that waiting may fix (a 429, a 5xx, a request that got no answer) as an
 * UpstreamUnavailableError, with Jira's Retry-After (else `unsaidRetryAfterMs`); null for anything else.
 */
export function jiraUnavailable(
  error: unknown,
  what: string,
  unsaidRetryAfterMs: number | null = null,
): UpstreamUnavailableError | null {
  const unavailable = (reason: string, retryAfterMs: number | null = null) =>
    new UpstreamUnavailableError(`Jira is unavailable ${what}: ${reason}`, retryAfterMs, { cause: error });
  // jira.js puts the response body in its messages, never the request's Authorization header.
  if (isRateLimitError(error))
    return unavailable('rate limited (HTTP 429)', error.retryAfterMs ?? unsaidRetryAfterMs);
  if (isServerError(error)) return unavailable(`HTTP ${error.status}: ${jiraReasonLine(error.body)}`);
  if (isNetworkError(error)) return unavailable(`it could not be reached (${error.message})`);
  return null;
}

/**
 * Jira's failures as ours: worth retrying later (UpstreamUnavailableError), or refused as asked
 * (UpstreamRefusedError, in the adapter's words). Anything else, a bug or a parse failure, stays as it was.
 */
export function translateJiraError(
  error: unknown,
  what: string,
  word: (refusal: JiraRefusal) => string,
): Error {
  const unavailable = jiraUnavailable(error, what);
  if (unavailable !== null) return unavailable;
  if (isApiError(error))
    return new UpstreamRefusedError(word({ status: error.status, body: error.body }), { cause: error });
  return error instanceof Error ? error : new Error(`Jira failed ${what}: ${String(error)}`);
}
