import { inspect } from 'node:util';
import { createCloudClient } from 'jira.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createJiraIssueTracker, type JiraIssueTrackerOptions } from '#shared/adapters/jira-issue-tracker.ts';
import { UpstreamRefusedError, UpstreamUnavailableError } from '#shared/errors.ts';
import { issueTrackerContract } from '../contract/issue-tracker-contract.ts';
import { type JiraSimulatorOptions, startJiraSimulator } from '../simulators/jira-simulator.ts';

const UNLIMITED = { requestsPerSecond: 1000, burst: 1000 };
const ISSUE = { id: '10042', key: 'INC-42', summary: 'Checkout failing' };
const POSTMORTEM = {
  marker: 'incident-flow:postmortem',
  text: 'The postmortem of this incident is drafted:',
  link: { text: 'INC-42: Checkout failing', url: 'https://www.notion.so/INC-42-postmortem-0123456789abcdef' },
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A tracker over the real jira.js client (its defaults: no retries) against a fresh simulator with INC-42. */
async function trackerAgainst(
  simulator: JiraSimulatorOptions = UNLIMITED,
  credentials = { email: 'bot@example.com', apiToken: 'test-token' },
  options: JiraIssueTrackerOptions = {},
) {
  const jira = await startJiraSimulator(simulator);
  closers.push(jira.close);
  jira.addIssue(ISSUE);
  const client = createCloudClient({
    host: jira.baseUrl,
    auth: { type: 'basic', ...credentials },
    // The simulator must answer in the shapes jira.js expects: a drift fails the test, not a warning.
    onSchemaMismatch: 'throw',
  });
  return { jira, tracker: createJiraIssueTracker(client, options) };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

interface AdfLike {
  readonly type: string;
  readonly text?: string;
  readonly marks?: readonly { readonly type: string; readonly attrs?: Record<string, unknown> }[];
  readonly content?: readonly AdfLike[];
}
const textNodesOf = (node: AdfLike): AdfLike[] =>
  node.type === 'text' ? [node] : (node.content ?? []).flatMap(textNodesOf);

issueTrackerContract('the Jira adapter against the Jira simulator', async () => {
  const { jira, tracker } = await trackerAgainst();
  jira.addIssue({ id: '10043', key: 'INC-43', summary: 'Search slow' });
  return tracker;
});

describe('the Jira issue tracker', () => {
  it('posts a comment with the link as a link mark and the marker on its last line', async () => {
    const { jira, tracker } = await trackerAgainst();

    const outcome = await tracker.commentOnce('INC-42', POSTMORTEM);

    const [comment, ...others] = jira.comments('INC-42');
    expect(others).toEqual([]);
    expect(outcome).toEqual({ commentId: comment?.id, created: true });
    expect(comment?.authorAccountId).toBe(jira.botAccountId);
    const nodes = textNodesOf(comment?.body as unknown as AdfLike);
    expect(nodes.find((node) => node.text === POSTMORTEM.link.text)?.marks).toEqual([
      { type: 'link', attrs: { href: POSTMORTEM.link.url } },
    ]);
    expect(nodes[0]?.text).toBe(POSTMORTEM.text);
    expect(nodes.at(-1)?.text).toBe('[incident-flow:postmortem]');
  });

  it('finds its comment on the second page of 151 and does not post it again', async () => {
    const { jira, tracker } = await trackerAgainst();
    for (let i = 1; i <= 150; i += 1) jira.addComment('INC-42', `Update ${i}`);
    const first = await tracker.commentOnce('INC-42', POSTMORTEM);

    const second = await tracker.commentOnce('INC-42', POSTMORTEM);

    expect(first.created).toBe(true);
    expect(second).toEqual({ commentId: first.commentId, created: false });
    expect(jira.comments('INC-42')).toHaveLength(151);
    expect(jira.comments('INC-42').at(-1)?.id).toBe(first.commentId);
  });

  it('posts one comment per marker', async () => {
    const { jira, tracker } = await trackerAgainst();
    await tracker.commentOnce('INC-42', POSTMORTEM);

    const outcome = await tracker.commentOnce('INC-42', {
      marker: 'incident-flow:resolved',
      text: 'Resolved.',
    });

    expect(outcome.created).toBe(true);
    expect(jira.comments('INC-42').map((comment) => comment.text)).toEqual([
      `${POSTMORTEM.text} ${POSTMORTEM.link.text}[incident-flow:postmortem]`,
      'Resolved.[incident-flow:resolved]',
    ]);
  });

  it("does not take a person's comment quoting the marker for its own when it knows its account", async () => {
    const { jira, tracker } = await trackerAgainst(UNLIMITED, undefined, {
      ownAccountId: 'incident-flow-bot',
    });
    jira.addComment('INC-42', 'Why did the bot write [incident-flow:postmortem]?', 'human-1');

    const outcome = await tracker.commentOnce('INC-42', POSTMORTEM);

    expect(outcome.created).toBe(true);
    expect(jira.comments('INC-42')).toHaveLength(2);
  });

  it('reports a 429 as upstream unavailable with Retry-After, which jira.js does not retry', async () => {
    const { jira, tracker } = await trackerAgainst({ requestsPerSecond: 0.5, burst: 1 });

    const error = await rejectionOf(tracker.commentOnce('INC-42', POSTMORTEM));

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as UpstreamUnavailableError).retryAfterMs).toBe(2000);
    expect(jira.rateLimitedCount).toBe(1);
    expect(jira.requestCount).toBe(2);
    expect(jira.comments('INC-42')).toEqual([]);
  });

  it('reports a 500 as upstream unavailable, without a retry', async () => {
    const { jira, tracker } = await trackerAgainst();
    jira.failNext(1, 500);

    const error = await rejectionOf(tracker.commentOnce('INC-42', POSTMORTEM));

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as UpstreamUnavailableError).retryAfterMs).toBeNull();
    expect(jira.requestCount).toBe(1);
  });

  it('names the Jira secret, and never the token, when the credentials are refused', async () => {
    const apiToken = 'ATATT-wrong-token-3xFf';
    const { tracker } = await trackerAgainst(UNLIMITED, { email: 'bot@example.com', apiToken });

    const error = await rejectionOf(tracker.commentOnce('INC-42', POSTMORTEM));

    expect(error).toBeInstanceOf(UpstreamRefusedError);
    expect(error).not.toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toMatch(/check the Jira email and API token in the Jira secret/);
    const everything = inspect(error, { depth: 10 });
    expect(everything).not.toContain(apiToken);
    expect(everything).not.toContain(Buffer.from(`bot@example.com:${apiToken}`).toString('base64'));
  });

  it('names an issue Jira does not have', async () => {
    const { tracker } = await trackerAgainst();

    const error = await rejectionOf(tracker.commentOnce('INC-404', POSTMORTEM));

    expect(error).toBeInstanceOf(UpstreamRefusedError);
    expect(error).not.toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toMatch(
      /INC-404.*Issue does not exist or you do not have permission to see it/,
    );
  });

  it('refuses a marker that could not be found again', async () => {
    const { jira, tracker } = await trackerAgainst();

    const error = await rejectionOf(tracker.commentOnce('INC-42', { ...POSTMORTEM, marker: 'a] b' }));

    expect((error as Error).message).toMatch(/marker/);
    expect(jira.requestCount).toBe(0);
  });
});
