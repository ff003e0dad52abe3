import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ChangelogHistory,
  createSeededRandom,
  DETECTED,
  INCIDENT_STATUSES,
  INCIDENT_TYPE,
  type JiraNamed,
  type JiraStatus,
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
  /** The projects issues may be created in over HTTP (default OPS, with Task and Incident and every create field). */
  readonly projects?: readonly SimulatedProjectSpec[];
  /** The people and apps of the site: assignable, found by user search, mentionable. */
  readonly users?: readonly SimulatedUserSpec[];
  /** Hide every user's email, as Jira Cloud's default profile visibility does. */
  readonly hideEmails?: boolean;
}

/** A project issues are created in: its issue types and the fields on its create and edit screens. */
export interface SimulatedProjectSpec {
  readonly key: string;
  /** Default Task and Incident. */
  readonly issueTypes?: readonly string[];
  /** Default summary, description, assignee, duedate, labels, priority and components. */
  readonly createFields?: readonly string[];
}

/** A user of the site. */
export interface SimulatedUserSpec {
  readonly accountId: string;
  readonly displayName: string;
  readonly email: string;
  /** Default true; a deactivated user cannot be assigned and leaves user search. */
  readonly active?: boolean;
  /** Default 'atlassian' (a person); 'app' for bots and integrations. */
  readonly accountType?: 'atlassian' | 'app';
  /** The profile hides the email: a search still matches it, but no answer shows it. */
  readonly hideEmail?: boolean;
}

/** An issue link as posted: Jira shows `inwardIssue` as "<type.outward> outwardIssue" (A blocks B). */
export interface SimulatedLink {
  readonly id: string;
  readonly type: string;
  readonly inwardIssue: string;
  readonly outwardIssue: string;
}

/** A ticket's fields as GET /rest/api/3/issue answers them, with the due date and the links. */
export type SimulatedTicketFields = SimulatedIssueFields & {
  readonly duedate: string | null;
  readonly issuelinks: readonly Record<string, unknown>[];
};

