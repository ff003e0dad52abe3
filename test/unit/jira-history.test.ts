import { describe, expect, it } from 'vitest';
import { foldIncident } from '#shared/domain/timeline.ts';
import {
  changelogHistorySchema,
  differingFields,
  eventsFromIssueHistory,
  type IssueHistory,
  jiraIssueReadSchema,
  missingEvents,
  newestHistoryId,
} from '#shared/jira/jira-history.ts';
import { eventsFromWebhook, jiraWebhookSchema, readingOf } from '#shared/jira/jira-webhook.ts';
import { settingsWith } from '../builders.ts';
import { jiraFixture } from '../fixtures/load.ts';

const settings = settingsWith();
const reading = readingOf(settings);
const user = (accountId: string) => ({ accountId, displayName: accountId.toUpperCase() });
const time = (minutes: number) =>
  new Date(Date.parse('2026-11-02T09:00:00.000Z') + minutes * 60_000).toISOString().replace('Z', '+0000');
const status = (id: string, name: string) => ({ id, name });

/** An incident as REST reads it now, after four changes, with its changelog and comments. */
function history(): IssueHistory {
  const issue = jiraIssueReadSchema.parse({
    id: '20001',
    key: 'OPS-7',
    fields: {
      summary: 'Checkout fails for card payments',
      issuetype: { id: '1', name: 'Incident' },
      status: status('10006', 'Resolved'),
      priority: { id: '1', name: 'Highest' },
      assignee: { ...user('acc-ana'), emailAddress: 'ana@example.com' },
      components: [{ name: 'checkout-api' }, { name: 'payments' }],
      labels: ['incident', 'payments'],
      created: time(0),
      updated: time(95),
      description: {
        type: 'doc',
        version: 1,
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Card payments fail.' }] }],
      },
      creator: user('acc-bot'),
    },
  });
  const entry = (id: string, minutes: number, author: string, items: unknown[]) =>
    changelogHistorySchema.parse({ id, created: time(minutes), author: user(author), items });
  return {
    issue,
    histories: [
      entry('30001', 5, 'acc-mia', [
        {
          field: 'status',
          fieldId: 'status',
          from: '10001',
          fromString: 'Detected',
          to: '10002',
          toString: 'Declared',
        },
        {
          field: 'priority',
          fieldId: 'priority',
          from: '2',
          fromString: 'High',
          to: '1',
          toString: 'Highest',
        },
      ]),
      entry('30002', 20, 'acc-mia', [
        {
          field: 'assignee',
          fieldId: 'assignee',
          from: null,
          fromString: null,
          to: 'acc-ana',
          toString: 'ACC-ANA',
        },
        {
          field: 'Component',
          fieldId: 'components',
          from: null,
          fromString: null,
          to: '3',
          toString: 'payments',
        },
      ]),
      entry('30003', 30, 'acc-ana', [
        {
          field: 'labels',
          fieldId: 'labels',
          from: null,
          fromString: 'incident',
          to: null,
          toString: 'incident payments',
        },
        { field: 'Status', from: '10002', fromString: 'Declared', to: '10005', toString: 'Mitigating' },
      ]),
      entry('30004', 90, 'acc-ana', [
        {
          field: 'status',
          fieldId: 'status',
          from: '10005',
          fromString: 'Mitigating',
          to: '10006',
          toString: 'Resolved',
        },
        {
          field: 'resolution',
          fieldId: 'resolution',
          from: null,
          fromString: null,
          to: '1',
          toString: 'Done',
        },
      ]),
    ],
    comments: [
      {
        id: '40001',
        author: user('acc-mia'),
        body: {
          type: 'doc',
          version: 1,
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Rolling back.' }] }],
        } as never,
        created: time(25),
        updated: time(95),
      },
    ],
  };
}

