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

function setup() {
  const store = createInMemoryEventStore();
  const handler = makeJiraWebhookHandler({
    store,
    settings: settingsWith(),
    secrets: async () => ({ current: SECRET }),
    log: silentLog,
  });
  return { store, handler };
}

const signed = (body: string | Buffer, path = '/webhooks/jira') =>
  ({
    rawPath: path,
    headers: { 'x-hub-signature': signWebhookBody(body, SECRET), 'x-incident-flow-secret': SECRET },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  }) as unknown as APIGatewayProxyEventV2;

/** A real status-change payload re-typed as an incident, for a test to make hostile. */
function incident(): Record<string, unknown> & {
  issue: { key: string; fields: Record<string, unknown> };
  changelog: { items: Record<string, unknown>[] };
} {
  const payload = jiraFixture('jira-issue-updated-status-2') as ReturnType<typeof incident>;
  payload.issue.fields.issuetype = { id: '1', name: 'Incident' };
  return payload;
}

const problemsOf = (response: { body?: string }) =>
  (JSON.parse(response.body ?? '{}') as { problems?: { path: string }[] }).problems?.map((p) => p.path);

/** An ADF document nested `depth` paragraphs deep, written out so no serialiser recurses that deep. */
function nestedAdf(depth: number): string {
  const open = '{"type":"paragraph","content":['.repeat(depth);
  const close = ']}'.repeat(depth);
  return `{"type":"doc","version":1,"content":[${open}{"type":"text","text":"deep"}${close}]}`;
}

describe('a webhook whose issue key is not a Jira issue key', () => {
  it.each([
    ['a path climbing out', '../../../../x'],
    ['a path under a key', 'OPS-1/../../x'],
    ['a NUL', 'OPS-1\u0000'],
    ['CR/LF', 'OPS-1\r\n'],
    ['300 characters', `${'A'.repeat(296)}-123`],
  ])('is refused with 400 naming issue.key when it holds %s, and nothing is stored', async (_, key) => {
    const { store, handler } = setup();
    const payload = incident();
    payload.issue.key = key;

    const response = await handler(signed(JSON.stringify(payload)), context);

    expect(response.statusCode).toBe(400);
    expect(problemsOf(response)).toEqual(['issue.key']);
    expect(store.events.size).toBe(0);
  });

  it('is refused from Jira Automation with 400 naming key', async () => {
    const { store, handler } = setup();
    const payload = incident();
    const body = JSON.stringify({ ...payload.issue, key: '../../../../x', id: 1 });

    const response = await handler(signed(body, '/webhooks/jira/automation'), context);

    expect(response.statusCode).toBe(400);
    expect(problemsOf(response)).toEqual(['key']);
    expect(store.events.size).toBe(0);
  });
});

describe('a webhook larger or deeper than Jira ever sends', () => {
  it('refuses a description nested 10,000 deep with 400 naming the field', async () => {
    const { store, handler } = setup();
    const payload = incident();
    payload.issue.fields.description = 'placeholder';
    const text = JSON.stringify(payload).replace('"placeholder"', nestedAdf(10_000));

    const response = await handler(signed(text), context);

    expect(response.statusCode).toBe(400);
    expect(problemsOf(response)).toEqual(['issue.fields.description']);
    expect(store.events.size).toBe(0);
  });

  it('refuses a comment body nested 10,000 deep with 400 naming the field', async () => {
    const { handler } = setup();
    const { issue, timestamp } = incident();
    const comment = { id: '10100', created: '2017-01-30T12:00:00.000+0000', body: 'placeholder' };
    const text = JSON.stringify({ webhookEvent: 'comment_created', timestamp, issue, comment }).replace(
      '"body":"placeholder"',
      `"body":${nestedAdf(10_000)}`,
    );

    const response = await handler(signed(text), context);

    expect(response.statusCode).toBe(400);
    expect(problemsOf(response)).toEqual(['comment.body']);
  });

  it("cuts a 500,000-character summary to Jira's 255 and keeps every stored event under 400 KB", async () => {
    const { store, handler } = setup();
    const payload = incident();
    payload.issue.fields.summary = 's'.repeat(500_000);

    const response = await handler(signed(JSON.stringify(payload)), context);

    expect(response.statusCode).toBe(202);
    const events = [...store.events.values()];
    expect(events.map((event) => event.issue.summary?.length)).toEqual([255]);
    for (const event of events) expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(400_000);
  });

  it('refuses an event that would still be over what DynamoDB stores, naming the field', async () => {
    const { store, handler } = setup();
    const payload = incident();
    payload.issue.fields.labels = Array.from({ length: 60_000 }, (_, i) => `l${i}`);

    const response = await handler(signed(JSON.stringify(payload)), context);

    expect(response.statusCode).toBe(400);
    expect(problemsOf(response)).toEqual(['issue.fields.labels']);
    expect(store.events.size).toBe(0);
  });

  it('refuses a changelog entry of 5,000 items with 400 naming changelog.items, in well under a second', async () => {
    const { store, handler } = setup();
    const payload = incident();
    const [status] = payload.changelog.items;
    payload.changelog.items = Array.from({ length: 5_000 }, () => ({ ...status }));
    const startedMs = performance.now();

    const response = await handler(signed(JSON.stringify(payload)), context);

    expect(response.statusCode).toBe(400);
    expect(problemsOf(response)).toEqual(['changelog.items']);
    expect(store.events.size).toBe(0);
    expect(performance.now() - startedMs).toBeLessThan(1_000);
  });

  it('keeps one status event of a changelog entry that lists the status twice, as Jira never does', async () => {
    const { store, handler } = setup();
    const payload = incident();
    const [status] = payload.changelog.items;
    payload.changelog.items = [status ?? {}, { ...status, toString: 'Done', to: '10001' }];

    const response = await handler(signed(JSON.stringify(payload)), context);

    expect(response.statusCode).toBe(202);
    expect([...store.events.values()].map((event) => event.eventId)).toEqual(['changelog#10000#status']);
  });
});

describe('a webhook body that is not UTF-8 JSON as Jira sends it', () => {
  it('refuses a body starting with a byte order mark with 400 saying so', async () => {
    const { handler } = setup();
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(incident()))]);

    const response = await handler(signed(body), context);

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '').error).toMatch(/byte order mark/);
  });

  it('refuses a body of invalid UTF-8 with 400 saying so', async () => {
    const { handler } = setup();
    const text = JSON.stringify(incident()).replace('"summary":"', '"summary":"\u0001');
    const body = Buffer.from(text);
    body[body.indexOf(0x01)] = 0xff;

    const response = await handler(signed(body), context);

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '').error).toMatch(/not valid UTF-8/);
  });
});
