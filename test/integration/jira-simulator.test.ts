import { type CloudClient, createCloudClient, isApiError, isRateLimitError } from 'jira.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ChangeItem,
  generateIncidentHistories,
  HISTORY_SPAN_DAYS,
  INCIDENT_STATUSES,
  parseJiraTime,
  plainTextOf,
  type SimulatedIssueHistory,
} from '../simulators/jira-history.ts';
import { type JiraSimulatorOptions, startJiraSimulator } from '../simulators/jira-simulator.ts';

const UNLIMITED = { requestsPerSecond: 10_000, burst: 10_000 };
const CREDENTIALS = { email: 'bot@example.com', apiToken: 'test-token' };
const START_MS = Date.UTC(2026, 10, 2, 9, 0);
const INCIDENTS = 'issuetype in ("Incident", "[System] Incident") AND labels = incident';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A fresh simulator and the real jira.js client on it, strict about response shapes. */
async function jiraAgainst(options: JiraSimulatorOptions = UNLIMITED) {
  const jira = await startJiraSimulator(options);
  closers.push(jira.close);
  const client = createCloudClient({
    host: jira.baseUrl,
    auth: { type: 'basic', ...CREDENTIALS },
    onSchemaMismatch: 'throw',
  });
  return { jira, client };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function refusalOf(promise: Promise<unknown>): Promise<{ status: number; messages: string[] }> {
  const error = await rejectionOf(promise);
  if (!isApiError(error)) throw error;
  const body = error.body as { errorMessages?: string[] };
  return { status: error.status, messages: body.errorMessages ?? [] };
}

async function searchAll(client: CloudClient, jql: string, fields: string[]) {
  const keys: string[] = [];
  const pageSizes: number[] = [];
  let nextPageToken: string | undefined;
  do {
    const page = await client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql,
      fields,
      maxResults: 500,
      ...(nextPageToken === undefined ? {} : { nextPageToken }),
    });
    keys.push(...(page.issues ?? []).map((issue) => issue.key ?? issue.id ?? ''));
    pageSizes.push(page.issues?.length ?? 0);
    nextPageToken = page.nextPageToken ?? undefined;
    expect(page.isLast).toBe(nextPageToken === undefined);
  } while (nextPageToken !== undefined);
  return { keys, pageSizes };
}

const historiesOf = (count: number, seed = 42) =>
  generateIncidentHistories({ count, seed, startMs: START_MS });

const largest = (
  histories: readonly SimulatedIssueHistory[],
  of: (history: SimulatedIssueHistory) => number,
) => histories.reduce((best, history) => (of(history) > of(best) ? history : best));

