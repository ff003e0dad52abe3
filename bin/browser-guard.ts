import type { IncomingHttpHeaders } from 'node:http';
import { type HttpResult, json } from '#shared/lambda/http.ts';

const HOW_TO_SEND =
  "send it as a program does (curl -H 'content-type: application/json' --data @payload.json URL), " +
  'or set WEBHOOK_SECRET so every webhook must be signed';

/**
 * Without WEBHOOK_SECRET nothing authenticates a webhook, so what any web page the user visits can
 * POST to localhost without a CORS preflight is refused: a request naming an Origin (403), and any
 * content type but application/json (415), which a page cannot set without a preflight it would fail.
 */
export function refuseBrowserWrite(headers: IncomingHttpHeaders): HttpResult | null {
  if (headers.origin !== undefined)
    return json(403, {
      error: `a web page (Origin ${headers.origin}) may not post webhooks while no WEBHOOK_SECRET is set; ${HOW_TO_SEND}`,
    });
  const type = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    return json(415, {
      error: `a webhook is JSON with content-type: application/json, not ${type ?? 'no content type'}; ${HOW_TO_SEND}`,
    });
  return null;
}
