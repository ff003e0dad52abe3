import { createCloudClient } from 'jira.js';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createJiraIncidentSource } from '#shared/adapters/jira-incident-source.ts';
import type { EventStore } from '#shared/ports.ts';
import { reconcileIncidents } from '#shared/use-cases/reconcile-incidents.ts';
import { incidentJql, type ReconcileDeps, sweep } from '#shared/use-cases/sweep-issues.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { createInMemoryReconcileLedger } from '../fakes/in-memory-reconcile-ledger.ts';
import {
  type CommentWebhookPayload,
  generateIncidentHistories,
  jiraTime,
  type SimulatedIssueHistory,
} from '../simulators/jira-history.ts';
import { JIRA_ENDPOINTS, type JiraSimulator, startJiraSimulator } from '../simulators/jira-simulator.ts';
import { closeSimulatorsAfterEach, deliver, NOW, reading, START, settings } from './jira-history-world.ts';

closeSimulatorsAfterEach();

const MINUTE = 60_000;
const ALL_INCIDENTS = incidentJql(settings.incidents);
/** Every 25th generated issue from the 4th has more comments than a search embeds (jira-history.ts). */
const COMMENT_HEAVY = 3;
/** Every 25th generated issue from the 12th has more histories than a search embeds. */
const HISTORY_HEAVY = 11;

/** A Jira simulator holding the histories, whose clock the test moves. */
async function jiraWithClock(histories: readonly SimulatedIssueHistory[]) {
  const clock = { nowMs: NOW };
  const jira = await startJiraSimulator({
    requestsPerSecond: 100_000,
    burst: 100_000,
    nowMs: () => clock.nowMs,
  });
  for (const history of histories) jira.seedIssue(history);
  return { jira, clock };
}

function depsOf(jira: JiraSimulator, store: EventStore, ledger = createInMemoryReconcileLedger()) {
  const client = createCloudClient({
    host: jira.baseUrl,
    auth: { type: 'basic', email: 'bot@example.com', apiToken: 'test-token' },
  });
  return {
    store,
    ledger,
    readMarks: ledger,
    source: createJiraIncidentSource(client),
    reading,
    incidents: settings.incidents,
    log: silentLog,
    nowMs: () => NOW,
    concurrency: 4,
  } satisfies ReconcileDeps;
}

/** Webhooks delivered so far, and a pass that read every issue once: the state an hourly pass meets. */
async function afterAnEarlierPass(histories: readonly SimulatedIssueHistory[]) {
  const { jira, clock } = await jiraWithClock(histories);
  const store = createInMemoryEventStore();
  await deliver(
    store,
    histories.flatMap((history) => history.deliveries),
  );
  const deps = depsOf(jira, store);
  const earlier = await sweep(deps, { jql: ALL_INCIDENTS });
  return { jira, clock, store, deps, earlier };
}

function requestsSince(jira: JiraSimulator, before: Record<string, number>) {
  const now = jira.requestCountByEndpoint;
  const byEndpoint = Object.fromEntries(
    JIRA_ENDPOINTS.map((endpoint) => [endpoint, now[endpoint] - (before[endpoint] ?? 0)]),
  );
  return { byEndpoint, total: Object.values(byEndpoint).reduce((sum, count) => sum + count, 0) };
}

/** The comment_created webhook Jira sends for a comment the simulator holds. */
function commentCreated(
  history: SimulatedIssueHistory,
  comment: { readonly id: string; readonly text: string },
  atMs: number,
): CommentWebhookPayload {
  const { fields } = history.issue;
  const author = history.issue.fields.reporter ?? history.comments[0]?.author;
  if (author === undefined || author === null) throw new Error('the generated issue has no reporter');
  const self = `https://example.atlassian.net/rest/api/2/issue/${history.issue.id}`;
  return {
    timestamp: atMs,
    webhookEvent: 'comment_created',
    comment: {
      self: `${self}/comment/${comment.id}`,
      id: comment.id,
      author,
      body: comment.text,
      updateAuthor: author,
      created: jiraTime(atMs),
      updated: jiraTime(atMs),
      jsdPublic: true,
    },
    issue: {
      id: history.issue.id,
      self,
      key: history.issue.key,
      fields: {
        summary: fields.summary,
        issuetype: fields.issuetype,
        project: fields.project,
        assignee: fields.assignee,
        priority: fields.priority,
        status: fields.status,
      },
    },
  };
}