describe('the Jira simulator', () => {
  it('pages a search of 250 issues by nextPageToken, each issue once and in order', async () => {
    const { jira, client } = await jiraAgainst();
    const histories = historiesOf(250);
    for (const history of histories) jira.seedIssue(history);

    const { keys, pageSizes } = await searchAll(client, `${INCIDENTS} ORDER BY updated ASC`, [
      'summary',
      'updated',
    ]);

    const expected = [...histories]
      .sort(
        (a, b) =>
          parseJiraTime(a.issue.fields.updated) - parseJiraTime(b.issue.fields.updated) ||
          Number(a.issue.id) - Number(b.issue.id),
      )
      .map((history) => history.issue.key);
    expect(keys).toEqual(expected);
    expect(pageSizes).toEqual([100, 100, 50]);
    expect(jira.requestCountByEndpoint['search/jql']).toBe(3);
  });

  it('returns the fields asked for as REST v3 has them, and only ids when none are asked for', async () => {
    const { jira, client } = await jiraAgainst();
    const [history] = historiesOf(1);
    if (history === undefined) throw new Error('no history generated');
    jira.seedIssue(history);

    const withFields = await client.issueSearch.searchAndReconsileIssuesUsingJql({
      jql: 'project = OPS',
      fields: ['status', 'labels', 'description'],
    });
    const idsOnly = await client.issueSearch.searchAndReconsileIssuesUsingJqlPost({ jql: 'project = OPS' });
    const issue = await client.issues.getIssue({ issueIdOrKey: history.issue.key });

    expect(withFields.issues?.[0]?.fields).toEqual({
      status: history.issue.fields.status,
      labels: history.issue.fields.labels,
      description: history.issue.fields.description,
    });
    expect(idsOnly.issues).toEqual([{ id: history.issue.id }]);
    expect(idsOnly).not.toHaveProperty('total');
    expect(issue.fields).toEqual(history.issue.fields);
  });

  it('filters on updated at the minute, for absolute and relative dates', async () => {
    const nowMs = Date.UTC(2026, 10, 2, 10, 0, 30);
    const { jira, client } = await jiraAgainst({ ...UNLIMITED, nowMs: () => nowMs });
    const updatedAt = {
      'OPS-1': '2026-11-02T09:14:59.999+0000',
      'OPS-2': '2026-11-02T09:15:00.000+0000',
      'OPS-3': '2026-11-02T09:15:30.000+0000',
      'OPS-4': '2026-11-02T09:51:10.000+0000',
      'OPS-5': '2026-11-01T23:59:00.000+0000',
    };
    Object.entries(updatedAt).forEach(([key, updated], i) => {
      jira.addIssue({ id: String(100 + i), key, summary: key, fields: { updated, created: updated } });
    });
    const keysOf = async (jql: string) => (await searchAll(client, jql, ['key'])).keys;

    const fromQuarterPast = await keysOf('updated >= "2026-11-02 09:15"');
    const afterQuarterPast = await keysOf('updated > "2026-11-02 09:15"');
    const lastTenMinutes = await keysOf('updated >= -10m');
    const sinceQuarterPast = await keysOf('project = OPS AND updatedDate >= "-45m" ORDER BY key DESC');
    const createdToday = await keysOf('created >= 2026-11-02 ORDER BY created DESC');

    expect(fromQuarterPast).toEqual(['OPS-2', 'OPS-3', 'OPS-4']);
    expect(afterQuarterPast).toEqual(['OPS-4']);
    expect(lastTenMinutes).toEqual(['OPS-4']);
    expect(sinceQuarterPast).toEqual(['OPS-4', 'OPS-3', 'OPS-2']);
    expect(createdToday).toEqual(['OPS-4', 'OPS-3', 'OPS-2', 'OPS-1']);
  });

  it.each([
    ['a syntax error', 'labels = incident AND', /^Error in the JQL Query: .*\(line 1, character 22\)$/],
    ['an unknown field', 'colour = red', /^Field 'colour' does not exist/],
    ['an unknown issue type', 'issuetype = Incidnet', /^The value 'Incidnet' does not exist for the field/],
    ['a bad date', 'updated >= "yesterday"', /^Date value 'yesterday' for field 'updated' is invalid/],
    ['an unbounded query', 'ORDER BY updated DESC', /^Unbounded JQL queries are not allowed here/],
    ['a function', 'updated >= startOfDay()', /does not support the function 'startOfDay'/],
    [
      'an operator the field lacks',
      'labels > incident',
      /operator '>' is not supported by the 'labels' field/,
    ],
  ])('refuses %s with a 400 in Jira’s words', async (_, jql, message) => {
    const { jira, client } = await jiraAgainst();
    jira.addIssue({ id: '1', key: 'OPS-1', summary: 'Checkout failing', fields: { labels: ['incident'] } });

    const refused = await refusalOf(client.issueSearch.searchAndReconsileIssuesUsingJqlPost({ jql }));

    expect(refused.status).toBe(400);
    expect(refused.messages).toEqual([expect.stringMatching(message)]);
  });

  it('refuses a page token used with another query', async () => {
    const { jira, client } = await jiraAgainst();
    for (let i = 1; i <= 3; i += 1) jira.addIssue({ id: String(i), key: `OPS-${i}`, summary: `Issue ${i}` });
    const first = await client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql: 'project = OPS',
      maxResults: 1,
    });

    const refused = await refusalOf(
      client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
        jql: 'project = OPS ORDER BY key DESC',
        nextPageToken: first.nextPageToken ?? '',
      }),
    );

    expect(first.nextPageToken).toEqual(expect.any(String));
    expect(refused.status).toBe(400);
  });

  it('answers the removed /search with 410 Gone, as Atlassian did', async () => {
    const { jira } = await jiraAgainst();
    const authorization = `Basic ${Buffer.from(`${CREDENTIALS.email}:${CREDENTIALS.apiToken}`).toString('base64')}`;

    const answer = await fetch(`${jira.baseUrl}/rest/api/3/search?jql=project%20%3D%20OPS`, {
      headers: { authorization, accept: 'application/json' },
    });

    expect(answer.status).toBe(410);
    expect(await answer.json()).toEqual({
      errorMessages: [expect.stringContaining('Please migrate to the /rest/api/3/search/jql API')],
      errors: {},
    });
  });

  it('pages a changelog of more than 100 histories, oldest first', async () => {
    const { jira, client } = await jiraAgainst();
    const history = largest(historiesOf(25), ({ changelog }) => changelog.length);
    jira.seedIssue(history);
    const ids: string[] = [];
    const pageSizes: number[] = [];

    for (let startAt = 0, isLast = false; !isLast; ) {
      const page = await client.issues.getChangeLogs({
        issueIdOrKey: history.issue.key,
        startAt,
        maxResults: 500,
      });
      ids.push(...page.values.map((value) => value.id ?? ''));
      pageSizes.push(page.values.length);
      expect(page.total).toBe(history.changelog.length);
      startAt += page.values.length;
      isLast = page.isLast;
    }

    expect(history.changelog.length).toBeGreaterThan(100);
    expect(ids).toEqual(history.changelog.map(({ id }) => id));
    expect(pageSizes[0]).toBe(100);
  });

  it('pages comments with their authors and edit times', async () => {
    const { jira, client } = await jiraAgainst();
    const history = largest(historiesOf(25), ({ comments }) => comments.length);
    jira.seedIssue(history);
    const comments: { id?: string; updated?: Date; updateAuthor?: { accountId?: string } }[] = [];

    for (let startAt = 0, total = 1; startAt < total; ) {
      const page = await client.issueComments.getComments({ issueIdOrKey: history.issue.id, startAt });
      comments.push(...(page.comments ?? []));
      startAt += page.comments?.length ?? 0;
      total = page.total ?? 0;
    }

    expect(history.comments.length).toBeGreaterThan(100);
    expect(comments.map(({ id }) => id)).toEqual(history.comments.map(({ id }) => id));
    expect(comments.map(({ updated }) => updated?.getTime())).toEqual(
      history.comments.map(({ updated }) => parseJiraTime(updated)),
    );
    expect(comments.every(({ updateAuthor }) => updateAuthor?.accountId !== undefined)).toBe(true);
  });

  it('embeds in a search only the 40 newest histories and the first 100 comments, each with its total', async () => {
    const { jira, client } = await jiraAgainst();
    const histories = historiesOf(25);
    const longHistory = largest(histories, ({ changelog }) => changelog.length);
    const manyComments = largest(histories, ({ comments }) => comments.length);
    jira.seedIssue(longHistory);
    jira.seedIssue(manyComments);

    const answer = await client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql: 'project = OPS ORDER BY created ASC',
      fields: ['comment', 'updated'],
      expand: 'changelog',
    });

    const byKey = new Map((answer.issues ?? []).map((issue) => [issue.key, issue]));
    const changelog = byKey.get(longHistory.issue.key)?.changelog;
    expect(changelog?.total).toBe(longHistory.changelog.length);
    expect(changelog?.histories?.map(({ id }) => id)).toEqual(
      longHistory.changelog
        .slice(-40)
        .reverse()
        .map(({ id }) => id),
    );
    const comment = byKey.get(manyComments.issue.key)?.fields?.comment;
    expect(comment.total).toBe(manyComments.comments.length);
    expect(comment.comments.map(({ id }: { id: string }) => id)).toEqual(
      manyComments.comments.slice(0, 100).map(({ id }) => id),
    );
  });

  it('forgets a deleted issue: 404 on every read, absent from searches', async () => {
    const { jira, client } = await jiraAgainst();
    const [kept, deleted] = historiesOf(2);
    if (kept === undefined || deleted === undefined) throw new Error('two histories expected');
    jira.seedIssue(kept);
    jira.seedIssue(deleted);

    jira.deleteIssue(deleted.issue.key);

    const key = deleted.issue.key;
    const reads = [
      client.issues.getIssue({ issueIdOrKey: key }),
      client.issues.getChangeLogs({ issueIdOrKey: key }),
      client.issueComments.getComments({ issueIdOrKey: deleted.issue.id }),
    ];
    for (const read of reads) expect((await refusalOf(read)).status).toBe(404);
    expect((await searchAll(client, 'project = OPS', ['key'])).keys).toEqual([kept.issue.key]);
  });

  it('answers 429 with Retry-After throughout a rate-limit storm', async () => {
    const { jira, client } = await jiraAgainst();
    jira.addIssue({ id: '1', key: 'OPS-1', summary: 'Checkout failing' });
    jira.rateLimitStorm(3000);

    const errors = [
      await rejectionOf(client.issues.getIssue({ issueIdOrKey: 'OPS-1' })),
      await rejectionOf(client.issueSearch.searchAndReconsileIssuesUsingJqlPost({ jql: 'project = OPS' })),
    ];

    for (const error of errors) {
      expect(isRateLimitError(error)).toBe(true);
      expect(isRateLimitError(error) && error.retryAfterMs).toBe(3000);
    }
    expect(jira.rateLimitedCount).toBe(2);
    expect(jira.requestCountByEndpoint).toMatchObject({ issue: 1, 'search/jql': 1 });
  });

  it('fails the same requests for the same failure seed', async () => {
    const outcomes = async () => {
      const { jira, client } = await jiraAgainst({
        ...UNLIMITED,
        failureRate: { status: 503, fraction: 0.3, seed: 7 },
      });
      jira.addIssue({ id: '1', key: 'OPS-1', summary: 'Checkout failing' });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        const answer = await client.issues.getIssue({ issueIdOrKey: 'OPS-1' }).then(
          () => 200,
          (error: unknown) => (isApiError(error) ? error.status : 0),
        );
        statuses.push(answer);
      }
      return statuses;
    };

    const [first, second] = [await outcomes(), await outcomes()];

    expect(first).toEqual(second);
    expect(first.filter((status) => status === 503).length).toBeGreaterThan(0);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(0);
  });
});

