import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { makeJiraWebhookHandler } from '../../functions/jira-webhook/jira-webhook.ts';
import { settingsWith } from '../builders.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';

const SECRET = 'an-automation-secret-of-some-length';
const context = {} as Context;

function setup(secrets: { current: string; previous?: string } | null = { current: SECRET }) {
  const store = createInMemoryEventStore();
  const settings = settingsWith();
  const handler = makeJiraWebhookHandler({ store, settings, secrets: async () => secrets, log: silentLog });
  return { store, handler, settings };
}

/**
 * Jira Automation's "Issue data (Jira format)" body as Atlassian documents it: the issue at the top
 * level, ids as numbers, an empty changelog.
 */
function issueData(
  status: { id: number; name: string },
  updated: string,
  extra: Record<string, unknown> = {},
) {
  return JSON.stringify({
    self: 'https://sample.atlassian.net/rest/api/2/issue/11111',
    id: 11111,
    key: 'OPS-53',
    changelog: { startAt: 0, maxResults: 0, total: 0, histories: null },
    fields: {
      statuscategorychangedate: '2026-11-02T09:20:11.662+0530',
      issuetype: { id: 22222, name: 'Incident', subtask: false },
      summary: 'Checkout fails for card payments',
      priority: { id: 2, name: 'High' },
      labels: ['payments'],
      status,
      created: '2026-11-02T09:00:00.000+0530',
      updated,
      ...extra,
    },
  });
}

const post = (body: string, headers: Record<string, string> = { 'x-incident-flow-secret': SECRET }) =>
  ({
    rawPath: '/webhooks/jira/automation',
    headers,
    body,
    isBase64Encoded: false,
  }) as APIGatewayProxyEventV2;

describe('POST /webhooks/jira/automation', () => {
  it("stores the status as of the issue's updated time and answers 202", async () => {
    const { store, handler } = setup();

    const response = await handler(
      post(issueData({ id: 10003, name: 'Triaged' }, '2026-11-02T09:20:00.000+0530')),
      context,
    );

    expect(response.statusCode).toBe(202);
    const [event] = [...store.events.values()];
    expect(event).toMatchObject({
      kind: 'status-changed',
      eventId: `automation#11111#10003#${Date.parse('2026-11-02T03:50:00.000Z')}`,
      issueId: '11111',
      atMs: Date.parse('2026-11-02T03:50:00.000Z'),
      from: null,
      to: { id: '10003', name: 'Triaged' },
    });
  });

  it('answers the same moment sent twice 200 duplicate', async () => {
    const { store, handler } = setup();
    const body = issueData({ id: 10003, name: 'Triaged' }, '2026-11-02T09:20:00.000+0530');
    await handler(post(body), context);

    const response = await handler(post(body), context);

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({ duplicate: true, issue: 'OPS-53' });
    expect(store.events.size).toBe(1);
  });

  it('accepts the previous secret while it is rotated', async () => {
    const { handler } = setup({ current: 'the-new-secret-of-some-length', previous: SECRET });

    const response = await handler(
      post(issueData({ id: 10003, name: 'Triaged' }, '2026-11-02T09:20:00.000+0530')),
      context,
    );

    expect(response.statusCode).toBe(202);
  });

  it.each([
    ['no header', {}],
    ['a wrong secret', { 'x-incident-flow-secret': 'not-the-secret' }],
    ['an empty header', { 'x-incident-flow-secret': '' }],
    ['the secret in another header', { 'x-other': SECRET }],
  ])('refuses %s with 401 and stores nothing', async (_name, headers) => {
    const { store, handler } = setup();

    const response = await handler(
      post(issueData({ id: 10003, name: 'Triaged' }, '2026-11-02T09:20:00.000+0530'), headers),
      context,
    );

    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain(SECRET);
    expect(store.events.size).toBe(0);
  });

  it('reads the header named by automation.secretHeader', async () => {
    const store = createInMemoryEventStore();
    const handler = makeJiraWebhookHandler({
      store,
      settings: settingsWith({ automation: { secretHeader: 'X-Team-Token' } }),
      secrets: async () => ({ current: SECRET }),
      log: silentLog,
    });
    const body = issueData({ id: 10003, name: 'Triaged' }, '2026-11-02T09:20:00.000+0530');

    expect((await handler(post(body), context)).statusCode).toBe(401);
    expect((await handler(post(body, { 'x-team-token': SECRET }), context)).statusCode).toBe(202);
  });

  it('answers 400 naming the field when the issue data lacks its status or its updated time', async () => {
    const { handler } = setup();
    const withoutStatus = JSON.parse(issueData({ id: 1, name: 'x' }, '2026-11-02T09:20:00.000+0530'));
    delete withoutStatus.fields.status;

    const response = await handler(post(JSON.stringify(withoutStatus)), context);

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('fields.status');
    const noKey = await handler(post(JSON.stringify({ id: 1, fields: {} })), context);
    expect(noKey.statusCode).toBe(400);
    expect(noKey.body).toContain('key');
  });

  it('ignores an issue that is not an incident', async () => {
    const { store, handler } = setup();
    const task = issueData({ id: 10003, name: 'Triaged' }, '2026-11-02T09:20:00.000+0530', {
      issuetype: { id: 3, name: 'Task' },
    });

    const response = await handler(post(task), context);

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toHaveProperty('ignored');
    expect(store.events.size).toBe(0);
  });

  it("folds with the webhook's event of the same change without counting a stage twice", async () => {
    const { store, handler, settings } = setup();
    // The rule fires on every transition; the webhook of the move to Resolved also arrived.
    for (const [status, updated] of [
      [{ id: 10002, name: 'Declared' }, '2026-11-02T09:05:00.000+0530'],
      [{ id: 10005, name: 'Mitigating' }, '2026-11-02T09:40:00.000+0530'],
      [{ id: 10006, name: 'Resolved' }, '2026-11-02T10:00:00.000+0530'],
    ] as const)
      await handler(post(issueData(status, updated)), context);
    const events = [...store.events.values()];
    const webhookResolution = {
      ...events.at(-1),
      kind: 'status-changed',
      eventId: 'changelog#555#status',
      seq: 555,
      from: { id: '10005', name: 'Mitigating' },
      to: { id: '10006', name: 'Resolved' },
    } as (typeof events)[number];

    const state = foldIncident([...events, webhookResolution], settings);

    expect(state?.visits.map((visit) => visit.status)).toEqual(['Declared', 'Mitigating', 'Resolved']);
    expect(state?.reopenCount).toBe(0);
    expect(state?.resolvedAtMs).toBe(Date.parse('2026-11-02T04:30:00.000Z'));
  });
});
