import { SNSClient } from '@aws-sdk/client-sns';
import { Client } from '@notionhq/client';
import { createCloudClient } from 'jira.js';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { createJiraTicketTracker } from '#shared/adapters/jira-ticket-tracker.ts';
import { createNotionPostmortemPages } from '#shared/adapters/notion-postmortem-pages.ts';
import { createSnsNotifier } from '#shared/adapters/sns-notifier.ts';
import type { PostmortemPages, TicketTracker } from '#shared/ports.ts';
import { remindFollowUps } from '#shared/use-cases/remind-follow-ups.ts';
import { cachedAccounts, type FollowUpSyncDeps, syncFollowUps } from '#shared/use-cases/sync-follow-ups.ts';
import { settingsWith } from '../builders.ts';
import { startJiraSimulator } from '../simulators/jira-simulator.ts';
import { startNotionSimulator } from '../simulators/notion-simulator.ts';
import { startSnsSimulator } from '../simulators/sns-simulator.ts';
import { resolvedIncidentWithPostmortem } from './postmortem-world.ts';

const SITE = 'https://acme.atlassian.net';
// Tuesday 24 November 2026, 10:00 in Berlin: working hours.
const TUESDAY = Date.parse('2026-11-24T09:00:00.000Z');
const DAY = 86_400_000;
const KEEP_INFORMED = 'arn:aws:sns:eu-west-1:123456789012:incident-flow-keep-informed';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

type Json = Record<string, unknown>;
const text = (content: string): Json => ({ type: 'text', text: { content } });
const person = (id: string): Json => ({ type: 'mention', mention: { type: 'user', user: { id } } });
const day = (start: string): Json => ({ type: 'mention', mention: { type: 'date', date: { start } } });
const toDo = (runs: Json[], children: Json[] = []): Json => ({
  type: 'to_do',
  to_do: { rich_text: runs, checked: false, ...(children.length > 0 ? { children } : {}) },
});
const bullet = (runs: Json[], children: Json[]): Json => ({
  type: 'bulleted_list_item',
  bulleted_list_item: { rich_text: runs, children },
});

/**
 * A resolved SEV2 incident INC-1 (its commander Lee) with its postmortem in the Notion simulator,
 * follow-ups going to project OPS of the Jira simulator, all through the real clients over HTTP and
 * the DynamoDB adapters on dynalite.
 */
async function world(settingsInput: Json = {}) {
  const settings = settingsWith({
    timeZone: 'Europe/Berlin',
    report: { jiraBaseUrl: SITE },
    followUps: { projectKey: 'OPS' },
    ...settingsInput,
  });
  const clock = { nowMs: TUESDAY };
  const jira = await startJiraSimulator({
    requestsPerSecond: 10_000,
    burst: 10_000,
    nowMs: () => clock.nowMs,
  });
  closers.push(jira.close);
  jira.addUser({ accountId: 'acc-ana', displayName: 'Ana Ruiz', email: 'ana@example.com' });
  jira.addUser({ accountId: 'acc-lee', displayName: 'Lee Park', email: 'lee@example.com' });
  jira.addIssue({ id: '10001', key: 'INC-1', summary: 'Checkout failing' });
  const notion = await startNotionSimulator({ requestsPerSecond: 1_000, burst: 1_000 });
  closers.push(notion.close);
  const notionClient = new Client({
    auth: 'secret_test',
    baseUrl: notion.baseUrl,
    notionVersion: '2025-09-03',
    logger: () => {},
  });
  const ana = notion.addUser({ name: 'Ana Ruiz', email: 'ana@example.com' });
  // Someone the workspace knows but Jira does not.
  const ghost = notion.addUser({ name: 'Guest Consultant', email: 'guest@consulting.example' });

  const {
    client,
    tableName,
    store,
    postmortem: written,
  } = await resolvedIncidentWithPostmortem(notionClient, notion.databaseId, { site: SITE, settings });

  const followUps = createDynamoFollowUpStore(client, tableName, settings.timeZone);
  const tracker = createJiraTicketTracker(
    createCloudClient({
      host: jira.baseUrl,
      auth: { type: 'basic', email: 'bot@example.com', apiToken: 'test-token' },
    }),
    {
      issueType: settings.followUps.issueType,
      linkType: settings.followUps.linkType,
      siteUrl: SITE,
      initialBackoffMs: 10,
    },
  );
  const pages = createNotionPostmortemPages(notionClient, { jiraBaseUrl: SITE });
  const deps = (overrides: Partial<FollowUpSyncDeps> = {}): FollowUpSyncDeps => ({
    followUps,
    tracker,
    pages,
    settings,
    nowMs: () => clock.nowMs,
    log: silentLog,
    accountOf: cachedAccounts(pages, tracker),
    ...overrides,
  });
  return {
    settings,
    jira,
    notion,
    notionClient,
    ana,
    ghost,
    store,
    followUps,
    tracker,
    pages,
    pageId: written.id,
    clock,
    deps,
  };
}

