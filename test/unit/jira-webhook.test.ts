import { describe, expect, it } from 'vitest';
import { eventsFromWebhook, jiraWebhookSchema, parseJiraTime } from '#shared/jira/jira-webhook.ts';
import { jiraFixture, jiraWebhookFixtures } from '../fixtures/load.ts';

function convert(payload: unknown, severityField?: string) {
  return eventsFromWebhook(jiraWebhookSchema.parse(payload), { severityField });
}

describe('jiraWebhookSchema', () => {
  it.each(jiraWebhookFixtures)('accepts the real payload %s as it is', (name) => {
    const result = jiraWebhookSchema.safeParse(jiraFixture(name));

    expect(result.success).toBe(true);
  });
});

describe('eventsFromWebhook', () => {
  it('turns a Cloud status change into one event keyed by its changelog id, at Jira time', () => {
    const conversion = convert(jiraFixture('jira-issue-updated-status-2'));

    expect(conversion).toMatchObject({
      kind: 'events',
      issueId: '10000',
      events: [
        {
          kind: 'status-changed',
          eventId: 'changelog#10000#status',
          atMs: 1485797534721,
          from: { id: '10000', name: 'To Do' },
          to: { id: '3', name: 'In Progress' },
        },
      ],
    });
  });

  it('finds the status change of a Data Center payload without fieldId', () => {
    const conversion = convert(jiraFixture('jira-server-issue-updated-status-1'));

    expect(conversion.kind === 'events' && conversion.events.map((event) => event.kind)).toEqual([
      'status-changed',
    ]);
    expect(conversion.kind === 'events' && conversion.events[0]?.actor).toMatchObject({ name: 'admin' });
  });

  it('matches a field named "Status" in any case when fieldId is missing', () => {
    const payload = jiraFixture('jira-issue-updated-status-2');
    const changelog = payload.changelog as { items: Record<string, unknown>[] };
    changelog.items = [
      {
        field: 'Status',
        fieldtype: 'jira',
        from: '1',
        fromString: 'Detected',
        to: '2',
        toString: 'Declared',
      },
    ];

    const conversion = convert(payload);

    expect(conversion.kind === 'events' && conversion.events[0]).toMatchObject({
      kind: 'status-changed',
      to: { name: 'Declared' },
    });
  });

  it('keeps the issue creation and the tracked fields set at creation', () => {
    const conversion = convert(jiraFixture('jira-issue-created-2024-1'));

    expect(conversion.kind === 'events' && conversion.events.map((event) => event.eventId)).toEqual([
      'issue#10021#created',
      'changelog#10025#assignee',
      'changelog#10025#priority',
      'changelog#10025#status',
      'changelog#10025#summary',
    ]);
    expect(conversion.kind === 'events' && conversion.issue).toMatchObject({
      key: 'KAN-22',
      issueType: 'Task',
      status: { name: 'To Do' },
      priority: 'Medium',
      createdMs: parseJiraTime('2024-12-29T08:41:23.303+0530'),
    });
  });

  it('keeps an update with no tracked change as a snapshot of that version of the issue', () => {
    const conversion = convert(jiraFixture('jira-issue-updated-nonstatus-2024-1'));

    expect(conversion.kind === 'events' && conversion.events).toHaveLength(1);
    expect(conversion.kind === 'events' && conversion.events[0]?.kind).toBe('issue-updated');
  });

  it('keeps an update with an empty changelog as a snapshot too', () => {
    const conversion = convert(jiraFixture('jira-issue-updated-empty-changelog-1'));

    expect(conversion.kind === 'events' && conversion.events[0]).toMatchObject({
      kind: 'issue-updated',
      issue: { assignee: { accountId: '789012' } },
    });
  });

  it('records an issue deletion once per issue', () => {
    const conversion = convert(jiraFixture('jira-issue-deleted-1'));

    expect(conversion.kind === 'events' && conversion.events).toMatchObject([
      { kind: 'issue-deleted', eventId: 'issue#10303#deleted' },
    ]);
  });

  it('reads severity from the configured custom field, option values included', () => {
    const payload = jiraFixture('jira-issue-created-custom-fields-1');

    const conversion = convert(payload, 'customfield_10074');

    expect(conversion.kind === 'events' && conversion.issue.severityField).toBe('A');
  });

  it('uses the issue update time when a minimal payload has no timestamp', () => {
    const conversion = convert({
      ...jiraFixture('jira-issue-updated-status-minimal-sentry'),
      issue: { id: '5', key: 'APP-123', fields: { updated: '2023-01-01T00:00:00.000+0000' } },
    });

    expect(conversion.kind === 'events' && conversion.events[0]?.atMs).toBe(
      Date.parse('2023-01-01T00:00:00.000Z'),
    );
  });

  it('names the missing issue id of a minimal payload', () => {
    const conversion = convert(jiraFixture('jira-issue-updated-status-minimal-sentry'));

    expect(conversion).toEqual({ kind: 'invalid', path: 'issue.id', message: 'the issue id is required' });
  });

  it('gives a comment and each of its edits their own identity, at the comment time', () => {
    const comment = (updated: string) => ({
      timestamp: 1_800_000_000_000,
      webhookEvent: updated === 'c' ? 'comment_created' : 'comment_updated',
      issue: { id: '7', key: 'INC-7', fields: { summary: 'x' } },
      comment: {
        id: '900',
        body: 'rolled back',
        author: { accountId: 'a', displayName: 'A' },
        created: '2026-11-02T10:00:00.000+0000',
        updated: updated === 'c' ? '2026-11-02T10:00:00.000+0000' : '2026-11-02T10:05:00.000+0000',
      },
    });

    const created = convert(comment('c'));
    const edited = convert(comment('u'));

    expect(created.kind === 'events' && created.events[0]).toMatchObject({
      kind: 'comment-written',
      eventId: `comment#900#${Date.parse('2026-11-02T10:00:00Z')}`,
      body: 'rolled back',
    });
    expect(edited.kind === 'events' && edited.events[0]?.eventId).toBe(
      `comment#900#${Date.parse('2026-11-02T10:05:00Z')}`,
    );
  });

  it.each([
    [true, { jsdPublic: true }],
    [false, { jsdPublic: false }],
    [undefined, {}],
  ])(
    'carries Jira Service Management’s public flag of a comment (%s) only when Jira sends one',
    (flag, carried) => {
      const payload = {
        timestamp: 1_800_000_000_000,
        webhookEvent: 'comment_created',
        issue: { id: '7', key: 'INC-7', fields: { summary: 'x' } },
        comment: {
          id: '901',
          body: 'Card payments work again.',
          created: '2026-11-02T10:00:00.000+0000',
          updated: '2026-11-02T10:00:00.000+0000',
          ...(flag === undefined ? {} : { jsdPublic: flag }),
        },
      };

      const conversion = convert(payload);

      const event = conversion.kind === 'events' ? conversion.events[0] : undefined;
      expect(event?.kind).toBe('comment-written');
      expect(event && 'jsdPublic' in event ? { jsdPublic: event.jsdPublic } : {}).toEqual(carried);
    },
  );

  it('numbers repeated items of one field in one changelog so none is lost', () => {
    const payload = {
      timestamp: 1,
      webhookEvent: 'jira:issue_updated',
      issue: { id: '8', key: 'INC-8', fields: {} },
      changelog: {
        id: '77',
        items: [
          { field: 'Component', from: null, to: '1', toString: 'api' },
          { field: 'Component', from: null, to: '2', toString: 'db' },
        ],
      },
    };

    const conversion = convert(payload);

    expect(conversion.kind === 'events' && conversion.events.map((event) => event.eventId)).toEqual([
      'changelog#77#components',
      'changelog#77#components#2',
    ]);
  });

  it('ignores webhook events that are not about issues', () => {
    expect(convert({ webhookEvent: 'sprint_started', timestamp: 1 })).toMatchObject({ kind: 'ignored' });
  });

  it('reads Jira offsets written without a colon', () => {
    expect(parseJiraTime('2019-08-27T12:43:24.193-0700')).toBe(Date.parse('2019-08-27T19:43:24.193Z'));
  });
});
