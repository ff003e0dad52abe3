import { inspect } from 'node:util';
import { createCloudClient, isApiError } from 'jira.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createJiraTicketTracker,
  type JiraTicketTrackerOptions,
} from '#shared/adapters/jira-ticket-tracker.ts';
import { itemLabel } from '#shared/domain/follow-ups.ts';
import { UpstreamRefusedError, UpstreamUnavailableError } from '#shared/errors.ts';
import type { NewTicket } from '#shared/ports.ts';
import { ticketTrackerContract } from '../contract/ticket-tracker-contract.ts';
import {
  type JiraSimulator,
  type JiraSimulatorOptions,
  type SimulatedUserSpec,
  startJiraSimulator,
} from '../simulators/jira-simulator.ts';

const UNLIMITED = { requestsPerSecond: 10_000, burst: 10_000 };
const CREDENTIALS = { email: 'bot@example.com', apiToken: 'test-token' };
const SITE = 'https://example.atlassian.net';
const INCIDENT = { id: '10042', key: 'INC-42', summary: 'Checkout failing' };
const PEOPLE: readonly SimulatedUserSpec[] = [
  { accountId: 'acc-alice', displayName: 'Alice Example', email: 'alice@example.com' },
  { accountId: 'acc-bob', displayName: 'Bob Builder', email: 'bob@example.com', hideEmail: true },
  { accountId: 'acc-sam', displayName: 'Sam One', email: 'sam@example.com', hideEmail: true },
  { accountId: 'acc-sam-au', displayName: 'Sam Two', email: 'sam@example.com.au', hideEmail: true },
  { accountId: 'acc-old', displayName: 'Old Timer', email: 'old@example.com', active: false },
  { accountId: 'acc-deploy', displayName: 'Deploy Bot', email: 'deploy@example.com', accountType: 'app' },
];
const POSTMORTEM_URL = 'https://www.notion.so/INC-42-postmortem-0123456789abcdef';
const LABEL = itemLabel('2b1c7e0a-55d4-4c3e-9f4e-0a1b2c3d4e5f');
const TICKET: NewTicket = {
  summary: 'Add a circuit breaker to the payment client',
  description: [
    [{ text: 'From the postmortem of INC-42: ' }, { text: 'INC-42: Checkout failing', url: POSTMORTEM_URL }],
    [{ text: 'Owner: Alice.' }],
  ],
  assigneeAccountId: 'acc-alice',
  dueDate: '2026-12-01',
  labels: ['tech-debt', 'incident-followup', LABEL],
  projectKey: 'OPS',
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A tracker over the real jira.js client, strict about answers, against a fresh simulator with INC-42. */
async function trackerAgainst(
  simulator: JiraSimulatorOptions = {},
  overrides: Partial<JiraTicketTrackerOptions> = {},
  credentials = CREDENTIALS,
) {
  const jira = await startJiraSimulator({ ...UNLIMITED, users: PEOPLE, ...simulator });
  closers.push(jira.close);
  jira.addIssue(INCIDENT);
  const client = createCloudClient({
    host: jira.baseUrl,
    auth: { type: 'basic', ...credentials },
    onSchemaMismatch: 'throw',
  });
  const tracker = createJiraTicketTracker(client, {
    issueType: 'Task',
    linkType: 'Relates',
    siteUrl: SITE,
    initialBackoffMs: 10,
    ...overrides,
  });
  return { jira, tracker };
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
}

function onlyTicket(jira: JiraSimulator) {
  const [ticket, ...others] = jira.tickets();
  expect(others).toEqual([]);
  if (ticket === undefined) throw new Error('no ticket was created');
  return ticket;
}

ticketTrackerContract(
  'the Jira adapter against the Jira simulator',
  async () => (await trackerAgainst()).tracker,
);

describe('the Jira ticket tracker', () => {
  it('creates a ticket with every field: an ADF description with its link, labels, due date, assignee', async () => {
    const { jira, tracker } = await trackerAgainst();

    const ref = await tracker.createTicket(TICKET);

    expect(ref).toEqual({ key: 'OPS-1', url: `${SITE}/browse/OPS-1` });
    const { fields } = onlyTicket(jira);
    expect(fields).toMatchObject({
      summary: TICKET.summary,
      project: { key: 'OPS' },
      issuetype: { name: 'Task' },
      status: { name: 'To Do', statusCategory: { key: 'new' } },
      assignee: { accountId: 'acc-alice' },
      duedate: '2026-12-01',
      labels: TICKET.labels,
    });
    expect(fields.description).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'From the postmortem of INC-42: ' },
            {
              type: 'text',
              text: 'INC-42: Checkout failing',
              marks: [{ type: 'link', attrs: { href: POSTMORTEM_URL } }],
            },
          ],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'Owner: Alice.' }] },
      ],
    });
  });

  it('creates an unassigned ticket when the item names no Jira account', async () => {
    const { jira, tracker } = await trackerAgainst();

    await tracker.createTicket({ ...TICKET, assigneeAccountId: null });

    expect(onlyTicket(jira).fields.assignee).toBeNull();
  });

  it.each([
    ['after the last whole word', `Replace ${'the flaky retry loop '.repeat(20)}`, ' ', 240],
    ['inside a single overlong word', `Fix ${'x'.repeat(300)}`, 'x', 255],
  ])('cuts a summary over 255 characters %s, with an ellipsis', async (_, summary, cutBefore, minLength) => {
    const { jira, tracker } = await trackerAgainst();

    await tracker.createTicket({ ...TICKET, summary });

    const stored = onlyTicket(jira).fields.summary;
    const kept = stored.slice(0, -1);
    expect(stored.length).toBeLessThanOrEqual(255);
    expect(stored.length).toBeGreaterThanOrEqual(minLength);
    expect(stored.endsWith('…')).toBe(true);
    expect(summary.startsWith(kept)).toBe(true);
    expect(summary[kept.length]).toBe(cutBefore);
  });

  it('writes a summary with line breaks on one line, which Jira requires', async () => {
    const { jira, tracker } = await trackerAgainst();

    await tracker.createTicket({ ...TICKET, summary: 'Add alerts\non the   queue depth' });

    expect(onlyTicket(jira).fields.summary).toBe('Add alerts on the queue depth');
  });

  it('finds a ticket by its marker label once it exists, and nothing before', async () => {
    const { tracker } = await trackerAgainst();
    const before = await tracker.findByLabel(LABEL);
    const created = await tracker.createTicket(TICKET);

    const found = await tracker.findByLabel(LABEL);

    expect(before).toBeNull();
    expect(found).toEqual(created);
  });

  it('updates the summary, assignee and due date, and unassigns on null', async () => {
    const { jira, tracker } = await trackerAgainst();
    const { key } = await tracker.createTicket(TICKET);

    await tracker.updateTicket(key, {
      summary: 'Add a circuit breaker and a timeout',
      assigneeAccountId: 'acc-bob',
      dueDate: '2027-01-15',
    });
    const updated = onlyTicket(jira).fields;
    await tracker.updateTicket(key, {
      summary: updated.summary,
      assigneeAccountId: null,
      dueDate: '2027-01-15',
    });

    expect(updated).toMatchObject({
      summary: 'Add a circuit breaker and a timeout',
      assignee: { accountId: 'acc-bob' },
      duedate: '2027-01-15',
    });
    expect(onlyTicket(jira).fields.assignee).toBeNull();
  });

  it('links the follow-up to its incident once, even when asked twice', async () => {
    const { jira, tracker } = await trackerAgainst();
    const { key } = await tracker.createTicket(TICKET);

    await tracker.linkToIncident(key, 'INC-42');
    await tracker.linkToIncident(key, 'INC-42');

    expect(jira.links()).toEqual([
      { id: expect.any(String), type: 'Relates', inwardIssue: 'OPS-1', outwardIssue: 'INC-42' },
    ]);
    expect(jira.requestCountByEndpoint.issueLink).toBe(1);
    expect(onlyTicket(jira).fields.issuelinks).toEqual([
      expect.objectContaining({
        type: expect.objectContaining({ name: 'Relates' }),
        outwardIssue: expect.objectContaining({ key: 'INC-42' }),
      }),
    ]);
  });

  it('reads the states of 150 tickets in two searches and tells the done ones', async () => {
    const { jira, tracker } = await trackerAgainst();
    const keys: string[] = [];
    for (let i = 0; i < 150; i += 1) keys.push((await tracker.createTicket(TICKET)).key);
    jira.setStatus('OPS-7', 'Done');
    jira.setStatus('OPS-120', 'In Progress');
    const searchesBefore = jira.requestCountByEndpoint['search/jql'];

    const states = await tracker.ticketStates(keys);

    expect(jira.requestCountByEndpoint['search/jql'] - searchesBefore).toBe(2);
    expect(states.size).toBe(150);
    expect(states.get('OPS-7')).toEqual({
      key: 'OPS-7',
      done: true,
      status: 'Done',
      assigneeAccountId: 'acc-alice',
      dueDate: '2026-12-01',
    });
    expect(states.get('OPS-120')).toMatchObject({ done: false, status: 'In Progress' });
    expect([...states.values()].filter((state) => state.done).map((state) => state.key)).toEqual(['OPS-7']);
  });

  it('leaves out a deleted ticket instead of failing the whole search', async () => {
    const { jira, tracker } = await trackerAgainst();
    for (let i = 0; i < 3; i += 1) await tracker.createTicket(TICKET);
    jira.deleteIssue('OPS-2');

    const states = await tracker.ticketStates(['OPS-1', 'OPS-2', 'OPS-3']);

    expect([...states.keys()]).toEqual(['OPS-1', 'OPS-3']);
  });

  it.each([
    ['an exact email, in any case', 'Alice@Example.COM', 'acc-alice'],
    ['a hidden email that one person matches', 'bob@example.com', 'acc-bob'],
    ['a hidden email that two people match', 'sam@example.com', null],
    ['an email nobody has', 'nobody@example.com', null],
    ['a deactivated person', 'old@example.com', null],
    ['an app account', 'deploy@example.com', null],
  ])('finds the Jira account of %s', async (_, email, accountId) => {
    const { tracker } = await trackerAgainst();

    const found = await tracker.accountIdByEmail(email);

    expect(found).toBe(accountId);
  });

  it('comments with the @mention first, in ADF Jira accepts', async () => {
    const { jira, tracker } = await trackerAgainst();
    const { key } = await tracker.createTicket(TICKET);

    await tracker.comment(key, 'This follow-up is overdue: please update it.', { accountId: 'acc-alice' });
    await tracker.comment(key, 'The action item was removed from the postmortem.');

    expect(jira.comments(key).map((comment) => comment.body)).toEqual([
      {
        type: 'doc',
        version: 1,
        content: [
          {
            type: 'paragraph',
            content: [
              { type: 'mention', attrs: { id: 'acc-alice' } },
              { type: 'text', text: ' This follow-up is overdue: please update it.' },
            ],
          },
        ],
      },
      {
        type: 'doc',
        version: 1,
        content: [
          {
            type: 'paragraph',
            content: [{ type: 'text', text: 'The action item was removed from the postmortem.' }],
          },
        ],
      },
    ]);
  });

  it('moves a ticket to Done through the transition that leads there', async () => {
    const { jira, tracker } = await trackerAgainst();
    const { key } = await tracker.createTicket(TICKET);

    const moved = await tracker.transitionTo(key, 'done');

    expect(moved).toBe(true);
    expect(onlyTicket(jira).fields.status).toMatchObject({ name: 'Done', statusCategory: { key: 'done' } });
  });

  it('answers false for a status no transition leads to, and true for the one the issue is in', async () => {
    const { jira, tracker } = await trackerAgainst();
    const { key } = await tracker.createTicket(TICKET);

    const toUnknown = await tracker.transitionTo(key, 'Closed');
    const toCurrent = await tracker.transitionTo(key, 'To Do');

    expect(toUnknown).toBe(false);
    expect(toCurrent).toBe(true);
    expect(onlyTicket(jira).fields.status.name).toBe('To Do');
  });

  it.each<
    [string, (jira: JiraSimulator) => void, Partial<JiraTicketTrackerOptions>, Partial<NewTicket>, RegExp]
  >([
    [
      'a due date off the create screen, naming the field and the screen',
      (jira) => jira.removeCreateField('OPS', 'duedate'),
      {},
      {},
      /^Jira refused the follow-up for OPS: duedate: Field 'duedate' cannot be set\. It is not on the appropriate screen, or unknown\. Add "Due date" to the create and edit screens of issue type "Task" in project OPS, or set followUps\.issueType/,
    ],
    [
      'an issue type the project lacks, naming followUps.issueType',
      () => {},
      { issueType: 'Tech Debt' },
      {},
      /issuetype: Specify a valid issue type\. Set followUps\.issueType to an issue type of project OPS \(now "Tech Debt"\)/,
    ],
    [
      'an unknown project, naming followUps.projectKey',
      () => {},
      {},
      { projectKey: 'NOPE' },
      /project: valid project is required\. Set followUps\.projectKey/,
    ],
    [
      'an owner who cannot be assigned issues',
      () => {},
      {},
      { assigneeAccountId: 'acc-old' },
      /assignee: User 'acc-old' cannot be assigned issues\. The owner's Jira account cannot be assigned issues in project OPS/,
    ],
  ])('refuses %s at once', async (_, arrange, overrides, ticket, message) => {
    const { jira, tracker } = await trackerAgainst({}, overrides);
    arrange(jira);

    const error = await rejectionOf(tracker.createTicket({ ...TICKET, ...ticket }));

    expect(error).toBeInstanceOf(UpstreamRefusedError);
    expect(error).not.toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toMatch(message);
    expect(jira.requestCount).toBe(1);
    expect(jira.tickets()).toEqual([]);
  });

  it('names followUps.linkType when the site has no such link type', async () => {
    const { tracker } = await trackerAgainst({}, { linkType: 'Follows' });
    const { key } = await tracker.createTicket(TICKET);

    const error = await rejectionOf(tracker.linkToIncident(key, 'INC-42'));

    expect(error.message).toMatch(/No issue link type with name 'Follows' found\. Set followUps\.linkType/);
  });

  it('waits out a 429 storm for Retry-After, then creates the ticket once', async () => {
    const { jira, tracker } = await trackerAgainst();
    jira.rateLimitStorm(1_000);
    const started = performance.now();

    const ref = await tracker.createTicket(TICKET);

    expect(ref.key).toBe('OPS-1');
    expect(jira.tickets()).toHaveLength(1);
    expect(jira.rateLimitedCount).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('retries two 503s with backoff, then succeeds', async () => {
    const { jira, tracker } = await trackerAgainst();
    jira.failNext(2, 503);

    const ref = await tracker.createTicket(TICKET);

    expect(ref.key).toBe('OPS-1');
    expect(jira.requestCount).toBe(3);
  });

  it('gives up as upstream unavailable when the 5xx answers outlast the attempts', async () => {
    const { jira, tracker } = await trackerAgainst({}, { maxAttempts: 3 });
    jira.failNext(5, 503);

    const error = await rejectionOf(tracker.findByLabel(LABEL));

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(jira.requestCount).toBe(3);
  });

  it('names the Jira secret and the project permissions, never the token, when the credentials are refused', async () => {
    const apiToken = 'ATATT-wrong-token-3xFf';
    const { jira, tracker } = await trackerAgainst({}, {}, { email: 'bot@example.com', apiToken });

    const error = await rejectionOf(tracker.createTicket(TICKET));

    expect(error).toBeInstanceOf(UpstreamRefusedError);
    expect(error).not.toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toMatch(
      /HTTP 401\): check the email and API token in the Jira secret, and that the account may create, edit, link, transition and comment on issues in project OPS/,
    );
    expect(jira.requestCount).toBe(1);
    const everything = inspect(error, { depth: 10 });
    expect(everything).not.toContain(apiToken);
    expect(everything).not.toContain(Buffer.from(`bot@example.com:${apiToken}`).toString('base64'));
  });
});

