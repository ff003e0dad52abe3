import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ChangelogHistory,
  createSeededRandom,
  DETECTED,
  INCIDENT_STATUSES,
  INCIDENT_TYPE,
  type JiraUser,
  jiraTime,
  MEDIUM_PRIORITY,
  parseJiraTime,
  type SimulatedIssueFields,
  type SimulatedIssueHistory,
} from './jira-history.ts';
import { compileJql, type JqlSite, UNBOUNDED_QUERY } from './jira-jql.ts';
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
  /** The site's clock, for relative JQL dates and the times of comments posted (default Date.now). */
  readonly nowMs?: () => number;
  /** Answer this fraction of authorised requests with this status, chosen by a seeded pseudo-random draw. */
  readonly failureRate?: { readonly status: number; readonly fraction: number; readonly seed?: number };
  /** The issue types JQL may name (default Incident, [System] Incident, Task, Bug, Story, plus seeded ones). */
  readonly issueTypes?: readonly string[];
  /** The projects JQL may name besides those of stored issues (default OPS). */
  readonly projectKeys?: readonly string[];
}

/** A comment as the simulator stores it, with its text (every text node joined) for assertions. */
export interface SimulatedComment {
  readonly id: string;
  readonly authorAccountId: string;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

/** The endpoints counted apart; 'search' is the removed /rest/api/{2,3}/search. */
export const JIRA_ENDPOINTS = [
  'search/jql',
  'search/approximate-count',
  'search',
  'changelog',
  'comment',
  'issue',
  'other',
] as const;
export type JiraEndpoint = (typeof JIRA_ENDPOINTS)[number];

type Json = Record<string, unknown>;

/** A refusal in Jira's error shape: `{ errorMessages, errors }`. */
interface Refusal {
  readonly status: number;
  readonly errorMessages: readonly string[];
  readonly errors: Readonly<Record<string, string>>;
  readonly headers?: Record<string, string>;
}

interface Reply {
  readonly status: number;
  readonly body: Json;
}

interface StoredComment {
  readonly id: string;
  readonly author: JiraUser;
  readonly updateAuthor: JiraUser;
  readonly body: Json;
  readonly createdMs: number;
  readonly updatedMs: number;
}

interface StoredIssue {
  readonly id: string;
  readonly key: string;
  fields: SimulatedIssueFields;
  readonly changelog: ChangelogHistory[];
  readonly comments: StoredComment[];
}

const BOT_ACCOUNT_ID = 'incident-flow-bot';
const MAX_COMMENTS_PER_PAGE = 100;
const MAX_CHANGELOG_PER_PAGE = 100;
const DEFAULT_SEARCH_PAGE = 50;
const MAX_SEARCH_PAGE = 100;
/** The enhanced search pages up to 5000 issues when only ids or keys are asked for. */
const MAX_SEARCH_PAGE_OF_IDS = 5000;
const FIRST_COMMENT_ID = 10_000;
const DEFAULT_ISSUE_TYPES = ['Incident', '[System] Incident', 'Task', 'Bug', 'Story'];
const SEARCH_REMOVED =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const refusal = (status: number, errorMessages: string[], errors: Record<string, string> = {}): Refusal => ({
  status,
  errorMessages,
  errors,
});

const ok = (body: Json, status = 200): Reply => ({ status, body });

const noIssue = () => refusal(404, ['Issue does not exist or you do not have permission to see it.'], {});

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

/** Which counter a path belongs to, and the issue it names. */
function endpointOf(pathname: string): { endpoint: JiraEndpoint; idOrKey?: string } {
  if (/^\/rest\/api\/3\/search\/jql\/?$/.test(pathname)) return { endpoint: 'search/jql' };
  if (/^\/rest\/api\/3\/search\/approximate-count\/?$/.test(pathname))
    return { endpoint: 'search/approximate-count' };
  if (/^\/rest\/api\/[23]\/search\/?$/.test(pathname)) return { endpoint: 'search' };
  const match = /^\/rest\/api\/3\/issue\/([^/]+)(?:\/(changelog|comment))?\/?$/.exec(pathname);
  if (match === null) return { endpoint: 'other' };
  const idOrKey = decodeURIComponent(match[1] ?? '');
  return { endpoint: match[2] === 'changelog' || match[2] === 'comment' ? match[2] : 'issue', idOrKey };
}

/** The `fields` of a request, whether repeated, comma-separated or a JSON array; undefined when absent. */
function requestedFields(values: readonly unknown[]): string[] | undefined {
  const names = values
    .filter((value): value is string => typeof value === 'string')
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  return names.length > 0 ? names : undefined;
}

/** Jira's field selection: names, `*all` or `*navigable`, and `-name` to leave one out. */
function selectFields(fields: SimulatedIssueFields, requested: readonly string[]): Json {
  const excluded = new Set(requested.filter((name) => name.startsWith('-')).map((name) => name.slice(1)));
  const named = new Set(requested.filter((name) => !name.startsWith('-') && !name.startsWith('*')));
  const everything =
    requested.includes('*all') || requested.includes('*navigable') || (named.size === 0 && excluded.size > 0);
  return Object.fromEntries(
    Object.entries(fields).filter(([name]) => (everything || named.has(name)) && !excluded.has(name)),
  );
}

/** startAt and maxResults as Jira reads them: a maxResults over the endpoint's limit is lowered, not refused. */
function pagingOf(query: URLSearchParams, limit: number): { startAt: number; maxResults: number } | Refusal {
  const startAt = Number(query.get('startAt') ?? 0);
  const askedMax = Number(query.get('maxResults') ?? limit);
  if (!Number.isInteger(startAt) || startAt < 0)
    return refusal(400, [`The value '${query.get('startAt')}' is invalid for startAt.`]);
  if (!Number.isInteger(askedMax))
    return refusal(400, [`The value '${query.get('maxResults')}' is invalid for maxResults.`]);
  return { startAt, maxResults: Math.min(Math.max(askedMax, 0), limit) };
}

const isRefusal = (value: { startAt: number; maxResults: number } | Refusal): value is Refusal =>
  'errorMessages' in value;

/** An opaque page token, bound to its query so a token cannot be replayed against another. */
const queryHash = (jql: string) => createHash('sha256').update(jql).digest('base64url').slice(0, 16);

const pageTokenOf = (offset: number, jql: string) =>
  Buffer.from(JSON.stringify({ offset, query: queryHash(jql) })).toString('base64url');

function offsetOfToken(token: string, jql: string): number | null {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!isObject(decoded) || decoded.query !== queryHash(jql)) return null;
    return typeof decoded.offset === 'number' && Number.isInteger(decoded.offset) ? decoded.offset : null;
  } catch {
    return null;
  }
}

