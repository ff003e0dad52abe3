import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { isAuthorizedAlert } from '#shared/lambda/alert-auth.ts';
import { signWebhookBody } from '#shared/lambda/webhook-signature.ts';

const SECRETS = { current: 'the-current-secret-0123', previous: 'the-previous-secret-0123' };
const BODY = Buffer.from('{"version":"1","alerts":[]}');

const request = (headers: Record<string, string>) => ({ headers }) as unknown as APIGatewayProxyEventV2;
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('authenticating an alerting tool', () => {
  it.each([
    ['a bearer token of the current secret', { authorization: `Bearer ${SECRETS.current}` }],
    [
      'a bearer token of the previous secret, while rotating',
      { Authorization: `bearer ${SECRETS.previous}` },
    ],
    [
      'basic auth with the secret as password, whatever the user',
      { authorization: basic('alertmanager', SECRETS.current) },
    ],
    [
      "Grafana's HMAC signature of the body",
      { 'x-grafana-alerting-signature': signWebhookBody(BODY, SECRETS.current).slice(7) },
    ],
  ])('accepts %s', (_what, headers) => {
    expect(isAuthorizedAlert(request(headers), BODY, SECRETS)).toBe(true);
  });

  it.each([
    ['no credentials', {}],
    ['a wrong bearer token', { authorization: 'Bearer not-the-secret' }],
    ['the secret as basic auth user name', { authorization: basic(SECRETS.current, 'x') }],
    [
      'a signature of another body',
      { 'x-grafana-alerting-signature': signWebhookBody('{}', SECRETS.current).slice(7) },
    ],
    [
      'a signature beside a good bearer token',
      {
        authorization: `Bearer ${SECRETS.current}`,
        'x-grafana-alerting-signature': 'deadbeef',
      },
    ],
  ])('refuses %s', (_what, headers) => {
    expect(isAuthorizedAlert(request(headers), BODY, SECRETS)).toBe(false);
  });
});