describe('the Jira simulator, as strict as Jira where the tracker relies on it', () => {
  it.each([
    [
      'a summary over 255 characters',
      { summary: 'x'.repeat(256) },
      { summary: 'Summary must be less than 255 characters.' },
    ],
    [
      'a label with a space',
      { labels: ['tech debt'] },
      { labels: "The label 'tech debt' contains spaces which is invalid." },
    ],
    [
      'a description that is not ADF',
      { description: { type: 'doc', version: 1, content: [{ type: 'text', text: '' }] } },
      { description: expect.stringMatching(/Atlassian Document/) },
    ],
    [
      'a due date that is no day',
      { duedate: '2026-02-30' },
      { duedate: 'Error parsing date string: 2026-02-30' },
    ],
  ])('refuses %s with a field error', async (_, fields, errors) => {
    const jira = await startJiraSimulator(UNLIMITED);
    closers.push(jira.close);
    const client = createCloudClient({ host: jira.baseUrl, auth: { type: 'basic', ...CREDENTIALS } });

    const error = await rejectionOf(
      client.issues.createIssue({
        fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'A follow-up', ...fields },
      }),
    );

    expect(isApiError(error) && error.status).toBe(400);
    expect(isApiError(error) && error.body).toEqual({ errorMessages: [], errors });
  });
});