/** An issue created over HTTP (POST /rest/api/3/issue), as it is now. */
export interface SimulatedTicket {
  readonly id: string;
  readonly key: string;
  readonly fields: SimulatedTicketFields;
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
  'transitions',
  'issueLink',
  'user/search',
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

/** A success; a null body is sent empty (204, or the 201 of a new issue link). */
interface Reply {
  readonly status: number;
  readonly body: Json | readonly Json[] | null;
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
  /** Created over HTTP: it shows the follow-up fields (duedate, issuelinks) a seeded incident leaves out. */
  readonly ticket: boolean;
  dueDate: string | null;
  readonly changelog: ChangelogHistory[];
  readonly comments: StoredComment[];
}

interface Project {
  readonly id: string;
  readonly key: string;
  readonly issueTypes: readonly JiraNamed[];
  readonly createFields: Set<string>;
}

interface User {
  readonly accountId: string;
  readonly displayName: string;
  readonly email: string;
  readonly active: boolean;
  readonly accountType: 'atlassian' | 'app';
  readonly hideEmail: boolean;
}

interface LinkType {
  readonly id: string;
  readonly name: string;
  readonly inward: string;
  readonly outward: string;
}

interface StoredLink {
  readonly id: string;
  readonly type: LinkType;
  readonly inwardIssueId: string;
  readonly outwardIssueId: string;
}

interface Transition {
  readonly id: string;
  readonly name: string;
  readonly to: JiraStatus;
}

const BOT_ACCOUNT_ID = 'incident-flow-bot';
const MAX_COMMENTS_PER_PAGE = 100;
const MAX_CHANGELOG_PER_PAGE = 100;
/**
 * What /search/jql embeds per issue: with expand=changelog only the 40 most recent histories, newest
 * first (JRACLOUD-96459: the enhanced search returns no more than 40; the rest only from
 * /issue/{key}/changelog); the `comment` field at most one comment page, with `total` telling the rest.
 */
const MAX_SEARCH_CHANGELOG = 40;
const MAX_SEARCH_COMMENTS = 100;
const DEFAULT_SEARCH_PAGE = 50;
const MAX_SEARCH_PAGE = 100;
/** The enhanced search pages up to 5000 issues when only ids or keys are asked for. */
const MAX_SEARCH_PAGE_OF_IDS = 5000;
const FIRST_COMMENT_ID = 10_000;
const DEFAULT_ISSUE_TYPES = ['Incident', '[System] Incident', 'Task', 'Bug', 'Story'];
const DEFAULT_PROJECT_ISSUE_TYPES = ['Task', 'Incident'];
const DEFAULT_CREATE_FIELDS = [
  'summary',
  'description',
  'assignee',
  'duedate',
  'labels',
  'priority',
  'components',
];
const FIRST_PROJECT_ID = 10_000;
const FIRST_ISSUE_TYPE_ID = 10_300;
const FIRST_TICKET_ID = 20_000;
const FIRST_LINK_ID = 30_000;
const FIRST_HISTORY_ID = 90_000;
const MAX_SUMMARY_LENGTH = 255;
const DEFAULT_USER_PAGE = 50;
const MAX_USER_PAGE = 1000;
const INCIDENT_TYPE_NAMES = new Set(['incident', '[system] incident']);
const LINK_TYPES: readonly LinkType[] = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
];
const TO_DO: JiraStatus = {
  id: '10020',
  name: 'To Do',
  statusCategory: { id: 2, key: 'new', name: 'To Do' },
};
const IN_PROGRESS: JiraStatus = {
  id: '10021',
  name: 'In Progress',
  statusCategory: { id: 4, key: 'indeterminate', name: 'In Progress' },
};
/** Status names are unique on a site: the tickets' Done is the incidents' Done. */
const DONE: JiraStatus = INCIDENT_STATUSES.find((status) => status.name === 'Done') ?? {
  id: '10008',
  name: 'Done',
  statusCategory: { id: 3, key: 'done', name: 'Done' },
};
const TICKET_STATUSES = [TO_DO, IN_PROGRESS, DONE];
/** The follow-up workflow: To Do → In Progress → Done, and back to To Do. */
const TICKET_WORKFLOW: readonly (Transition & { readonly from: readonly string[] })[] = [
  { id: '11', name: 'Start', from: [TO_DO.id], to: IN_PROGRESS },
  { id: '31', name: 'Done', from: [TO_DO.id, IN_PROGRESS.id], to: DONE },
  { id: '41', name: 'Reopen', from: [IN_PROGRESS.id, DONE.id], to: TO_DO },
];
/** The incident workflow: a global transition into each status, named for it. */
const INCIDENT_WORKFLOW: readonly Transition[] = INCIDENT_STATUSES.map((status, i) => ({
  id: String(101 + i),
  name: status.name,
  to: status,
}));
const NOT_ADF = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
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
 * have a type, text nodes non-empty text, mentions an `attrs.id`, marks a type and link marks an href.
 */
function isAdfNode(node: unknown, depth = 0): boolean {
  if (!isObject(node) || typeof node.type !== 'string' || depth > 20) return false;
  if (node.type === 'text' && (typeof node.text !== 'string' || node.text.length === 0)) return false;
  if (
    node.type === 'mention' &&
    !(isObject(node.attrs) && typeof node.attrs.id === 'string' && node.attrs.id)
  )
    return false;
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
  if (/^\/rest\/api\/3\/issue\/?$/.test(pathname)) return { endpoint: 'issue' };
  if (/^\/rest\/api\/3\/issueLink\/?$/.test(pathname)) return { endpoint: 'issueLink' };
  if (/^\/rest\/api\/3\/user\/search\/?$/.test(pathname)) return { endpoint: 'user/search' };
  const match = /^\/rest\/api\/3\/issue\/([^/]+)(?:\/(changelog|comment|transitions))?\/?$/.exec(pathname);
  if (match === null) return { endpoint: 'other' };
  const idOrKey = decodeURIComponent(match[1] ?? '');
  const sub = match[2];
  return {
    endpoint: sub === 'changelog' || sub === 'comment' || sub === 'transitions' ? sub : 'issue',
    idOrKey,
  };
}