describe('the incident history generator', () => {
  const histories = historiesOf(250);

  it('generates the same histories for the same seed, and others for another', () => {
    expect(historiesOf(250)).toEqual(histories);
    expect(historiesOf(250, 43)).not.toEqual(histories);
  });

  it('tells each issue in its deliveries as it ends in REST', () => {
    for (const { issue, deliveries } of histories) {
      const last = deliveries.at(-1)?.payload;

      expect(deliveries[0]?.payload.webhookEvent).toBe('jira:issue_created');
      expect(last?.issue.fields.status).toEqual(issue.fields.status);
      expect(last?.timestamp).toBe(parseJiraTime(issue.fields.updated));
    }
  });

  it('sends every changelog history in exactly one delivery, with its time', () => {
    for (const { changelog, deliveries } of histories) {
      const updates = deliveries.flatMap(({ payload }) =>
        payload.webhookEvent === 'jira:issue_updated' ? [payload] : [],
      );

      expect(updates.map(({ changelog: sent }) => sent.id)).toEqual(changelog.map(({ id }) => id));
      expect(updates.map(({ timestamp }) => timestamp)).toEqual(
        changelog.map(({ created }) => parseJiraTime(created)),
      );
    }
  });

  it('lists the creation as the first history when asked to, under the issue_created changelog id', () => {
    const withoutCreation = historiesOf(20);
    const withCreation = generateIncidentHistories({
      count: 20,
      seed: 42,
      startMs: START_MS,
      creationInChangelog: true,
    });

    withCreation.forEach(({ changelog, deliveries }, i) => {
      const sent = deliveries.flatMap(({ payload }) => ('changelog' in payload ? [payload.changelog] : []));
      expect(changelog.map(({ id, items }) => ({ id, items }))).toEqual(sent);
      expect(changelog.slice(1)).toEqual(withoutCreation[i]?.changelog);
    });
  });

  it('sends deliveries in time order with unique identifiers, within the span', () => {
    const identifiers = histories.flatMap(({ deliveries }) => deliveries.map(({ identifier }) => identifier));
    const endMs = START_MS + HISTORY_SPAN_DAYS * 24 * 3_600_000;

    expect(new Set(identifiers).size).toBe(identifiers.length);
    for (const { deliveries } of histories) {
      const times = deliveries.map(({ payload }) => payload.timestamp);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(new Set(times).size).toBe(times.length);
      expect(times.every((atMs) => atMs >= START_MS && atMs < endMs)).toBe(true);
    }
  });

  it('keeps the comments not deleted, in their last version, as their deliveries told them', () => {
    for (const { comments, deliveries } of histories) {
      const lastSent = new Map<string, { body: string; updated: string } | null>();
      for (const { payload } of deliveries) {
        if (!('comment' in payload)) continue;
        lastSent.set(payload.comment.id, payload.webhookEvent === 'comment_deleted' ? null : payload.comment);
      }
      const kept = [...lastSent].flatMap(([id, comment]) => (comment === null ? [] : [{ id, ...comment }]));

      expect(comments.map(({ id, body, updated }) => ({ id, body: plainTextOf(body), updated }))).toEqual(
        kept.map(({ id, body, updated }) => ({ id, body, updated })),
      );
    }
  });

  it('makes histories like real incidents: open, reopened, edited, long and quiet ones', () => {
    const isReopening = (change: ChangeItem) =>
      change.fieldId === 'status' &&
      (change.fromString === 'Resolved' || change.fromString === 'Postmortem') &&
      change.toString === 'Investigating';
    const isReopened = ({ changelog }: SimulatedIssueHistory) =>
      changelog.some(({ items }) => items.some(isReopening));
    const openStatusIds = INCIDENT_STATUSES.slice(0, 5).map(({ id }) => id);
    const openShare =
      histories.filter(({ issue }) => openStatusIds.includes(issue.fields.status.id)).length / 250;
    const events = histories.flatMap(({ deliveries }) =>
      deliveries.map(({ payload }) => payload.webhookEvent),
    );

    expect(openShare).toBeGreaterThan(0.1);
    expect(openShare).toBeLessThan(0.35);
    expect(histories.filter(isReopened).length).toBeGreaterThan(10);
    expect(histories.filter(({ changelog }) => changelog.length > 100).length).toBeGreaterThan(0);
    expect(histories.filter(({ comments }) => comments.length > 100).length).toBeGreaterThan(0);
    expect(events).toContain('comment_updated');
    expect(events).toContain('comment_deleted');
    for (const { issue, deliveries } of histories) {
      expect(issue.fields.issuetype.name).toBe('Incident');
      expect(issue.fields.labels).toContain('incident');
      expect(['Detected', 'Declared']).toContain(deliveries[0]?.payload.issue.fields.status.name);
    }
  });
});
