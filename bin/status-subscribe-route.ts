import type { IncomingMessage } from 'node:http';
import { renderSubscriptionAnswer } from '#shared/domain/status-page-subscribe-html.ts';
import {
  ANSWER_STATUS,
  MAX_SUBSCRIPTION_FORM_BYTES,
  SUBSCRIPTION_FORM_TYPE,
  type SubscriptionAnswer,
} from '#shared/domain/subscription-request.ts';
import type { HttpResult } from '#shared/lambda/http.ts';
import type { Log, Subscriptions } from '#shared/ports.ts';
import { statusPageHeaders } from '#shared/status-page-headers.ts';
import { subscribeToUpdates } from '#shared/use-cases/subscribe-to-updates.ts';
import { closing, readBody } from './lambda-http.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { STATUS_PATH } from './status-page-route.ts';

/** Where the page's form posts, locally; relative to the page at /status/, `subscribe`. */
export const SUBSCRIBE_PATH = `${STATUS_PATH}/subscribe`;

/** The form action of the local page (relative, under /status/), allowed by its CSP as 'self'. */
export const LOCAL_SUBSCRIBE_ACTION = 'subscribe';

/** A form with one address is a few hundred bytes; more is not a subscription. */
export const MAX_FORM_BYTES = MAX_SUBSCRIPTION_FORM_BYTES;

const FORM_TYPE = SUBSCRIPTION_FORM_TYPE;

/**
 * POST /status/subscribe: a foreign page's post refused (403), anything but a form (415) or a body over
 * MAX_FORM_BYTES (413) refused unread, then at most the limiter's count per client (429, so the form
 * cannot mail-bomb an address), then the address checked and subscribed; each answer a page.
 */
export async function subscribeResult(
  request: IncomingMessage,
  deps: {
    readonly subscriptions: Subscriptions;
    readonly limiter: RateLimiter;
    readonly siteTitle: string;
    readonly log: Log;
  },
): Promise<HttpResult> {
  const page = (answer: SubscriptionAnswer, extraHeaders: Record<string, string> = {}): HttpResult => ({
    statusCode: ANSWER_STATUS[answer.kind],
    headers: {
      ...statusPageHeaders("'self'"),
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...extraHeaders,
    },
    body: renderSubscriptionAnswer(answer, {
      title: deps.siteTitle,
      root: '',
      action: LOCAL_SUBSCRIBE_ACTION,
    }),
  });
  const refuse = async (statusCode: number, message: string): Promise<HttpResult> => {
    await readBody(request, 0);
    return closing({ ...page({ kind: 'refused', message }), statusCode });
  };

  const { origin, host } = request.headers;
  // A browser names the page a form came from, except under the page's no-referrer policy, which sends
  // "null": a foreign page named is refused; what stops floods is the limiter below, and SNS's opt-in.
  if (origin !== undefined && origin !== 'null' && origin !== `http://${host}`)
    return refuse(403, `a page of ${origin} may not subscribe addresses here`);
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== FORM_TYPE)
    return refuse(415, `the form is sent as ${FORM_TYPE}, not ${type ?? 'no content type'}`);
  const body = await readBody(request, MAX_FORM_BYTES);
  if (body === null)
    return closing({
      ...page({ kind: 'refused', message: `the form is larger than ${MAX_FORM_BYTES} bytes` }),
      statusCode: 413,
    });

  const decision = deps.limiter.take(request.socket.remoteAddress ?? 'unknown');
  if (!decision.allowed)
    return page({ kind: 'too-many' }, { 'retry-after': String(Math.ceil(decision.retryAfterMs / 1000)) });
  const answer = await subscribeToUpdates(new URLSearchParams(body.toString('utf8')), deps);
  return page(answer);
}
