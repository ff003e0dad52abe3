import { SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createSnsSubscriptions } from '#shared/adapters/sns-subscriptions.ts';
import { makeStatusSubscribeHandler } from '../../functions/status-subscribe/status-subscribe.ts';
import { startSnsSimulator } from '../simulators/sns-simulator.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:keep-satisfied';
const SITE_URL = 'https://status.example.com';
const API_HOST = 'abc123.execute-api.eu-west-1.amazonaws.com';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const context = {} as Context;
let close: (() => Promise<void>) | undefined;

async function setup(options: { failNext?: number } = {}) {
  const sns = await startSnsSimulator(options);
  close = sns.close;
  const client = new SNSClient({
    endpoint: sns.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  const handler = makeStatusSubscribeHandler({
    subscriptions: createSnsSubscriptions(client, TOPIC),
    log: silentLog,
    site: { title: 'Service status', url: SITE_URL },
  });
  return { sns, handler };
}

function post(body: string, headers: Record<string, string> = FORM): APIGatewayProxyEventV2 {
  const withHost: Record<string, string> = { host: API_HOST, origin: 'null', ...headers };
  return {
    rawPath: '/status/subscribe',
    headers: withHost,
    body,
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

afterEach(() => close?.());

describe('the status page’s subscribe function', () => {
  it('subscribes the address to the keep-satisfied topic and answers "check your inbox"', async () => {
    const { sns, handler } = await setup();

    const response = await handler(post('email=reader%40example.com'), context);

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Check your inbox</h1>');
    expect(sns.subscriptions).toMatchObject([
      { topicArn: TOPIC, endpoint: 'reader@example.com', confirmed: false },
    ]);
  });

  it('tells an address that confirmed already that it is subscribed', async () => {
    const { sns, handler } = await setup();
    await handler(post('email=reader%40example.com'), context);
    sns.confirm('reader@example.com');

    const response = await handler(post('email=reader%40example.com'), context);

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>You are subscribed</h1>');
  });

  it('links back to the status page’s address and uses its stylesheet', async () => {
    const { handler } = await setup();

    const response = await handler(post('email=reader%40example.com'), context);

    expect(response.body).toContain(`<a href="${SITE_URL}/">← Service status</a>`);
    expect(response.body).toContain(`href="${SITE_URL}/assets/status.css"`);
  });

  it('answers with the page’s security headers, allowing the site’s stylesheet and a post back to itself', async () => {
    const { handler } = await setup();

    const response = await handler(post('email=reader%40example.com'), context);

    const csp = String(response.headers?.['content-security-policy']);
    expect(csp).toContain(`style-src 'self' ${SITE_URL}`);
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
  });

  it('refuses an address SNS would not take with the form again, naming the field, and subscribes no one', async () => {
    const { sns, handler } = await setup();

    const response = await handler(post('email=not+an+address'), context);

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('email: enter an address such as name@example.com');
    expect(response.body).toContain('<form class="subscribe" method="post" action="subscribe">');
    expect(sns.subscriptions).toEqual([]);
  });

  it.each([
    ['a JSON body', post('{"email":"reader@example.com"}', { 'content-type': 'application/json' }), 415],
    ['a body without a content type', post('email=reader%40example.com', {}), 415],
    ['a form over 2 KB', post(`email=reader%40example.com&pad=${'x'.repeat(2048)}`), 413],
    [
      'a post from another site’s page',
      post('email=reader%40example.com', { ...FORM, origin: 'https://evil.example' }),
      403,
    ],
  ])('refuses %s with status %i before subscribing anyone', async (_what, event, status) => {
    const { sns, handler } = await setup();

    const response = await handler(event, context);

    expect(response.statusCode).toBe(status);
    expect(response.body).toContain('<h1>Please check your address</h1>');
    expect(sns.subscriptions).toEqual([]);
  });

  it.each([
    ['the status page itself', SITE_URL],
    ['its own answer page', `https://${API_HOST}`],
  ])('takes a form posted from %s', async (_what, origin) => {
    const { handler } = await setup();

    const response = await handler(post('email=reader%40example.com', { ...FORM, origin }), context);

    expect(response.statusCode).toBe(200);
  });

  it('reads a base64-encoded form as API Gateway may pass it', async () => {
    const { sns, handler } = await setup();
    const event = {
      ...post(''),
      body: Buffer.from('email=reader%40example.com').toString('base64'),
      isBase64Encoded: true,
    };

    const response = await handler(event, context);

    expect(response.statusCode).toBe(200);
    expect(sns.subscriptions).toHaveLength(1);
  });

  it('answers "something went wrong" with 503 when SNS throttles', async () => {
    const { handler } = await setup({ failNext: 1 });

    const response = await handler(post('email=reader%40example.com'), context);

    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('<h1>Something went wrong</h1>');
  });
});