describe('events from an issue history', () => {
  it('gives each fact the identity the webhook gives it', () => {
    const ids = eventsFromIssueHistory(history(), reading).map((event) => event.eventId);

    expect(ids).toEqual([
      'issue#20001#created',
      'changelog#30001#status',
      'changelog#30001#priority',
      'changelog#30002#assignee',
      'changelog#30002#components',
      'changelog#30003#labels',
      'changelog#30003#status',
      'changelog#30004#status',
      `comment#40001#${Date.parse(time(95))}`,
      // Nothing stored yet: the description reaches the store with the issue as it is now.
      `issue#20001#updated#${Date.parse(time(95))}`,
    ]);
  });

  it('rebuilds the issue as it was at each change, by undoing the later ones', () => {
    const [created, firstStatus, , assigned, , , mitigating] = eventsFromIssueHistory(history(), reading);

    expect(created?.issue).toMatchObject({
      status: { id: '10001', name: 'Detected' },
      priority: 'High',
      assignee: null,
      components: ['checkout-api'],
      labels: ['incident'],
      updatedMs: Date.parse(time(0)),
    });
    expect(firstStatus?.issue).toMatchObject({
      status: { id: '10002', name: 'Declared' },
      priority: 'Highest',
      assignee: null,
    });
    expect(assigned?.issue.assignee).toEqual({
      accountId: 'acc-ana',
      displayName: 'ACC-ANA',
      email: 'ana@example.com',
    });
    expect(mitigating?.issue).toMatchObject({
      status: { name: 'Mitigating' },
      labels: ['incident', 'payments'],
    });
    expect(mitigating?.issue.description).toBeUndefined();
  });

  it('folds to the same timeline as the webhooks of the same changes', () => {
    const state = foldIncident(eventsFromIssueHistory(history(), reading), settings);

    expect(state).toMatchObject({
      key: 'OPS-7',
      severity: 'SEV1',
      status: 'Resolved',
      openedAtMs: Date.parse(time(0)),
      acknowledgedAtMs: Date.parse(time(5)),
      resolvedAtMs: Date.parse(time(90)),
      commentCount: 1,
    });
    expect(state?.visits.map((visit) => visit.status)).toEqual([
      'Detected',
      'Declared',
      'Mitigating',
      'Resolved',
    ]);
  });

  it('adds nothing when the store already holds every fact', () => {
    const all = eventsFromIssueHistory(history(), reading);

    const again = eventsFromIssueHistory(history(), reading, all);

    expect(missingEvents(again, all)).toEqual([]);
  });

  it('marks a stored comment that Jira no longer has as deleted', () => {
    const all = eventsFromIssueHistory(history(), reading);
    const withoutComments = { ...history(), comments: [] };

    const missing = missingEvents(eventsFromIssueHistory(withoutComments, reading, all), all);

    expect(missing).toMatchObject([
      { kind: 'comment-deleted', eventId: 'comment#40001#deleted', commentId: '40001' },
    ]);
    expect(foldIncident([...all, ...missing], settings)?.commentCount).toBe(0);
  });

  it('takes no stored comment as deleted when the comments are only the first page a search embedded', () => {
    const all = eventsFromIssueHistory(history(), reading);
    const firstPageOnly = { ...history(), comments: [] };

    const missing = missingEvents(eventsFromIssueHistory(firstPageOnly, reading, all, { cut: true }), all);

    expect(missing).toEqual([]);
  });

  it('stores the issue as it is now when a field changed without a changelog the store saw', () => {
    const all = eventsFromIssueHistory(history(), reading);
    const renamed = history();
    renamed.issue.fields.summary = 'Card payments fail at checkout';
    renamed.issue.fields.updated = time(120);

    const missing = missingEvents(eventsFromIssueHistory(renamed, reading, all), all);

    expect(missing.map((event) => event.eventId)).toEqual([`issue#20001#updated#${Date.parse(time(120))}`]);
    expect(foldIncident([...all, ...missing], settings)?.summary).toBe('Card payments fail at checkout');
  });

  it("keeps the webhook's identity for the same changelog entry (the real status-change payload)", () => {
    const payload = jiraWebhookSchema.parse(jiraFixture('jira-issue-updated-status-2'));
    const fromWebhook = eventsFromWebhook(payload, reading);
    if (fromWebhook.kind !== 'events') throw new Error('the fixture should convert');
    const changelog = payload.changelog;
    const issue = jiraIssueReadSchema.parse(payload.issue);
    const fromHistory = eventsFromIssueHistory(
      {
        issue,
        histories: [
          changelogHistorySchema.parse({
            id: changelog?.id,
            created: new Date(payload.timestamp ?? 0).toISOString(),
            items: changelog?.items,
          }),
        ],
        comments: [],
      },
      reading,
    );

    for (const event of fromWebhook.events)
      expect(fromHistory.map((candidate) => candidate.eventId)).toContain(event.eventId);
  });

  it('reads the real changelog page Atlassian documents', () => {
    const page = jiraFixture('jira-changelog-api-response-atlassian-example') as { values: unknown[] };

    const histories = page.values.map((value) => changelogHistorySchema.parse(value));

    expect(histories.length).toBe(page.values.length);
    expect(histories[0]?.id).toBe('10001');
  });
});

describe('the newest history', () => {
  it.each([
    { ids: [], created: [], newest: null },
    { ids: ['300', '100', '200'], created: [3, 1, 2], newest: '300' },
    { ids: ['900', '100'], created: [1, 2], newest: '100' },
    { ids: ['101', '102'], created: [5, 5], newest: '102' },
  ])('is $newest among $ids, by Jira time then id', ({ ids, created, newest }) => {
    const histories = ids.map((id, i) =>
      changelogHistorySchema.parse({ id, created: time(created[i] ?? 0), items: [] }),
    );

    expect(newestHistoryId(histories)).toBe(newest);
  });
});

describe('differing fields', () => {
  it('compares people by account, lists as sets, and ignores fields Jira did not send', () => {
    expect(
      differingFields(
        { key: 'A', assignee: { accountId: 'x', displayName: 'Old name' }, labels: ['b', 'a'] },
        { key: 'A', assignee: { accountId: 'x', displayName: 'New name' }, labels: ['a', 'b'] },
      ),
    ).toEqual([]);
    expect(differingFields({ key: 'A', priority: 'High' }, { key: 'A', priority: 'Low' })).toEqual([
      'priority',
    ]);
  });
});