describe('the reconciler in the steady state', () => {
  it('reads no changelog or comment page of issues unchanged since read: at most 0.05 requests an issue', async () => {
    const histories = generateIncidentHistories({ count: 200, seed: 7, startMs: START });
    const { jira, deps, earlier } = await afterAnEarlierPass(histories);
    const before = jira.requestCountByEndpoint;

    const run = await reconcileIncidents(deps, { overlapMinutes: 10, firstRunLookbackHours: 720 });

    const requests = requestsSince(jira, before);
    expect(earlier.issuesRead).toBe(200);
    expect(run.issuesRead).toBe(200);
    expect(run.eventsAdded).toBe(0);
    expect(requests.byEndpoint.changelog).toBe(0);
    expect(requests.byEndpoint.comment).toBe(0);
    expect(requests.total / run.issuesRead).toBeLessThanOrEqual(0.05);
  });

  it('reads in full an issue whose missed edit beyond the first comment page was followed by a change that arrived', async () => {
    const histories = generateIncidentHistories({ count: 30, seed: 7, startMs: START });
    const { jira, clock, store, deps } = await afterAnEarlierPass(histories);
    const heavy = histories[COMMENT_HEAVY];
    const beyond = heavy?.comments.at(-1);
    if (heavy === undefined || beyond === undefined) throw new Error('no comment-heavy issue generated');
    expect(heavy.comments.length).toBeGreaterThan(100);
    // The edit's webhook is lost; the next comment's arrives, so the store has seen Jira's latest `updated`.
    clock.nowMs += MINUTE;
    jira.editComment(heavy.issue.key, beyond.id, 'Edited: the root cause was the config push.');
    const editedAtMs = clock.nowMs;
    clock.nowMs += MINUTE;
    const text = 'Customer support closed their tickets.';
    const id = jira.addComment(heavy.issue.key, text);
    await deliver(store, [
      { identifier: 'arrived', payload: commentCreated(heavy, { id, text }, clock.nowMs) },
    ]);

    const run = await sweep(deps, { jql: ALL_INCIDENTS });

    expect(run.repaired).toEqual([{ key: heavy.issue.key, added: 1 }]);
    const eventIds = (await store.loadEvents(heavy.issue.id)).map((event) => event.eventId);
    expect(eventIds).toContain(`comment#${beyond.id}#${editedAtMs}`);
  });

  it('reads in full an issue whose missed changes pushed one out of the histories a search embeds', async () => {
    const histories = generateIncidentHistories({ count: 30, seed: 7, startMs: START });
    const { jira, clock, store, deps } = await afterAnEarlierPass(histories);
    const heavy = histories[HISTORY_HEAVY];
    if (heavy === undefined) throw new Error('no history-heavy issue generated');
    const firstMissedAtMs = clock.nowMs + MINUTE;
    // 41 moves, none delivered: the first is older than the 40 histories the search embeds.
    for (let move = 0; move < 41; move += 1) {
      clock.nowMs += MINUTE;
      jira.setStatus(heavy.issue.key, move % 2 === 0 ? 'Investigating' : 'Mitigating');
    }

    const run = await sweep(deps, { jql: ALL_INCIDENTS });

    expect(run.repaired.map((repair) => repair.key)).toEqual([heavy.issue.key]);
    const statusTimes = (await store.loadEvents(heavy.issue.id))
      .filter((event) => event.eventId.endsWith('#status'))
      .map((event) => event.atMs);
    expect(statusTimes).toContain(firstMissedAtMs);
    expect(statusTimes.filter((atMs) => atMs >= firstMissedAtMs)).toHaveLength(41);
  });

  it('repairs a missed comment edit and a missed deletion, on the first comment page and beyond it', async () => {
    const histories = generateIncidentHistories({ count: 30, seed: 7, startMs: START });
    const { jira, clock, store, deps } = await afterAnEarlierPass(histories);
    const heavy = histories[COMMENT_HEAVY];
    const onFirstPage = heavy?.comments[5];
    const beyond = heavy?.comments.at(-2);
    if (heavy === undefined || onFirstPage === undefined || beyond === undefined)
      throw new Error('no comment-heavy issue generated');
    clock.nowMs += MINUTE;
    jira.editComment(heavy.issue.key, onFirstPage.id, 'Edited: paged the database team too.');
    const editedAtMs = clock.nowMs;
    clock.nowMs += MINUTE;
    jira.deleteComment(heavy.issue.key, beyond.id);

    const run = await sweep(deps, { jql: ALL_INCIDENTS });

    expect(run.repaired).toEqual([{ key: heavy.issue.key, added: 2 }]);
    const eventIds = (await store.loadEvents(heavy.issue.id)).map((event) => event.eventId);
    expect(eventIds).toContain(`comment#${onFirstPage.id}#${editedAtMs}`);
    expect(eventIds).toContain(`comment#${beyond.id}#deleted`);
  });

  it('reads no older changelog page of a changed issue whose embedded histories reach its last read', async () => {
    const histories = generateIncidentHistories({ count: 30, seed: 7, startMs: START });
    const { jira, clock, store, deps } = await afterAnEarlierPass(histories);
    const heavy = histories[HISTORY_HEAVY];
    if (heavy === undefined) throw new Error('no history-heavy issue generated');
    clock.nowMs += MINUTE;
    jira.setStatus(heavy.issue.key, 'Investigating');
    const before = jira.requestCountByEndpoint;

    const run = await sweep(deps, { jql: ALL_INCIDENTS });

    expect(requestsSince(jira, before).byEndpoint.changelog).toBe(0);
    expect(run.repaired).toEqual([{ key: heavy.issue.key, added: 1 }]);
    const statusTimes = (await store.loadEvents(heavy.issue.id))
      .filter((event) => event.eventId.endsWith('#status'))
      .map((event) => event.atMs);
    expect(statusTimes).toContain(clock.nowMs);
  });

  it('reads an issue in full again once it changed, then no more while it stays as read', async () => {
    const histories = generateIncidentHistories({ count: 30, seed: 7, startMs: START });
    const { jira, clock, deps } = await afterAnEarlierPass(histories);
    const heavy = histories[COMMENT_HEAVY];
    if (heavy === undefined) throw new Error('no comment-heavy issue generated');
    clock.nowMs += MINUTE;
    jira.addComment(heavy.issue.key, 'Monitoring for another hour.');
    const beforeChanged = jira.requestCountByEndpoint;

    await sweep(deps, { jql: ALL_INCIDENTS });
    const changed = requestsSince(jira, beforeChanged);
    const beforeSame = jira.requestCountByEndpoint;
    await sweep(deps, { jql: ALL_INCIDENTS });
    const same = requestsSince(jira, beforeSame);

    expect(changed.byEndpoint.comment).toBeGreaterThan(0);
    expect(same.byEndpoint.comment).toBe(0);
    expect(same.total).toBe(1);
  });
});
