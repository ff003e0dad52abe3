import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { renderSubscriptionAnswer } from '#shared/domain/status-page-subscribe-html.ts';
import {
  ANSWER_STATUS,
  MAX_SUBSCRIPTION_FORM_BYTES,
  SUBSCRIPTION_FORM_TYPE,
  type SubscriptionAnswer,
} from '#shared/domain/subscription-request.ts';
import { type HttpResult, header, httpErrors } from '#shared/lambda/http.ts';
import type { Log, Subscriptions } from '#shared/ports.ts';
import { statusPageHeaders } from '#shared/status-page-headers.ts';
import { subscribeToUpdates } from '#shared/use-cases/subscribe-to-updates.ts';

export interface StatusSubscribeDeps {
  readonly subscriptions: Subscriptions;
  readonly log: Log;
  /** The status page's title and https address: the answers link back to it and use its stylesheet. */
  readonly site: { readonly title: string; readonly url: string };
}

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * POST /status/subscribe on the HTTP API: the status page's "get updates by email" form. A foreign
 * page's post (403), anything but a form (415) or a body over 2 KB (413) is refused before it is read,
 * then the address is checked and subscribed to the keep-satisfied topic; every answer is a page.
 * Floods are bounded by the route's throttle on the API stage, not here: a per-client count would not
 * hold across execution environments.
 */
export function makeStatusSubscribeHandler(deps: StatusSubscribeDeps) {
  const siteUrl: `${string}/` = `${deps.site.url.replace(/\/+$/, '')}/`;
  const siteOrigin = new URL(siteUrl).origin;
  const headers = {
    // The answer is served from the API's origin; its form posts back here, its stylesheet is the site's.
    ...statusPageHeaders("'self'", siteOrigin),
    'strict-transport-security': `max-age=${ONE_YEAR_SECONDS}; includeSubDomains`,
    'x-frame-options': 'DENY',
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  };
  const page = (answer: SubscriptionAnswer, statusCode = ANSWER_STATUS[answer.kind]): HttpResult => ({
    statusCode,
    headers: { ...headers },
    // Relative to /status/subscribe, the form on a refusal posts back to this same route.
    body: renderSubscriptionAnswer(answer, { title: deps.site.title, root: siteUrl, action: 'subscribe' }),
  });
  const refuse = (statusCode: number, message: string) => page({ kind: 'refused', message }, statusCode);

  return middy<APIGatewayProxyEventV2, HttpResult>(
    async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
      const origin = header(event, 'origin');
      const ownOrigin = `https://${header(event, 'host') ?? ''}`;
      // Under the page's no-referrer policy a browser names a cross-origin form's origin "null".
      if (origin !== undefined && origin !== 'null' && origin !== siteOrigin && origin !== ownOrigin)
        return refuse(403, `a page of ${origin} may not subscribe addresses here`);
      const type = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== SUBSCRIPTION_FORM_TYPE)
        return refuse(415, `the form is sent as ${SUBSCRIPTION_FORM_TYPE}, not ${type ?? 'no content type'}`);
      const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
      if (body.length > MAX_SUBSCRIPTION_FORM_BYTES)
        return refuse(413, `the form is larger than ${MAX_SUBSCRIPTION_FORM_BYTES} bytes`);

      const answer = await subscribeToUpdates(new URLSearchParams(body.toString('utf8')), deps);
      return page(answer);
    },
  ).use(httpErrors(deps.log));
}