/** The methods each endpoint of one issue answers; anything else is 405. */
const ISSUE_METHODS: Readonly<Record<string, readonly string[]>> = {
  issue: ['GET', 'PUT'],
  changelog: ['GET'],
  comment: ['GET', 'POST'],
  transitions: ['GET', 'POST'],
};

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
function selectFields(fields: Json, requested: readonly string[]): Json {
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
 * Follow-up tickets too: projects with issue types and create screens, issues created and edited with
 * Jira's field errors, a To Do → In Progress → Done workflow with transitions, issue links, users and
 * user search (emails hidden as privacy settings hide them), and @mentions in comments.
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
  const projects = new Map<string, Project>();
  const issueTypes = new Map<string, JiraNamed>([[INCIDENT_TYPE.name.toLowerCase(), INCIDENT_TYPE]]);
  const users = new Map<string, User>();
  const links: StoredLink[] = [];
  let stormEndsAtMs = 0;
  let nextCommentId = FIRST_COMMENT_ID;
  let nextHistoryId = FIRST_HISTORY_ID;
  let baseUrl = '';

  // Jira reads keys in any case: /issue/ops-1 is OPS-1.
  const issueOf = (idOrKey: string) =>
    issues.get(idOrKey.toUpperCase()) ?? [...issues.values()].find((issue) => issue.id === idOrKey);

  const userSelf = (accountId: string) =>
    `${baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`;
  const emailShown = (user: User) => !(user.hideEmail || options.hideEmails === true);

  const userOf = (accountId: string): JiraUser => {
    const known = users.get(accountId);
    if (known === undefined)
      return {
        self: userSelf(accountId),
        accountId,
        displayName: accountId === BOT_ACCOUNT_ID ? 'Incident Flow' : accountId,
        active: true,
        accountType: accountId === BOT_ACCOUNT_ID ? 'app' : 'atlassian',
        timeZone: 'Etc/UTC',
      };
    const user: JiraUser = {
      self: userSelf(accountId),
      accountId,
      displayName: known.displayName,
      active: known.active,
      accountType: known.accountType,
      timeZone: 'Etc/UTC',
    };
    return emailShown(known) ? { ...user, emailAddress: known.email } : user;
  };

  /** An issue type by name, with one id per name across the site. */
  function issueTypeNamed(name: string): JiraNamed {
    const known = issueTypes.get(name.toLowerCase());
    if (known !== undefined) return known;
    const created = { id: String(FIRST_ISSUE_TYPE_ID + issueTypes.size), name };
    issueTypes.set(name.toLowerCase(), created);
    return created;
  }

  function addProject(spec: SimulatedProjectSpec) {
    const key = spec.key.toUpperCase();
    if (projects.has(key)) throw new Error(`the simulator already has a project ${key}`);
    projects.set(key, {
      id: String(FIRST_PROJECT_ID + projects.size),
      key,
      issueTypes: (spec.issueTypes ?? DEFAULT_PROJECT_ISSUE_TYPES).map(issueTypeNamed),
      createFields: new Set(spec.createFields ?? DEFAULT_CREATE_FIELDS),
    });
  }

  function addUser(spec: SimulatedUserSpec) {
    if (users.has(spec.accountId)) throw new Error(`the simulator already has a user ${spec.accountId}`);
    users.set(spec.accountId, {
      accountId: spec.accountId,
      displayName: spec.displayName,
      email: spec.email,
      active: spec.active ?? true,
      accountType: spec.accountType ?? 'atlassian',
      hideEmail: spec.hideEmail ?? false,
    });
  }

  for (const project of options.projects ?? [{ key: 'OPS' }]) addProject(project);
  for (const user of options.users ?? []) addUser(user);

  const projectOf = (issue: StoredIssue): Project =>
    projects.get(issue.fields.project.key.toUpperCase()) ?? {
      id: issue.fields.project.id,
      key: issue.fields.project.key,
      issueTypes: [issue.fields.issuetype],
      createFields: new Set(DEFAULT_CREATE_FIELDS),
    };

  const isAssignable = (accountId: string) => {
    const user = users.get(accountId);
    return user?.active === true && user.accountType === 'atlassian';
  };

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
      fields: fieldsOf(issue, requested),
    });
  }

  /**
   * The issue's fields as REST shows them: a ticket has `duedate` and `issuelinks` always, a seeded
   * issue only once linked or when they are named (so seeded issues read back exactly as seeded).
   */
  function fieldsOf(issue: StoredIssue, requested: readonly string[]): Json {
    const issueLinks = linksOf(issue);
    const all: Json = {
      ...issue.fields,
      ...(issue.ticket ? { duedate: issue.dueDate } : {}),
      ...(issue.ticket || issueLinks.length > 0 ? { issuelinks: issueLinks } : {}),
    };
    const selected = selectFields(all, requested);
    if (requested.includes('issuelinks') && !('issuelinks' in selected)) selected.issuelinks = [];
    if (requested.includes('duedate') && !('duedate' in selected)) selected.duedate = null;
    if (requested.includes('comment')) selected.comment = commentField(issue);
    return selected;
  }

  /** The `comment` field: the first page of comments, oldest first, and how many there are in all. */
  function commentField(issue: StoredIssue): Json {
    return {
      comments: issue.comments
        .slice(0, MAX_SEARCH_COMMENTS)
        .map((comment) => commentResponse(issue, comment)),
      self: `${issueSelf(issue)}/comment`,
      maxResults: MAX_SEARCH_COMMENTS,
      total: issue.comments.length,
      startAt: 0,
    };
  }

  /** What expand=changelog adds to a searched issue: its most recent histories, newest first. */
  function embeddedChangelog(issue: StoredIssue): Json {
    const histories = issue.changelog.slice(-MAX_SEARCH_CHANGELOG).reverse();
    return {
      startAt: 0,
      maxResults: MAX_SEARCH_CHANGELOG,
      total: issue.changelog.length,
      histories,
    };
  }

  const linkTypeJson = (type: LinkType): Json => ({
    ...type,
    self: `${baseUrl}/rest/api/3/issueLinkType/${type.id}`,
  });

  const linkedIssueJson = (issue: StoredIssue): Json => ({
    id: issue.id,
    key: issue.key,
    self: issueSelf(issue),
    fields: {
      summary: issue.fields.summary,
      status: issue.fields.status,
      priority: issue.fields.priority,
      issuetype: issue.fields.issuetype,
    },
  });

  /**
   * The issue's links as its `issuelinks` field lists them: each names the other issue, as
   * `outwardIssue` when this issue was posted as the inward one ("this <outward> that"), else `inwardIssue`.
   */
  function linksOf(issue: StoredIssue): Json[] {
    return links.flatMap((link) => {
      const isInward = link.inwardIssueId === issue.id;
      if (!isInward && link.outwardIssueId !== issue.id) return [];
      const other = issueOf(isInward ? link.outwardIssueId : link.inwardIssueId);
      if (other === undefined) return [];
      return [
        {
          id: link.id,
          self: `${baseUrl}/rest/api/3/issueLink/${link.id}`,
          type: linkTypeJson(link.type),
          [isInward ? 'outwardIssue' : 'inwardIssue']: linkedIssueJson(other),
        },
      ];
    });
  }

  /** The issue referred to by `{ key }` or `{ id }` in a request body. */
  function issueNamedIn(value: unknown): StoredIssue | undefined {
    if (!isObject(value)) return undefined;
    if (typeof value.key === 'string') return issueOf(value.key);
    return typeof value.id === 'string' ? issueOf(value.id) : undefined;
  }

  /** POST /rest/api/3/issue: every field checked as a strict site would, then OPS-<n> in To Do. */
  function createIssue(body: unknown): Reply | Refusal {
    const fields = isObject(body) && isObject(body.fields) ? body.fields : undefined;
    if (fields === undefined) return refusal(400, ['The request must have fields to create an issue.']);
    const project = projectNamedIn(fields.project);
    if (project === undefined) return refusal(400, [], { project: 'valid project is required' });
    const issueType = issueTypeIn(project, fields.issuetype);
    if (issueType === undefined) return refusal(400, [], { issuetype: 'Specify a valid issue type' });
    const errors = fieldErrors(fields, project.createFields, 'create', isAssignable);
    if (Object.keys(errors).length > 0) return refusal(400, [], errors);

    const id = String(
      [...issues.values()].reduce((next, issue) => Math.max(next, Number(issue.id) + 1), FIRST_TICKET_ID),
    );
    const key = `${project.key}-${nextNumberIn(project.key)}`;
    const createdAt = jiraTime(now());
    const bot = userOf(BOT_ACCOUNT_ID);
    const issue: StoredIssue = {
      id,
      key,
      fields: {
        summary: '',
        description: null,
        issuetype: issueType,
        project: { id: project.id, key: project.key, name: project.key },
        status: TO_DO,
        priority: MEDIUM_PRIORITY,
        assignee: null,
        reporter: bot,
        creator: bot,
        components: [],
        labels: [],
        created: createdAt,
        updated: createdAt,
      },
      ticket: true,
      dueDate: null,
      changelog: [],
      comments: [],
    };
    applyFields(issue, fields);
    issues.set(key, issue);
    return ok({ id, key, self: issueSelf(issue) }, 201);
  }

  function projectNamedIn(value: unknown): Project | undefined {
    if (!isObject(value)) return undefined;
    if (typeof value.key === 'string') return projects.get(value.key.toUpperCase());
    return [...projects.values()].find((project) => project.id === value.id);
  }

  const issueTypeIn = (project: Project, value: unknown) =>
    isObject(value)
      ? project.issueTypes.find((type) => type.name === value.name || type.id === value.id)
      : undefined;

  function nextNumberIn(projectKey: string): number {
    const prefix = `${projectKey}-`;
    const highest = [...issues.values()]
      .filter((issue) => issue.key.toUpperCase().startsWith(prefix))
      .reduce((max, issue) => Math.max(max, Number(issue.key.slice(prefix.length)) || 0), 0);
    return highest + 1;
  }

  /** Applies checked fields; the ones the simulator keeps no model of (priority, components) are ignored. */
  function applyFields(issue: StoredIssue, fields: Json) {
    const assignee = fields.assignee;
    issue.fields = {
      ...issue.fields,
      ...(typeof fields.summary === 'string' ? { summary: fields.summary } : {}),
      ...('description' in fields && (fields.description === null || isAdfDoc(fields.description))
        ? { description: fields.description as SimulatedIssueFields['description'] }
        : {}),
      ...(assignee === null ? { assignee: null } : {}),
      ...(isObject(assignee) && typeof assignee.accountId === 'string'
        ? { assignee: userOf(assignee.accountId) }
        : {}),
      ...(Array.isArray(fields.labels) ? { labels: fields.labels.map(String) } : {}),
      updated: jiraTime(now()),
    };
    if (fields.duedate === null || typeof fields.duedate === 'string') issue.dueDate = fields.duedate;
  }

  /** PUT /rest/api/3/issue/{key}: the fields on the edit screen (here the create screen's), checked alike. */
  function editIssue(issue: StoredIssue, body: unknown): Reply | Refusal {
    if (!isObject(body)) return refusal(400, ['No content to map.']);
    if (body.update !== undefined)
      return refusal(400, ["The simulator does not support 'update' operations: set `fields`."]);
    const fields = isObject(body.fields) ? body.fields : {};
    const errors = fieldErrors(fields, projectOf(issue).createFields, 'edit', isAssignable);
    if (Object.keys(errors).length > 0) return refusal(400, [], errors);
    applyFields(issue, fields);
    return { status: 204, body: null };
  }

  const statusJson = (status: JiraStatus): Json => ({
    self: `${baseUrl}/rest/api/3/status/${status.id}`,
    description: '',
    ...status,
  });

  /** The transitions out of the issue's status: the follow-up workflow, or the incident board's. */
  function transitionsOf(issue: StoredIssue): readonly Transition[] {
    const current = issue.fields.status.id;
    if (INCIDENT_TYPE_NAMES.has(issue.fields.issuetype.name.toLowerCase()))
      return INCIDENT_WORKFLOW.filter((transition) => transition.to.id !== current);
    return TICKET_WORKFLOW.filter((transition) => transition.from.includes(current));
  }

  function listTransitions(issue: StoredIssue): Reply {
    return ok({
      expand: 'transitions',
      transitions: transitionsOf(issue).map((transition) => ({
        id: transition.id,
        name: transition.name,
        to: statusJson(transition.to),
        hasScreen: false,
        isGlobal: false,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
      })),
    });
  }

  function doTransition(issue: StoredIssue, body: unknown): Reply | Refusal {
    const asked = isObject(body) && isObject(body.transition) ? body.transition.id : undefined;
    const transition = transitionsOf(issue).find((candidate) => candidate.id === String(asked));
    if (transition === undefined)
      return refusal(400, [`Transition id '${String(asked)}' is not valid for this issue.`]);
    moveTo(issue, transition.to, BOT_ACCOUNT_ID);
    return { status: 204, body: null };
  }

  /** A status change, with its changelog history, as a person or a transition makes it. */
  function moveTo(issue: StoredIssue, status: JiraStatus, authorAccountId: string) {
    const atMs = now();
    const from = issue.fields.status;
    issue.changelog.push({
      id: String(nextHistoryId),
      author: userOf(authorAccountId),
      created: jiraTime(atMs),
      items: [
        {
          field: 'status',
          fieldtype: 'jira',
          fieldId: 'status',
          from: from.id,
          fromString: from.name,
          to: status.id,
          toString: status.name,
        },
      ],
    });
    nextHistoryId += 1;
    issue.fields = { ...issue.fields, status, updated: jiraTime(atMs) };
  }

  /** POST /rest/api/3/issueLink: 201 with no body; the same link posted again is not stored twice. */
  function linkIssues(body: unknown): Reply | Refusal {
    if (!isObject(body)) return refusal(400, ['No content to map.']);
    const named = isObject(body.type) ? body.type : {};
    const type = LINK_TYPES.find((candidate) => candidate.name === named.name || candidate.id === named.id);
    if (type === undefined)
      return refusal(404, [`No issue link type with name '${String(named.name ?? named.id)}' found.`]);
    const inward = issueNamedIn(body.inwardIssue);
    const outward = issueNamedIn(body.outwardIssue);
    if (inward === undefined || outward === undefined) return noIssue();
    if (inward.id === outward.id) return refusal(400, ['You cannot link an issue to itself.']);
    const exists = links.some(
      (link) =>
        link.type.id === type.id && link.inwardIssueId === inward.id && link.outwardIssueId === outward.id,
    );
    if (!exists) {
      links.push({
        id: String(FIRST_LINK_ID + links.length),
        type,
        inwardIssueId: inward.id,
        outwardIssueId: outward.id,
      });
      touch(inward, now());
      touch(outward, now());
    }
    return { status: 201, body: null };
  }

  /**
   * GET /rest/api/3/user/search: active users whose email or display name (or a word of it) starts
   * with the query, any case; a hidden email still matches but is left out of the answer.
   */
  function searchUsers(query: URLSearchParams): Reply | Refusal {
    const text = (query.get('query') ?? '').trim().toLowerCase();
    const accountId = query.get('accountId');
    if (text.length === 0 && accountId === null)
      return refusal(400, ["One of 'query' or 'accountId' must be provided."]);
    const paging = pagingOf(
      new URLSearchParams({
        startAt: query.get('startAt') ?? '0',
        maxResults: query.get('maxResults') ?? String(DEFAULT_USER_PAGE),
      }),
      MAX_USER_PAGE,
    );
    if (isRefusal(paging)) return paging;
    const matches = (user: User) =>
      accountId !== null
        ? user.accountId === accountId
        : user.email.toLowerCase().startsWith(text) ||
          user.displayName.toLowerCase().startsWith(text) ||
          user.displayName
            .toLowerCase()
            .split(/\s+/)
            .some((word) => word.startsWith(text));
    const found = [...users.values()].filter((user) => user.active && matches(user));
    return {
      status: 200,
      body: found
        .slice(paging.startAt, paging.startAt + paging.maxResults)
        .map((user) => ({ ...userOf(user.accountId), locale: 'en_US' })),
    };
  }

  function siteOf(): JqlSite {
    const stored = [...issues.values()];
    const lowered = (values: readonly (string | undefined)[]) =>
      new Set(values.filter((value) => value !== undefined).map((value) => value.toLowerCase()));
    return {
      nowMs: now(),
      issueTypes: lowered([
        ...(options.issueTypes ?? DEFAULT_ISSUE_TYPES),
        ...[...projects.values()].flatMap((project) =>
          project.issueTypes.flatMap(({ id, name }) => [id, name]),
        ),
        ...stored.flatMap(({ fields }) => [fields.issuetype.name, fields.issuetype.id]),
      ]),
      statuses: lowered([
        ...[...INCIDENT_STATUSES, ...TICKET_STATUSES].flatMap(({ id, name }) => [id, name]),
        ...stored.flatMap(({ fields }) => [fields.status.name, fields.status.id]),
      ]),
      projects: lowered([
        ...(options.projectKeys ?? ['OPS']),
        ...[...projects.values()].flatMap(({ id, key }) => [id, key]),
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
    if (query.kind === 'refused') return refusal(400, [...query.messages]);
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
    if (request.expand !== undefined && typeof request.expand !== 'string')
      return refusal(400, ['The expand parameter must be a comma-separated string.']);
    const withChangelog = (request.expand ?? '').split(',').some((name) => name.trim() === 'changelog');
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
              fields: fieldsOf(issue, fields),
              ...(withChangelog ? { changelog: embeddedChangelog(issue) } : {}),
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
    if (query.kind === 'refused') return refusal(400, [...query.messages]);
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
    if (endpoint === 'user/search')
      return method === 'GET' ? searchUsers(url.searchParams) : refusal(405, ['Method Not Allowed']);
    if (endpoint === 'issueLink')
      return method === 'POST' ? linkIssues(body) : refusal(405, ['Method Not Allowed']);
    if (endpoint === 'other') return refusal(404, [`null for uri: ${url.href}`]);
    if (idOrKey === undefined)
      return method === 'POST' ? createIssue(body) : refusal(405, ['Method Not Allowed']);
    if (!(ISSUE_METHODS[endpoint] ?? []).includes(method)) return refusal(405, ['Method Not Allowed']);
    const issue = issueOf(idOrKey);
    if (issue === undefined) return noIssue();
    switch (endpoint) {
      case 'issue':
        return method === 'PUT' ? editIssue(issue, body) : getIssue(issue, url.searchParams);
      case 'changelog':
        return listChangelog(issue, url.searchParams);
      case 'transitions':
        return method === 'POST' ? doTransition(issue, body) : listTransitions(issue);
      default:
        break;
    }
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
    if (outcome.body === null) {
      response.writeHead(outcome.status);
      response.end();
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
        ticket: false,
        dueDate: null,
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
      issues.set(key.toUpperCase(), {
        id,
        key,
        fields,
        ticket: false,
        dueDate: null,
        changelog: [...history.changelog],
        comments,
      });
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
    /** Edits a comment as a person would: its body and `updated` change, and so does the issue's `updated`. */
    editComment(key: string, commentId: string, text: string) {
      const issue = requireIssue(key);
      const index = issue.comments.findIndex((comment) => comment.id === commentId);
      const comment = issue.comments[index];
      if (comment === undefined) throw new Error(`${key} has no comment ${commentId}`);
      const atMs = now();
      issue.comments[index] = { ...comment, body: paragraphDoc(text), updatedMs: atMs };
      touch(issue, atMs);
    },
    /** Deletes a comment; the issue's `updated` moves, as with every other change. */
    deleteComment(key: string, commentId: string) {
      const issue = requireIssue(key);
      const index = issue.comments.findIndex((comment) => comment.id === commentId);
      if (index < 0) throw new Error(`${key} has no comment ${commentId}`);
      issue.comments.splice(index, 1);
      touch(issue, now());
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
    /** Adds a project issues may be created in (by default with Task and Incident and every create field). */
    addProject,
    /** Adds a person (or, with accountType 'app', an app) to the site. */
    addUser,
    /** Takes a field off a project's create and edit screens, as an administrator might. */
    removeCreateField(projectKey: string, field: string) {
      const project = projects.get(projectKey.toUpperCase());
      if (project === undefined) throw new Error(`the simulator has no project ${projectKey}: add it first`);
      project.createFields.delete(field);
    },
    /** The issues created over HTTP, oldest first, with their fields as REST shows them. */
    tickets(): SimulatedTicket[] {
      return [...issues.values()]
        .filter((issue) => issue.ticket)
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((issue) => ({
          id: issue.id,
          key: issue.key,
          fields: { ...issue.fields, duedate: issue.dueDate, issuelinks: linksOf(issue) },
        }));
    },
    /** Every issue link, oldest first, by the keys posted as inward and outward. */
    links(): SimulatedLink[] {
      return links.map((link) => ({
        id: link.id,
        type: link.type.name,
        inwardIssue: issueOf(link.inwardIssueId)?.key ?? link.inwardIssueId,
        outwardIssue: issueOf(link.outwardIssueId)?.key ?? link.outwardIssueId,
      }));
    },
    /** Moves an issue to a status (To Do, In Progress, Done or an incident status) as a person would. */
    setStatus(key: string, statusName: string, authorAccountId = 'human-1') {
      const status = [...TICKET_STATUSES, ...INCIDENT_STATUSES].find(
        (candidate) => candidate.name.toLowerCase() === statusName.toLowerCase(),
      );
      if (status === undefined) throw new Error(`the simulator has no status ${statusName}`);
      moveTo(requireIssue(key), status, authorAccountId);
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

const notOnScreen = (field: string) =>
  `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;

/** A calendar day as Jira takes a date field: YYYY-MM-DD, and a day that exists. */
function isCalendarDay(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === value;
}

/**
 * Jira's field errors for a create or an edit, by field, in its words: a field off the screen, a
 * missing or overlong summary, a description that is not ADF, a bad date, an unassignable user, a
 * label with a space. A create names its project and issue type, which are checked before this.
 */
function fieldErrors(
  fields: Json,
  screen: ReadonlySet<string>,
  mode: 'create' | 'edit',
  isAssignable: (accountId: string) => boolean,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const fail = (field: string, message: string) => {
    errors[field] ??= message;
  };
  for (const field of Object.keys(fields)) {
    const namesTheIssue = mode === 'create' && (field === 'project' || field === 'issuetype');
    if (!namesTheIssue && !screen.has(field)) fail(field, notOnScreen(field));
  }
  const summary = fields.summary;
  if (mode === 'create' || 'summary' in fields) {
    if (typeof summary !== 'string' || summary.trim().length === 0)
      fail('summary', 'You must specify a summary of the issue.');
    else if (summary.length > MAX_SUMMARY_LENGTH)
      fail('summary', 'Summary must be less than 255 characters.');
    else if (/[\r\n]/.test(summary))
      fail('summary', 'The summary is invalid because it contains newline characters.');
  }
  if ('description' in fields && fields.description !== null && !isAdfDoc(fields.description))
    fail('description', NOT_ADF);
  const dueDate = fields.duedate;
  if (dueDate !== undefined && dueDate !== null && !(typeof dueDate === 'string' && isCalendarDay(dueDate)))
    fail('duedate', `Error parsing date string: ${String(dueDate)}`);
  const assignee = fields.assignee;
  if (assignee !== undefined && assignee !== null) {
    const accountId = isObject(assignee) ? assignee.accountId : undefined;
    if (typeof accountId !== 'string' || !isAssignable(accountId))
      fail('assignee', `User '${String(accountId)}' cannot be assigned issues.`);
  }
  const labels = fields.labels;
  if (labels !== undefined) {
    if (!Array.isArray(labels) || !labels.every((label) => typeof label === 'string'))
      fail('labels', 'The labels must be a list of strings.');
    else {
      const spaced = labels.find((label) => /\s/.test(label));
      if (spaced !== undefined) fail('labels', `The label '${spaced}' contains spaces which is invalid.`);
    }
  }
  return errors;
}

interface SearchRequest {
  readonly jql?: unknown;
  readonly nextPageToken?: unknown;
  readonly maxResults?: unknown;
  readonly expand?: unknown;
  readonly fields: readonly unknown[];
}

function searchRequestOfQuery(query: URLSearchParams): SearchRequest {
  return {
    jql: query.get('jql') ?? undefined,
    nextPageToken: query.get('nextPageToken') ?? undefined,
    maxResults: query.get('maxResults') ?? undefined,
    expand: query.get('expand') ?? undefined,
    fields: query.getAll('fields'),
  };
}

function searchRequestOfBody(body: Json): SearchRequest {
  return {
    jql: body.jql,
    nextPageToken: body.nextPageToken,
    maxResults: body.maxResults,
    expand: body.expand,
    fields: Array.isArray(body.fields) ? body.fields : [],
  };
}
