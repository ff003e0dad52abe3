import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenBucket } from './token-bucket.ts';

export interface JiraSimulatorOptions {
  /** The account email accepted in Basic auth (default 'bot@example.com'). */
  readonly email?: string;
  /** The API token accepted in Basic auth (default 'test-token'). */
  readonly apiToken?: string;
  /** Token-bucket refill rate (default 10 a second: Jira's burst limits are per endpoint and undocumented). */
  readonly requestsPerSecond?: number;
  /** Bucket size, the burst allowed beyond the average (default 10). */
  readonly burst?: number;
}

/** A comment as the simulator stores it, with its text (every text node joined) for assertions. */
export interface SimulatedComment {
  readonly id: string;
  readonly authorAccountId: string;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

type Json = Record<string, unknown>;

/** A refusal in Jira's error shape: `{ errorMessages, errors }`. */
interface Refusal {
  readonly status: number;
  readonly errorMessages: readonly string[];
  readonly errors: Readonly<Record<string, string>>;
  readonly headers?: Record<string, string>;
}

interface StoredComment {
  readonly id: string;
  readonly authorAccountId: string;
  readonly body: Json;
  readonly createdMs: number;
}

interface StoredIssue {
  readonly id: string;
  readonly key: string;
  readonly summary: string;
  readonly comments: StoredComment[];
}

const BOT_ACCOUNT_ID = 'incident-flow-bot';
const MAX_COMMENTS_PER_PAGE = 100;
const FIRST_COMMENT_ID = 10_000;

const isRefusal = (outcome: Json | Refusal): outcome is Refusal =>
  typeof outcome.status === 'number' && Array.isArray(outcome.errorMessages) && isObject(outcome.errors);

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const refusal = (status: number, errorMessages: string[], errors: Record<string, string> = {}): Refusal => ({
  status,
  errorMessages,
  errors,
});

const noIssue = () => refusal(404, ['Issue does not exist or you do not have permission to see it.'], {});

/** Jira's timestamps: milliseconds and a numeric offset without a colon ('2026-11-02T09:00:00.000+0000'). */
const jiraTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/**
 * Checks an ADF node the way Jira's comment endpoint does, near enough: a doc of version 1 whose nodes
 * have a type, text nodes non-empty text, marks a type and link marks an href. False when it is not.
 */
function isAdfNode(node: unknown, depth = 0): boolean {
  if (!isObject(node) || typeof node.type !== 'string' || depth > 20) return false;
  if (node.type === 'text' && (typeof node.text !== 'string' || node.text.length === 0)) return false;
  if (node.marks !== undefined) {
    if (!Array.isArray(node.marks)) return false;
    for (const mark of node.marks) {
      if (!isObject(mark) || typeof mark.type !== 'string') return false;
      if (mark.type === 'link' && !(isObject(mark.attrs) && typeof mark.attrs.href === 'string'))
        return false;
    }
  }
  if (node.content === undefined) return true;
  return Array.isArray(node.content) && node.content.every((child) => isAdfNode(child, depth + 1));
}

const isAdfDoc = (body: unknown): body is Json =>
  isObject(body) &&
  body.type === 'doc' &&
  body.version === 1 &&
  Array.isArray(body.content) &&
  isAdfNode(body);

function textOf(node: unknown): string {
  if (!isObject(node)) return '';
  const own = typeof node.text === 'string' ? node.text : '';
  const children = Array.isArray(node.content) ? node.content.map(textOf).join('') : '';
  return own + children;
}

/** A one-paragraph ADF document, for seeding comments. */
const paragraphDoc = (text: string): Json => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

/**
 * Jira Cloud's REST API v3 over HTTP, as jira.js v6 calls it: Basic auth (email and API token), issues
 * seeded by the test, and their comments (ADF bodies, startAt/maxResults/total pagination), with Jira's
 * error bodies and a rate limit answered by 429 and Retry-After, so the Jira adapter is tested through
 * the real client.
 */
export async function startJiraSimulator(options: JiraSimulatorOptions = {}) {
  const email = options.email ?? 'bot@example.com';
  const apiToken = options.apiToken ?? 'test-token';
  const expectedAuthorization = `Basic ${Buffer.from(`${email}:${apiToken}`, 'utf8').toString('base64')}`;
  const bucket = createTokenBucket(options.requestsPerSecond ?? 10, options.burst ?? 10);
  const issues = new Map<string, StoredIssue>();
  const served = { requestCount: 0, rateLimitedCount: 0 };
  const injected: Refusal[] = [];
  let nextCommentId = FIRST_COMMENT_ID;
  let baseUrl = '';

  const issueOf = (idOrKey: string) =>
    issues.get(idOrKey) ?? [...issues.values()].find((issue) => issue.id === idOrKey);

  const userOf = (accountId: string) => ({
    self: `${baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`,
    accountId,
    displayName: accountId === BOT_ACCOUNT_ID ? 'Incident Flow' : accountId,
    active: true,
    accountType: accountId === BOT_ACCOUNT_ID ? 'app' : 'atlassian',
    timeZone: 'Etc/UTC',
  });

  const commentResponse = (issue: StoredIssue, comment: StoredComment): Json => ({
    self: `${baseUrl}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author: userOf(comment.authorAccountId),
    body: comment.body,
    updateAuthor: userOf(comment.authorAccountId),
    created: jiraTime(comment.createdMs),
    updated: jiraTime(comment.createdMs),
    jsdPublic: true,
  });

  function storeComment(issue: StoredIssue, body: Json, authorAccountId: string): StoredComment {
    const comment = { id: String(nextCommentId), authorAccountId, body, createdMs: Date.now() };
    nextCommentId += 1;
    issue.comments.push(comment);
    return comment;
  }

  /** Offset pagination as Jira does it: a maxResults over the endpoint's limit is lowered, not refused. */
  function listComments(issue: StoredIssue, query: URLSearchParams): Json | Refusal {
    const startAt = Number(query.get('startAt') ?? 0);
    const askedMax = Number(query.get('maxResults') ?? MAX_COMMENTS_PER_PAGE);
    if (!Number.isInteger(startAt) || startAt < 0)
      return refusal(400, [`The value '${query.get('startAt')}' is invalid for startAt.`]);
    if (!Number.isInteger(askedMax))
      return refusal(400, [`The value '${query.get('maxResults')}' is invalid for maxResults.`]);
    const maxResults = Math.min(Math.max(askedMax, 0), MAX_COMMENTS_PER_PAGE);
    const orderBy = query.get('orderBy') ?? 'created';
    const ordered = orderBy === '-created' ? [...issue.comments].reverse() : issue.comments;
    return {
      startAt,
      maxResults,
      total: issue.comments.length,
      comments: ordered.slice(startAt, startAt + maxResults).map((c) => commentResponse(issue, c)),
    };
  }

  function route(method: string, url: URL, body: unknown): Json | Refusal {
    const match = /^\/rest\/api\/3\/issue\/([^/]+)(\/comment)?\/?$/.exec(url.pathname);
    if (match === null) return refusal(404, [`null for uri: ${url.href}`]);
    const issue = issueOf(decodeURIComponent(match[1] ?? ''));
    const isComments = match[2] !== undefined;
    if (!isComments && method !== 'GET') return refusal(405, ['Method Not Allowed']);
    if (isComments && method !== 'GET' && method !== 'POST') return refusal(405, ['Method Not Allowed']);
    if (issue === undefined) return noIssue();
    if (!isComments)
      return {
        expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
        id: issue.id,
        self: `${baseUrl}/rest/api/3/issue/${issue.id}`,
        key: issue.key,
        fields: { summary: issue.summary },
      };
    if (method === 'GET') return listComments(issue, url.searchParams);
    const commentBody = isObject(body) ? body.body : undefined;
    if (!isAdfDoc(commentBody)) return refusal(400, [], { comment: 'Comment body is not valid!' });
    return commentResponse(issue, storeComment(issue, commentBody, BOT_ACCOUNT_ID));
  }

  async function answer(request: IncomingMessage): Promise<{ status: number; body: Json } | Refusal> {
    served.requestCount += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (request.headers.authorization !== expectedAuthorization)
      return refusal(401, ['Client must be authenticated to access this resource.']);
    const retryAfterSeconds = bucket.take();
    if (retryAfterSeconds !== null) {
      served.rateLimitedCount += 1;
      const resetAt = new Date(Date.now() + retryAfterSeconds * 1000).toISOString().slice(0, 16);
      return {
        ...refusal(429, ['Rate limit exceeded.']),
        headers: {
          'retry-after': String(retryAfterSeconds),
          'x-ratelimit-reset': `${resetAt}Z`,
          'x-ratelimit-limit': String(options.requestsPerSecond ?? 10),
          'x-ratelimit-remaining': '0',
          'ratelimit-reason': 'jira-burst-based',
        },
      };
    }
    const failure = injected.shift();
    if (failure) return failure;
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        return refusal(400, ['Unexpected character in the request body: it is not JSON.']);
      }
    }
    const method = request.method ?? 'GET';
    const outcome = route(method, new URL(request.url ?? '/', baseUrl), body);
    return isRefusal(outcome) ? outcome : { status: method === 'POST' ? 201 : 200, body: outcome };
  }

  const server = createServer(async (request, response) => {
    const outcome = await answer(request);
    if (!('body' in outcome)) {
      const { status, errorMessages, errors, headers } = outcome;
      response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
      response.end(JSON.stringify({ errorMessages, errors }));
      return;
    }
    response.writeHead(outcome.status, { 'content-type': 'application/json;charset=UTF-8' });
    response.end(JSON.stringify(outcome.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  function requireIssue(key: string): StoredIssue {
    const issue = issueOf(key);
    if (issue === undefined) throw new Error(`the simulator has no issue ${key}: add it first`);
    return issue;
  }

  return {
    /** Pass as the client's `host`: the client appends /rest/api/3/…. */
    baseUrl,
    /** The account id of the API token's user, the author of every comment posted over HTTP. */
    botAccountId: BOT_ACCOUNT_ID,
    addIssue(issue: { readonly id: string; readonly key: string; readonly summary: string }) {
      issues.set(issue.key, { ...issue, comments: [] });
    },
    /** Seeds a comment as someone else wrote it (by default a person, 'human-1'); returns its id. */
    addComment(key: string, text: string, authorAccountId = 'human-1'): string {
      return storeComment(requireIssue(key), paragraphDoc(text), authorAccountId).id;
    },
    /** An issue's comments, oldest first. */
    comments(key: string): SimulatedComment[] {
      return requireIssue(key).comments.map(({ id, authorAccountId, body }) => ({
        id,
        authorAccountId,
        body,
        text: textOf(body),
      }));
    },
    /** Every request received, including refused ones. */
    get requestCount() {
      return served.requestCount;
    },
    /** The 429s served. */
    get rateLimitedCount() {
      return served.rateLimitedCount;
    },
    /** Answer the next `count` authorised, non-rate-limited requests with this status (a 500, a 503…). */
    failNext(count: number, status = 500) {
      for (let i = 0; i < count; i += 1)
        injected.push(refusal(status, [status >= 500 ? 'Internal server error' : 'Simulated failure.']));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type JiraSimulator = Awaited<ReturnType<typeof startJiraSimulator>>;
