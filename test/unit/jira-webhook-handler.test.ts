import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { signWebhookBody } from '#shared/lambda/webhook-signature.ts';
import { makeJiraWebhookHandler } from '../../functions/jira-webhook/jira-webhook.ts';
import { settingsWith } from '../builders.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { jiraFixture } from '../fixtures/load.ts';

const SECRET = 'a-webhook-secret-of-some-length';
const context = {} as Context;

function setup(secrets: { current: string; previous?: string } | null = { current: SECRET }) {
  const store = createInMemoryEventStore();
  const handler = makeJiraWebhookHandler({
    store,
    settings: settingsWith(),
    secrets: async () => secrets,
    log: silentLog,
  });
  return { store, handler };
}

function request(body: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return { rawPath: '/webhooks/jira', headers, body, isBase64Encoded: false } as APIGatewayProxyEventV2;
}

const signed = (body: string, secret = SECRET) =>
  request(body, {
    'x-hub-signature': signWebhookBody(body, secret),
    'x-atlassian-webhook-identifier': 'd-1',
  });

/** A real payload re-typed as an incident. */
function incidentPayload(): string {
  const payload = jiraFixture('jira-issue-updated-status-2');
  (payload.issue as { fields: Record<string, unknown> }).fields.issuetype = { id: '1', name: 'Incident' };
  return JSON.stringify(payload);
}

describe('POST /webhooks/jira', () => {
  it('stores a signed incident event and answers 202', async () => {
    const { store, handler } = setup();

    const response = await handler(signed(incidentPayload()), context);

    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '')).toEqual({ stored: 1, duplicates: 0, issue: 'TEST-1' });
    expect([...store.events.keys()]).toEqual(['10000|changelog#10000#status']);
  });

  it('answers a redelivery 200 duplicate and changes nothing', async () => {
    const { store, handler } = setup();
    await handler(signed(incidentPayload()), context);

    const response = await handler(signed(incidentPayload()), context);

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({ duplicate: true, issue: 'TEST-1' });
    expect(store.events.size).toBe(1);
  });

  it.each([
    ['no signature', {}],
    [
      'a signature by another secret',
      { 'x-hub-signature': signWebhookBody(incidentPayload(), 'not-the-secret-at-all') },
    ],
    ['an unknown signature method', { 'x-hub-signature': `md5=${'0'.repeat(32)}` }],
    ['a malformed signature', { 'x-hub-signature': 'sha256' }],
  ])('refuses %s with 401, storing nothing and saying nothing of the secret', async (_name, headers) => {
    const { store, handler } = setup();

    const response = await handler(request(incidentPayload(), headers), context);

    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain(SECRET);
    expect(store.events.size).toBe(0);
  });

  it('accepts a body signed with the previous secret while it is being rotated', async () => {
    const { handler } = setup({ current: 'the-new-secret-after-rotation', previous: SECRET });

    const response = await handler(signed(incidentPayload()), context);

    expect(response.statusCode).toBe(202);
  });

  it('verifies the signature over the exact bytes of a base64-encoded body', async () => {
    const { handler } = setup();
    const body = incidentPayload();
    const event = { ...signed(body), body: Buffer.from(body).toString('base64'), isBase64Encoded: true };

    expect((await handler(event, context)).statusCode).toBe(202);
  });

  it('skips verification when no secret is configured (local mode)', async () => {
    const { handler } = setup(null);

    expect((await handler(request(incidentPayload()), context)).statusCode).toBe(202);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const { handler } = setup();

    const response = await handler(signed('{"timestamp": 1,'), context);

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '').error).toBe('the body is not valid JSON');
  });

  it('answers 400 naming the path of a field of the wrong shape', async () => {
    const { handler } = setup();

    const response = await handler(
      signed(
        JSON.stringify({ webhookEvent: 'jira:issue_updated', timestamp: 1, issue: { id: '1', key: 42 } }),
      ),
      context,
    );

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '').problems).toEqual([
      expect.objectContaining({ path: 'issue.key' }),
    ]);
  });

  it('answers 400 naming what an event needs when the issue is missing', async () => {
    const { handler } = setup();

    const response = await handler(
      signed(JSON.stringify({ webhookEvent: 'jira:issue_updated', timestamp: 1 })),
      context,
    );

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '').problems).toEqual([
      { path: 'issue', message: 'an issue event needs the issue' },
    ]);
  });

  it('answers 413 to a body over 1 MiB without reading it as JSON', async () => {
    const { store, handler } = setup();

    const response = await handler(signed(`"${'x'.repeat(1024 * 1024)}"`), context);

    expect(response.statusCode).toBe(413);
    expect(store.events.size).toBe(0);
  });

  it('answers 200 ignored, storing nothing, for an issue that is not an incident', async () => {
    const { store, handler } = setup();

    const response = await handler(
      signed(JSON.stringify(jiraFixture('jira-issue-updated-status-2'))),
      context,
    );

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '').ignored).toMatch(/TEST-1 is not an incident \(issue type "Task"/);
    expect(store.events.size).toBe(0);
  });

  it('follows a known incident even when a comment payload cannot tell it is one', async () => {
    const { store, handler } = setup();
    await handler(signed(incidentPayload()), context);
    const comment = JSON.stringify({
      timestamp: 1485797600000,
      webhookEvent: 'comment_created',
      issue: { id: '10000', key: 'TEST-1', fields: { summary: 'x' } },
      comment: {
        id: '31',
        body: 'looking at the logs',
        created: '2017-01-30T18:33:20.000+0100',
        updated: '2017-01-30T18:33:20.000+0100',
      },
    });

    const response = await handler(signed(comment), context);

    expect(response.statusCode).toBe(202);
    expect(store.events.size).toBe(2);
  });

  it('answers 500 with a generic message when the store fails, so Jira retries', async () => {
    const { store, handler } = setup();
    store.append = async () => {
      throw new Error('ProvisionedThroughputExceededException: table secret-internal-name');
    };

    const response = await handler(signed(incidentPayload()), context);

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret-internal-name');
  });
});