describe('the postmortem sync over Jira and Notion', () => {
  it('makes each action item a ticket: owner by mention or the commander, deadline by mention or severity, nested too', async () => {
    const w = await world();
    w.notion.addActionItems(w.pageId, [
      toDo(
        [text('Alert on checkout error rate '), person(w.ana.id), text(' '), day('2026-12-15')],
        [toDo([text('Add the alert to the runbook '), person(w.ana.id)])],
      ),
      bullet([text('Payments')], [toDo([text('Review the provider contract '), person(w.ghost.id)])]),
    ]);

    const outcome = await syncFollowUps(w.deps());

    expect(outcome.created).toEqual(['OPS-1', 'OPS-2', 'OPS-3']);
    const tickets = w.jira.tickets();
    expect(
      tickets.map((ticket) => [
        ticket.key,
        ticket.fields.summary,
        ticket.fields.assignee?.accountId ?? null,
        ticket.fields.duedate,
      ]),
    ).toEqual([
      ['OPS-1', 'Alert on checkout error rate', 'acc-ana', '2026-12-15'],
      // No date: a SEV2 follow-up is due 14 days after it was opened.
      ['OPS-2', 'Add the alert to the runbook', 'acc-ana', '2026-12-08'],
      // The owner has no Jira account: the incident's commander holds it.
      ['OPS-3', 'Review the provider contract', 'acc-lee', '2026-12-08'],
    ]);
    expect(tickets[0]?.fields.labels).toEqual(expect.arrayContaining(['tech-debt', 'incident-followup']));
    expect(w.jira.links()).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Relates' })]));
    expect(w.jira.links()).toHaveLength(3);
    // The commander is told, in Jira, with a mention.
    const told = w.jira.comments('INC-1').map((comment) => comment.text);
    expect(told).toEqual([
      expect.stringMatching(/follow-up OPS-3 .*no Jira account for its owner Guest Consultant/),
    ]);
    // The links are written back into the items, with a note on the unresolved one.
    const items = await w.pages.actionItems(w.pageId);
    expect(items.map((item) => item.ticket?.key)).toEqual(['OPS-1', 'OPS-2', 'OPS-3']);
    const stored = await w.followUps.followUpsOfIncident('10001');
    expect(stored.map((f) => [f.ticketKey, f.ownerUnresolved, f.dueDateSource])).toEqual([
      ['OPS-1', false, 'item'],
      ['OPS-2', false, 'severity-default'],
      ['OPS-3', true, 'severity-default'],
    ]);
  });

  it('creates nothing twice, even when it died after Jira created the ticket and before anything else', async () => {
    const w = await world();
    w.notion.addActionItems(w.pageId, [toDo([text('Rotate the leaked key '), person(w.ana.id)])]);
    // The first run creates the ticket and then dies: nothing recorded, nothing written back.
    const dying: TicketTracker = {
      ...w.tracker,
      createTicket: async (ticket) => {
        await w.tracker.createTicket(ticket);
        throw new Error('the function was killed');
      },
    };
    const first = await syncFollowUps(w.deps({ tracker: dying }));

    const second = await syncFollowUps(w.deps());
    const third = await syncFollowUps(w.deps());

    expect(first.pending).toHaveLength(1);
    expect(second.created).toEqual([]);
    expect(third.created).toEqual([]);
    expect(w.jira.tickets()).toHaveLength(1);
    expect((await w.pages.actionItems(w.pageId))[0]?.ticket?.key).toBe('OPS-1');
    expect(await w.followUps.followUpsOfIncident('10001')).toHaveLength(1);
  });

  it('writes the link back on the next run when Notion refused it, still one ticket', async () => {
    const w = await world();
    w.notion.addActionItems(w.pageId, [toDo([text('Rotate the leaked key')])]);
    const refusing: PostmortemPages = {
      ...w.pages,
      writeBack: async () => {
        throw new Error('Notion refused the update');
      },
    };
    await syncFollowUps(w.deps({ pages: refusing }));

    await syncFollowUps(w.deps());

    expect(w.jira.tickets()).toHaveLength(1);
    expect((await w.pages.actionItems(w.pageId))[0]?.ticket?.key).toBe('OPS-1');
    expect((await w.followUps.followUpsOfIncident('10001'))[0]?.writtenBack).toBe(true);
  });

  it('updates the ticket of an edited item, and comments on the ticket of a removed one', async () => {
    const w = await world();
    const [first, second] = w.notion.addActionItems(w.pageId, [
      toDo([text('Alert on errors')]),
      toDo([text('Drop the legacy endpoint')]),
    ]);
    await syncFollowUps(w.deps());
    // A person edits the first item (new text, owner and date) and deletes the second.
    const current = w.notion.blockOf(first ?? '')?.content.rich_text as Json[];
    await new Client({
      auth: 'secret_test',
      baseUrl: w.notion.baseUrl,
      notionVersion: '2025-09-03',
      logger: () => {},
    }).blocks.update({
      block_id: first ?? '',
      to_do: {
        rich_text: [
          text('Alert on checkout errors above 2% ') as never,
          person(w.ana.id) as never,
          text(' ') as never,
          day('2026-12-20') as never,
          ...(current.slice(1) as never[]),
        ],
      },
    });
    w.notion.deleteBlock(second ?? '');

    const outcome = await syncFollowUps(w.deps());

    expect(outcome.updated).toEqual(['OPS-1']);
    expect(outcome.removed).toEqual(['OPS-2']);
    expect(w.jira.tickets()[0]?.fields).toMatchObject({
      summary: 'Alert on checkout errors above 2%',
      duedate: '2026-12-20',
      assignee: expect.objectContaining({ accountId: 'acc-ana' }),
    });
    expect(w.jira.comments('OPS-2').map((comment) => comment.text)).toEqual([
      expect.stringMatching(/removed from the postmortem of INC-1.*leaves this ticket as it is/),
    ]);
    expect(w.jira.tickets()[1]?.fields.status.name).toBe('To Do');
    // Said once.
    await syncFollowUps(w.deps());
    expect(w.jira.comments('OPS-2')).toHaveLength(1);
  });

  it('checks the to-do when its ticket is done in Jira, and may close the incident once all are done and the postmortem is Published', async () => {
    const w = await world({ followUps: { projectKey: 'OPS', closeIncidentWhenDone: true } });
    w.notion.addActionItems(w.pageId, [toDo([text('Alert on errors')]), toDo([text('Fix the retry storm')])]);
    await syncFollowUps(w.deps());
    w.jira.setStatus('OPS-1', 'Done');

    const partly = await syncFollowUps(w.deps());
    const items = await w.pages.actionItems(w.pageId);

    expect(partly.done).toEqual(['OPS-1']);
    expect(items.map((item) => item.checked)).toEqual([true, false]);
    expect(partly.closedIncidents).toEqual([]);

    w.jira.setStatus('OPS-2', 'Done');
    const allDoneButDraft = await syncFollowUps(w.deps());
    expect(allDoneButDraft.closedIncidents).toEqual([]);

    // A person publishes the postmortem.
    await w.notionClient.pages.update({
      page_id: w.pageId,
      properties: { Status: { status: { name: 'Published' } } },
    });
    const published = await syncFollowUps(w.deps());
    expect(published.closedIncidents).toEqual(['INC-1']);
  });

  it('keeps an item pending, with an error naming what to fix, when Jira refuses a field', async () => {
    const w = await world();
    w.jira.removeCreateField('OPS', 'duedate');
    w.notion.addActionItems(w.pageId, [toDo([text('Alert on errors')])]);

    const refused = await syncFollowUps(w.deps());

    expect(refused.created).toEqual([]);
    expect(refused.pending).toEqual([
      { incidentKey: 'INC-1', item: 'Alert on errors', error: expect.stringMatching(/duedate.*screen/i) },
    ]);
    expect(await w.followUps.followUpsOfIncident('10001')).toEqual([]);
  });
});