/**
 * Jira Cloud's REST API v3 over HTTP, as jira.js v6 calls it: Basic auth (email and API token); issues
 * with their fields, changelog and comments (ADF bodies, startAt/maxResults pagination); the enhanced
 * JQL search with nextPageToken over a strict subset of JQL; Jira's error bodies; a rate limit answered
 * by 429 and Retry-After; and failures injected on demand, so adapters are tested through the real client.
 */
export async function startJiraSimulator(options: JiraSimulatorOptions = {}) {
  const email = options.email ?? 'bot@example.com';
  const apiToken = options.apiToken ?? 'test-token';
  const expectedAuthorization = `Basic ${Buffer.from(`${email}:${apiToken}`, 'utf8').toString('base64')}`;
  const bucket = createTokenBucket(options.requestsPerSecond ?? 10, options.burst ?? 10);
  const now = options.nowMs ?? Date.now;
  const failureDraw = createSeededRandom(options.failureRate?.seed ?? 1);
  const issues = new Map<string, StoredIssue>();
  const served = { requestCount: 0, rateLimitedCount: 0 };
  const servedByEndpoint = Object.fromEntries(JIRA_ENDPOINTS.map((endpoint) => [endpoint, 0])) as Record<
    JiraEndpoint,
    number
  >;
  const injected: Refusal[] = [];
  let stormEndsAtMs = 0;
  let nextCommentId = FIRST_COMMENT_ID;
  let baseUrl = '';

  // Jira reads keys in any case: /issue/ops-1 is OPS-1.
  const issueOf = (idOrKey: string) =>
    issues.get(idOrKey.toUpperCase()) ?? [...issues.values()].find((issue) => issue.id === idOrKey);

  const userOf = (accountId: string): JiraUser => ({
    self: `${baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`,
    accountId,
    displayName: accountId === BOT_ACCOUNT_ID ? 'Incident Flow' : accountId,
    active: true,
    accountType: accountId === BOT_ACCOUNT_ID ? 'app' : 'atlassian',
    timeZone: 'Etc/UTC',
  });

  const issueSelf = (issue: StoredIssue) => `${baseUrl}/rest/api/3/issue/${issue.id}`;

  const commentResponse = (issue: StoredIssue, comment: StoredComment): Json => ({
    self: `${issueSelf(issue)}/comment/${comment.id}`,
    id: comment.id,
    author: comment.author,
    body: comment.body,
    updateAuthor: comment.updateAuthor,
    created: jiraTime(comment.createdMs),
    updated: jiraTime(comment.updatedMs),
    jsdPublic: true,
  });

  /** Jira bumps an issue's `updated` when a comment is added, which a reconciler's JQL then finds. */
  function touch(issue: StoredIssue, atMs: number) {
    issue.fields = { ...issue.fields, updated: jiraTime(atMs) };
  }

  function storeComment(issue: StoredIssue, body: Json, authorAccountId: string): StoredComment {
    const author = userOf(authorAccountId);
    const createdMs = now();
    const comment = {
      id: String(nextCommentId),
      author,
      updateAuthor: author,
      body,
      createdMs,
      updatedMs: createdMs,
    };
    nextCommentId += 1;
    issue.comments.push(comment);
    touch(issue, createdMs);
    return comment;
  }

  function listComments(issue: StoredIssue, query: URLSearchParams): Reply | Refusal {
    const paging = pagingOf(query, MAX_COMMENTS_PER_PAGE);
    if (isRefusal(paging)) return paging;
    const { startAt, maxResults } = paging;
    const orderBy = query.get('orderBy') ?? 'created';
    const ordered = orderBy === '-created' ? [...issue.comments].reverse() : issue.comments;
    return ok({
      startAt,
      maxResults,
      total: issue.comments.length,
      comments: ordered
        .slice(startAt, startAt + maxResults)
        .map((comment) => commentResponse(issue, comment)),
    });
  }

  function listChangelog(issue: StoredIssue, query: URLSearchParams): Reply | Refusal {
    const paging = pagingOf(query, MAX_CHANGELOG_PER_PAGE);
    if (isRefusal(paging)) return paging;
    const { startAt, maxResults } = paging;
    const values = issue.changelog.slice(startAt, startAt + maxResults);
    const total = issue.changelog.length;
    const isLast = startAt + values.length >= total;
    const pageUrl = (from: number) =>
      `${baseUrl}/rest/api/3/issue/${issue.key}/changelog?startAt=${from}&maxResults=${maxResults}`;
    return ok({
      self: pageUrl(startAt),
      ...(isLast ? {} : { nextPage: pageUrl(startAt + values.length) }),
      maxResults,
      startAt,
      total,
      isLast,
      values,
    });
  }

  function getIssue(issue: StoredIssue, query: URLSearchParams): Reply {
    const requested = requestedFields(query.getAll('fields')) ?? ['*all'];
    return ok({
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: issueSelf(issue),
      key: issue.key,
      fields: selectFields(issue.fields, requested),
    });
  }

  function siteOf(): JqlSite {
    const stored = [...issues.values()];
    const lowered = (values: readonly (string | undefined)[]) =>
      new Set(values.filter((value) => value !== undefined).map((value) => value.toLowerCase()));
    return {
      nowMs: now(),
      issueTypes: lowered([
        ...(options.issueTypes ?? DEFAULT_ISSUE_TYPES),
        ...stored.flatMap(({ fields }) => [fields.issuetype.name, fields.issuetype.id]),
      ]),
      statuses: lowered([
        ...INCIDENT_STATUSES.flatMap(({ id, name }) => [id, name]),
        ...stored.flatMap(({ fields }) => [fields.status.name, fields.status.id]),
      ]),
      projects: lowered([
        ...(options.projectKeys ?? ['OPS']),
        ...stored.flatMap(({ fields }) => [fields.project.key, fields.project.name, fields.project.id]),
      ]),
      keys: lowered(stored.map(({ key }) => key)),
    };
  }

  /** The enhanced search: no `total`, an opaque nextPageToken, only ids unless fields are asked for. */
  function searchIssues(request: SearchRequest): Reply | Refusal {
    if (request.jql !== undefined && typeof request.jql !== 'string')
      return refusal(400, ['The JQL query must be a string.']);
    const jql = request.jql ?? '';
    const query = compileJql(jql, siteOf());
    if (query.kind === 'refused') return refusal(400, [query.message]);
    let offset = 0;
    if (request.nextPageToken !== undefined) {
      const decoded = offsetOfToken(String(request.nextPageToken), jql);
      if (decoded === null)
        return refusal(400, ['The nextPageToken is invalid or was issued for another query.']);
      offset = decoded;
    }
    const maxResults = Number(request.maxResults ?? DEFAULT_SEARCH_PAGE);
    if (!Number.isInteger(maxResults))
      return refusal(400, [`The value '${String(request.maxResults)}' is invalid for maxResults.`]);
    const fields = requestedFields(request.fields) ?? ['id'];
    const onlyIdentifiers = fields.every((name) => name === 'id' || name === 'key');
    const pageSize = Math.min(
      Math.max(maxResults, 1),
      onlyIdentifiers ? MAX_SEARCH_PAGE_OF_IDS : MAX_SEARCH_PAGE,
    );
    const matched = [...issues.values()].filter(query.matches).sort(query.compare);
    const page = matched.slice(offset, offset + pageSize);
    const isLast = offset + page.length >= matched.length;
    return ok({
      issues: page.map((issue) =>
        fields.length === 1 && fields[0] === 'id'
          ? { id: issue.id }
          : {
              id: issue.id,
              self: issueSelf(issue),
              key: issue.key,
              fields: selectFields(issue.fields, fields),
            },
      ),
      // Like Jira Cloud (JRACLOUD-92184), the last page has no nextPageToken at all rather than a null.
      ...(isLast ? {} : { nextPageToken: pageTokenOf(offset + page.length, jql) }),
      isLast,
    });
  }

  /** An exact count here: Jira's is approximate only in that recent changes may be missing. */
  function countIssues(body: unknown): Reply | Refusal {
    const jql = isObject(body) ? body.jql : undefined;
    if (typeof jql !== 'string') return refusal(400, [UNBOUNDED_QUERY]);
    const query = compileJql(jql, siteOf());
    if (query.kind === 'refused') return refusal(400, [query.message]);
    return ok({ count: [...issues.values()].filter(query.matches).length });
  }

  function route(method: string, url: URL, body: unknown): Reply | Refusal {
    const { endpoint, idOrKey } = endpointOf(url.pathname);
    if (endpoint === 'search') return refusal(410, [SEARCH_REMOVED]);
    if (endpoint === 'search/approximate-count')
      return method === 'POST' ? countIssues(body) : refusal(405, ['Method Not Allowed']);
    if (endpoint === 'search/jql') {
      if (method === 'GET') return searchIssues(searchRequestOfQuery(url.searchParams));
      if (method !== 'POST') return refusal(405, ['Method Not Allowed']);
      return isObject(body) ? searchIssues(searchRequestOfBody(body)) : refusal(400, ['No content to map.']);
    }
    if (endpoint === 'other' || idOrKey === undefined) return refusal(404, [`null for uri: ${url.href}`]);
    const isCommentPost = endpoint === 'comment' && method === 'POST';
    if (method !== 'GET' && !isCommentPost) return refusal(405, ['Method Not Allowed']);
    const issue = issueOf(idOrKey);
    if (issue === undefined) return noIssue();
    if (endpoint === 'issue') return getIssue(issue, url.searchParams);
    if (endpoint === 'changelog') return listChangelog(issue, url.searchParams);
    if (method === 'GET') return listComments(issue, url.searchParams);
    const commentBody = isObject(body) ? body.body : undefined;
    if (!isAdfDoc(commentBody)) return refusal(400, [], { comment: 'Comment body is not valid!' });
    return ok(commentResponse(issue, storeComment(issue, commentBody, BOT_ACCOUNT_ID)), 201);
  }

  function rateLimited(retryAfterSeconds: number): Refusal {
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

  /** A refusal for a request that was not let through: bad credentials, a rate limit, an injected failure. */
  function refusalBeforeRouting(request: IncomingMessage): Refusal | null {
    if (request.headers.authorization !== expectedAuthorization)
      return refusal(401, ['Client must be authenticated to access this resource.']);
    const stormLeftMs = stormEndsAtMs - performance.now();
    if (stormLeftMs > 0) return rateLimited(Math.max(1, Math.ceil(stormLeftMs / 1000)));
    const retryAfterSeconds = bucket.take();
    if (retryAfterSeconds !== null) return rateLimited(retryAfterSeconds);
    const failure = injected.shift();
    if (failure) return failure;
    const rate = options.failureRate;
    if (rate !== undefined && failureDraw.next() < rate.fraction) return simulatedFailure(rate.status);
    return null;
  }

  async function answer(request: IncomingMessage): Promise<Reply | Refusal> {
    served.requestCount += 1;
    const url = new URL(request.url ?? '/', baseUrl);
    servedByEndpoint[endpointOf(url.pathname).endpoint] += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const refused = refusalBeforeRouting(request);
    if (refused !== null) return refused;
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        return refusal(400, ['Unexpected character in the request body: it is not JSON.']);
      }
    }
    return route(request.method ?? 'GET', url, body);
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

  function refuseDuplicate(id: string, key: string) {
    if (issueOf(key) !== undefined || issueOf(id) !== undefined)
      throw new Error(`the simulator already has an issue ${key} or ${id}: seed each issue once`);
  }

  return {
    /** Pass as the client's `host`: the client appends /rest/api/3/…. */
    baseUrl,
    /** The account id of the API token's user, the author of every comment posted over HTTP. */
    botAccountId: BOT_ACCOUNT_ID,
    /** Adds an issue created now in Detected, with Medium priority and nothing else set; `fields` override. */
    addIssue(issue: {
      readonly id: string;
      readonly key: string;
      readonly summary: string;
      readonly fields?: Partial<SimulatedIssueFields>;
    }) {
      refuseDuplicate(issue.id, issue.key);
      const projectKey = issue.key.replace(/-\d+$/, '');
      const createdAt = jiraTime(now());
      const fields: SimulatedIssueFields = {
        summary: issue.summary,
        description: null,
        issuetype: INCIDENT_TYPE,
        project: { id: '10000', key: projectKey, name: projectKey },
        status: DETECTED,
        priority: MEDIUM_PRIORITY,
        assignee: null,
        reporter: null,
        creator: null,
        components: [],
        labels: [],
        created: createdAt,
        updated: createdAt,
        ...issue.fields,
      };
      issues.set(issue.key.toUpperCase(), {
        id: issue.id,
        key: issue.key,
        fields,
        changelog: [],
        comments: [],
      });
    },
    /** Stores a generated issue as it ends: its fields, changelog and remaining comments. */
    seedIssue(history: SimulatedIssueHistory) {
      const { id, key, fields } = history.issue;
      refuseDuplicate(id, key);
      const comments = history.comments.map((comment) => ({
        id: comment.id,
        author: comment.author,
        updateAuthor: comment.updateAuthor,
        body: comment.body,
        createdMs: parseJiraTime(comment.created),
        updatedMs: parseJiraTime(comment.updated),
      }));
      issues.set(key.toUpperCase(), { id, key, fields, changelog: [...history.changelog], comments });
      // Comments posted later must not reuse a seeded id.
      nextCommentId = Math.max(nextCommentId, ...comments.map((comment) => Number(comment.id) + 1));
    },
    /** Deletes an issue: it answers 404 everywhere from now on and leaves every search. */
    deleteIssue(key: string) {
      issues.delete(requireIssue(key).key.toUpperCase());
    },
    /** Seeds a comment as someone else wrote it (by default a person, 'human-1'); returns its id. */
    addComment(key: string, text: string, authorAccountId = 'human-1'): string {
      return storeComment(requireIssue(key), paragraphDoc(text), authorAccountId).id;
    },
    /** An issue's comments, oldest first. */
    comments(key: string): SimulatedComment[] {
      return requireIssue(key).comments.map(({ id, author, body }) => ({
        id,
        authorAccountId: author.accountId,
        body,
        text: textOf(body),
      }));
    },
    /** Every request received, including refused ones. */
    get requestCount() {
      return served.requestCount;
    },
    /** Every request received, by endpoint, including refused ones. */
    get requestCountByEndpoint(): Readonly<Record<JiraEndpoint, number>> {
      return { ...servedByEndpoint };
    },
    /** The 429s served, by the rate limit or a storm. */
    get rateLimitedCount() {
      return served.rateLimitedCount;
    },
    /** Answer the next `count` authorised, non-rate-limited requests with this status (a 500, a 503…). */
    failNext(count: number, status = 500) {
      for (let i = 0; i < count; i += 1) injected.push(simulatedFailure(status));
    },
    /** Answer every authorised request with 429 for `durationMs`, Retry-After counting down to its end. */
    rateLimitStorm(durationMs: number) {
      stormEndsAtMs = performance.now() + durationMs;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type JiraSimulator = Awaited<ReturnType<typeof startJiraSimulator>>;

function simulatedFailure(status: number): Refusal {
  const failure = refusal(status, [status >= 500 ? 'Internal server error' : 'Simulated failure.']);
  // Jira sends Retry-After with every 429, so an injected one carries it too.
  return status === 429 ? { ...failure, headers: { 'retry-after': '1' } } : failure;
}

interface SearchRequest {
  readonly jql?: unknown;
  readonly nextPageToken?: unknown;
  readonly maxResults?: unknown;
  readonly fields: readonly unknown[];
}

function searchRequestOfQuery(query: URLSearchParams): SearchRequest {
  return {
    jql: query.get('jql') ?? undefined,
    nextPageToken: query.get('nextPageToken') ?? undefined,
    maxResults: query.get('maxResults') ?? undefined,
    fields: query.getAll('fields'),
  };
}

function searchRequestOfBody(body: Json): SearchRequest {
  return {
    jql: body.jql,
    nextPageToken: body.nextPageToken,
    maxResults: body.maxResults,
    fields: Array.isArray(body.fields) ? body.fields : [],
  };
}
