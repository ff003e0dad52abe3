import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, type AppErrorCode, BadRequestError, PayloadTooLargeError } from '../errors.ts';
import type { Log } from '../ports.ts';

export type HttpResult = APIGatewayProxyStructuredResultV2;

/** A JSON response. */
export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

const STATUS_BY_CODE: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  payload_too_large: 413,
  invalid_settings: 500,
  upstream_unavailable: 503,
  upstream_refused: 500,
};

/** Failures of our own setup, or a service refusing what we sent: the caller cannot fix them, so they are logged, not shown. */
const INTERNAL_CODES: ReadonlySet<AppErrorCode> = new Set(['invalid_settings', 'upstream_refused']);

/** The one place an HTTP handler's errors become responses; anything unexpected is logged, never shown. */
export function httpErrors(log: Log): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof AppError && !INTERNAL_CODES.has(error.code)) {
        const body: Record<string, unknown> = { error: error.message };
        if (error instanceof BadRequestError && error.problems.length > 0) body.problems = error.problems;
        request.response = json(STATUS_BY_CODE[error.code], body);
        return;
      }
      log.error('request failed', {
        error:
          error instanceof Error
            ? { name: error.name, message: error.message, stack: error.stack }
            : String(error),
      });
      request.response = json(500, { error: 'internal error; the event was not stored, retry the delivery' });
    },
  };
}

/** Jira's webhook bodies stay far below this; anything larger is refused before it is read further. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The raw request body as Jira sent it (HMACs are over these exact bytes). */
export function rawBody(event: APIGatewayProxyEventV2): Buffer {
  const body = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  return bytes;
}

/** A header by name, whatever case the caller used. */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === wanted) return value;
  return undefined;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Parses a JSON body or says plainly what it is not: JSON is UTF-8 without a byte order mark
 * (RFC 8259), and a lenient decode would turn bad bytes into U+FFFD and store them as text.
 */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.subarray(0, UTF8_BOM.length).equals(UTF8_BOM))
    throw new BadRequestError('the body starts with a UTF-8 byte order mark; send JSON without one', [
      { path: '', message: 'JSON text must not begin with a byte order mark (RFC 8259 section 8.1)' },
    ]);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch (error) {
    throw new BadRequestError(
      'the body is not valid UTF-8',
      [{ path: '', message: 'JSON is sent as UTF-8; re-encode the body' }],
      { cause: error },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(
      'the body is not valid JSON',
      [{ path: '', message: (error as Error).message }],
      { cause: error },
    );
  }
}

/** A path segment percent-decoded; malformed encoding (`%E0%A4%A`) is the caller's fault, a 400. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    throw new BadRequestError(`the path segment ${segment} is not valid percent-encoding`, [], {
      cause: error,
    });
  }
}

/** A zod issue path as people write it: issue.fields.status.name, changelog.items[0].field. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part),
    '',
  );
}