describe('the follow-up reminders', () => {
  async function overdueWorld() {
    const w = await world();
    w.notion.addActionItems(w.pageId, [
      toDo([text('Alert on errors '), person(w.ana.id), text(' '), day('2026-11-20')]),
      toDo([text('Fix the retry storm '), person(w.ana.id), text(' '), day('2026-11-26')]),
      toDo([text('Write the runbook '), person(w.ana.id), text(' '), day('2027-01-20')]),
    ]);
    await syncFollowUps(w.deps());
    const sns = await startSnsSimulator();
    closers.push(sns.close);
    const notifier = createSnsNotifier(
      new SNSClient({
        endpoint: sns.endpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
      { topicArns: { 'keep-informed': KEEP_INFORMED }, nowMs: () => w.clock.nowMs },
    );
    const remind = () =>
      remindFollowUps({
        followUps: w.followUps,
        tracker: w.tracker,
        settings: w.settings,
        nowMs: () => w.clock.nowMs,
        log: silentLog,
        overdueList: { notifier, deliveries: w.store },
      });
    return { ...w, sns, remind };
  }

  it('reminds an overdue ticket with a mention once a week, not every day, and one due soon once', async () => {
    const w = await overdueWorld();

    const tuesday = await w.remind();
    w.clock.nowMs += DAY;
    const wednesday = await w.remind();
    w.clock.nowMs += 6 * DAY;
    const nextWednesday = await w.remind();

    expect(tuesday.reminded).toEqual(['OPS-1']);
    expect(tuesday.earlyReminded).toEqual(['OPS-2']);
    expect(wednesday.reminded).toEqual([]);
    expect(wednesday.earlyReminded).toEqual([]);
    // A week after the first: OPS-1 again, and OPS-2 is overdue by now, reminded for the first time.
    expect(nextWednesday.reminded).toEqual(['OPS-1', 'OPS-2']);
    const comments = w.jira.comments('OPS-1');
    expect(comments).toHaveLength(2);
    expect(JSON.stringify(comments[0]?.body)).toContain('"type":"mention"');
    expect(JSON.stringify(comments[0]?.body)).toContain('acc-ana');
    expect(comments[0]?.text).toMatch(/was due on 2026-11-20 \(4 days ago\)/);
  });

  it('emails the overdue list to keep-informed once a day', async () => {
    const w = await overdueWorld();

    await w.remind();
    await w.remind();

    const lists = w.sns.published.filter((message) => message.topicArn === KEEP_INFORMED);
    expect(lists).toHaveLength(1);
    expect(lists[0]?.subject).toBe('Follow-ups: 1 past due (2026-11-24)');
    expect(lists[0]?.message).toMatch(/OPS-1\s+4 days overdue\s+Ana Ruiz/);
  });

  it('stays silent outside working hours and at weekends', async () => {
    const w = await overdueWorld();
    w.clock.nowMs = Date.parse('2026-11-24T18:30:00.000Z'); // 19:30 in Berlin
    const evening = await w.remind();
    w.clock.nowMs = Date.parse('2026-11-28T09:00:00.000Z'); // Saturday 10:00
    const saturday = await w.remind();

    expect(evening).toMatchObject({ inWorkingHours: false, reminded: [] });
    expect(saturday).toMatchObject({ inWorkingHours: false, reminded: [] });
    expect(w.jira.comments('OPS-1')).toEqual([]);
  });
});
