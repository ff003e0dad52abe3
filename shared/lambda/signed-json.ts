import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { BadRequestError, UnauthorizedError } from '../errors.ts';
import { formatPath, header, parseJsonBody, rawBody } from './http.ts';
import { isValidSignature, type WebhookSecrets } from './webhook-signature.ts';

/**
 * A signed webhook's body, checked in the order that leaks nothing: size (413), then signature over
 * the raw bytes (401, before anything is parsed), then JSON (400), then shape (400 naming each path).
 */
export function readSignedJson<Schema extends z.ZodMiniType>(
  event: APIGatewayProxyEventV2,
  secrets: WebhookSecrets | null,
  schema: Schema,
  what: string,
): z.infer<Schema> {
  const body = rawBody(event);
  if (secrets !== null && !isValidSignature(body, header(event, 'x-hub-signature'), secrets)) {
    throw new UnauthorizedError();
  }
  return parseShape(body, schema, what);
}

/** A body already authenticated (or not needing it): size (413), JSON (400), then shape (400 per path). */
export function readJson<Schema extends z.ZodMiniType>(
  event: APIGatewayProxyEventV2,
  schema: Schema,
  what: string,
): z.infer<Schema> {
  return parseShape(rawBody(event), schema, what);
}

function parseShape<Schema extends z.ZodMiniType>(
  body: Buffer,
  schema: Schema,
  what: string,
): z.infer<Schema> {
  const parsed = schema.safeParse(parseJsonBody(body));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      message: issue.message,
    }));
    throw new BadRequestError(`the body is not ${what}`, problems);
  }
  return parsed.data;
}
