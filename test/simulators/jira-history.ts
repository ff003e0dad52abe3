/**
 * Realistic incident histories on a Jira Cloud site, generated from a seed: each issue's final state as
 * REST API v3 reads it, its changelog and comments, and every webhook Jira Cloud would have sent on the
 * way there. The Jira simulator serves the REST side; tests replay the deliveries.
 */

// Type aliases rather than interfaces for the JSON shapes, so they fit the simulator's JSON records.

/** A user as Jira Cloud describes one (the avatar URLs left out, `self` when the site is known). */
export type JiraUser = {
  readonly self?: string;
  readonly accountId: string;
  readonly displayName: string;
  /** Absent when the user's profile hides it, as Jira Cloud does by default. */
  readonly emailAddress?: string;
  readonly active: boolean;
  readonly accountType: 'atlassian' | 'app';
  readonly timeZone: string;
};

export interface JiraStatus {
  readonly id: string;
  readonly name: string;
  readonly statusCategory: { readonly id: number; readonly key: string; readonly name: string };
}

export interface JiraNamed {
  readonly id: string;
  readonly name: string;
}

export interface JiraProject {
  readonly id: string;
  readonly key: string;
  readonly name: string;
}

/** An option of a select custom field, as REST returns it. */
export interface JiraOption {
  readonly id: string;
  readonly value: string;
}

/** An Atlassian Document Format document, the shape of rich text in REST API v3. */
export type AdfDocument = {
  readonly type: 'doc';
  readonly version: 1;
  readonly content: readonly AdfNode[];
};

export type AdfNode = {
  readonly type: string;
  readonly text?: string;
  readonly content?: readonly AdfNode[];
};

interface StandardIssueFields {
  readonly summary: string;
  /** ADF, as REST API v3 returns it; webhooks carry the same text as wiki markup. */
  readonly description: AdfDocument | null;
  readonly issuetype: JiraNamed;
  readonly project: JiraProject;
  readonly status: JiraStatus;
  readonly priority: JiraNamed | null;
  readonly assignee: JiraUser | null;
  readonly reporter: JiraUser | null;
  readonly creator: JiraUser | null;
  readonly components: readonly JiraNamed[];
  readonly labels: readonly string[];
  /** Jira time: '2026-11-02T09:00:00.000+0000'. */
  readonly created: string;
  readonly updated: string;
}

/** An issue's fields as GET /rest/api/3/issue answers them, custom fields included by id. */
export type SimulatedIssueFields = StandardIssueFields & {
  readonly [customField: `customfield_${string}`]: unknown;
};

/** One item of a changelog history, exactly the REST and webhook shape. */
export interface ChangeItem {
  readonly field: string;
  readonly fieldtype: 'jira' | 'custom';
  readonly fieldId: string;
  readonly from: string | null;
  readonly fromString: string | null;
  readonly to: string | null;
  readonly toString: string | null;
}

/** One changelog history as GET /rest/api/3/issue/{key}/changelog lists it. */
export interface ChangelogHistory {
  readonly id: string;
  readonly author: JiraUser;
  readonly created: string;
  readonly items: readonly ChangeItem[];
}

/** A comment as GET /rest/api/3/issue/{key}/comment lists it, without its `self`. */
export interface SimulatedIssueComment {
  readonly id: string;
  readonly author: JiraUser;
  readonly updateAuthor: JiraUser;
  readonly body: AdfDocument;
  readonly created: string;
  readonly updated: string;
  readonly jsdPublic: boolean;
}

/** Issue fields as a webhook carries them: REST API v2 rendering, so the description is wiki text. */
export type WebhookIssueFields = Omit<SimulatedIssueFields, 'description'> & {
  readonly description: string | null;
};

/** The few fields a comment webhook carries of its issue. */
export type CommentWebhookIssueFields = Pick<
  SimulatedIssueFields,
  'summary' | 'issuetype' | 'project' | 'assignee' | 'priority' | 'status'
>;

export interface IssueWebhookPayload {
  readonly timestamp: number;
  readonly webhookEvent: 'jira:issue_created' | 'jira:issue_updated';
  readonly issue_event_type_name: 'issue_created' | 'issue_generic' | 'issue_assigned' | 'issue_updated';
  readonly user: JiraUser;
  readonly issue: {
    readonly id: string;
    readonly self: string;
    readonly key: string;
    readonly fields: WebhookIssueFields;
  };
  readonly changelog: { readonly id: string; readonly items: readonly ChangeItem[] };
}

export interface CommentWebhookPayload {
  readonly timestamp: number;
  readonly webhookEvent: 'comment_created' | 'comment_updated' | 'comment_deleted';
  readonly comment: {
    readonly self: string;
    readonly id: string;
    readonly author: JiraUser;
    /** Wiki markup, as REST API v2 renders it. */
    readonly body: string;
    readonly updateAuthor: JiraUser;
    readonly created: string;
    readonly updated: string;
    readonly jsdPublic: boolean;
  };
  readonly issue: {
    readonly id: string;
    readonly self: string;
    readonly key: string;
    readonly fields: CommentWebhookIssueFields;
  };
}

export type WebhookPayload = IssueWebhookPayload | CommentWebhookPayload;

/** One webhook as Jira Cloud posts it: the X-Atlassian-Webhook-Identifier header and the body. */
export interface WebhookDelivery {
  readonly identifier: string;
  readonly payload: WebhookPayload;
}

/** An issue's whole life: its final REST state and the webhooks that told it, in the order sent. */
export interface SimulatedIssueHistory {
  readonly issue: { readonly id: string; readonly key: string; readonly fields: SimulatedIssueFields };
  /** Oldest first; the creation is among them only with `creationInChangelog`. */
  readonly changelog: readonly ChangelogHistory[];
  /** The comments that remain, oldest first, in their last version. */
  readonly comments: readonly SimulatedIssueComment[];
  readonly deliveries: readonly WebhookDelivery[];
}

export interface IncidentHistoryOptions {
  readonly count: number;
  readonly seed: number;
  /** Issues are created over the week from here; everything happens within HISTORY_SPAN_DAYS of it. */
  readonly startMs: number;
  readonly projectKey?: string;
  /** The site the webhooks' `self` links point at (default 'https://example.atlassian.net'). */
  readonly siteUrl?: string;
  /**
   * List the creation's changelog (the one the issue_created webhook carries) as the first history in
   * REST too. Off by default: REST is taken to list changes after creation only, which is not certain.
   */
  readonly creationInChangelog?: boolean;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const CREATION_WINDOW_MS = 7 * DAY_MS;
/** Every generated change happens before `startMs` plus this many days. */
export const HISTORY_SPAN_DAYS = 14;

const TO_DO = { id: 2, key: 'new', name: 'To Do' };
const IN_PROGRESS = { id: 4, key: 'indeterminate', name: 'In Progress' };
const DONE = { id: 3, key: 'done', name: 'Done' };

const status = (id: string, name: string, statusCategory: JiraStatus['statusCategory']): JiraStatus => ({
  id,
  name,
  statusCategory,
});

/** Where most incidents start; the rest start in Declared. */
export const DETECTED = status('10001', 'Detected', TO_DO);
const DECLARED = status('10002', 'Declared', IN_PROGRESS);

/** The incident board, in workflow order. */
export const INCIDENT_STATUSES: readonly JiraStatus[] = [
  DETECTED,
  DECLARED,
  status('10003', 'Triaged', IN_PROGRESS),
  status('10004', 'Investigating', IN_PROGRESS),
  status('10005', 'Mitigating', IN_PROGRESS),
  status('10006', 'Resolved', IN_PROGRESS),
  status('10007', 'Postmortem', IN_PROGRESS),
  status('10008', 'Done', DONE),
];
const INVESTIGATING = 3;
const MITIGATING = 4;
const RESOLVED = 5;
const POSTMORTEM = 6;
const DONE_INDEX = 7;

export const MEDIUM_PRIORITY: JiraNamed = { id: '3', name: 'Medium' };

const PRIORITIES: readonly JiraNamed[] = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  MEDIUM_PRIORITY,
  { id: '4', name: 'Low' },
];

export const INCIDENT_TYPE: JiraNamed = { id: '10004', name: 'Incident' };

export const IMPACT_STARTED_FIELD = 'customfield_10050';
export const SEVERITY_FIELD = 'customfield_10060';

const SEVERITIES: readonly JiraOption[] = [
  { id: '10200', value: 'SEV1' },
  { id: '10201', value: 'SEV2' },
  { id: '10202', value: 'SEV3' },
  { id: '10203', value: 'SEV4' },
];

const COMPONENTS: readonly JiraNamed[] = [
  { id: '10100', name: 'API' },
  { id: '10101', name: 'Checkout' },
  { id: '10102', name: 'Database' },
  { id: '10103', name: 'Payments' },
  { id: '10104', name: 'Search' },
  { id: '10105', name: 'Auth' },
];

const EXTRA_LABELS = ['customer-facing', 'database', 'follow-up', 'on-call', 'security', 'vendor'];
/** The label the history-heavy issues add and remove again and again, as a flapping automation would. */
const FLAPPING_LABEL = 'flapping';

const RESPONDERS: readonly JiraUser[] = [
  person('5b10a2844c20165700ede21g', 'Mia Krystof', 'mia@example.com', 'Australia/Sydney'),
  person('712020:0b3c6a52-8f0e-4d7a-9a51-2f6c1e4d9a10', 'Ravi Menon', undefined, 'Asia/Kolkata'),
  person('712020:1f4c8d90-5b73-42ae-9c61-08d7e3b5a2f4', 'Ana Souza', 'ana@example.com', 'America/Sao_Paulo'),
  person('712020:27d5e4b1-3c2a-4f6e-8d90-1a2b3c4d5e6f', 'Tom Becker', undefined, 'Europe/Berlin'),
  person('712020:3a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d', 'Lena Novak', 'lena@example.com', 'Europe/Prague'),
  person('712020:4c5d6e7f-8091-4a2b-bc3d-4e5f6a7b8c9d', 'Sam Okafor', undefined, 'Africa/Lagos'),
  person('712020:5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9', 'Yuki Tanaka', 'yuki@example.com', 'Asia/Tokyo'),
  person('712020:6f7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0', 'Jo Walsh', undefined, 'Europe/Dublin'),
];

/** Jira Automation's account, the author of changes made by rules. */
const AUTOMATION: JiraUser = {
  accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077',
  displayName: 'Automation for Jira',
  active: true,
  accountType: 'app',
  timeZone: 'Etc/UTC',
};

const SERVICES = [
  'Checkout',
  'Payments API',
  'Search',
  'Login',
  'Order history',
  'Notifications',
  'Mobile API',
];
const SYMPTOMS = [
  'returning 500s',
  'elevated latency',
  'timing out',
  'partially unavailable',
  'failing for EU customers',
  'queue backlog growing',
  'error rate above SLO',
];
const DETECTION_SOURCES = ['a Datadog monitor', 'a customer report', 'synthetic checks', 'PagerDuty'];
const CUSTOMER_IMPACTS = [
  'none confirmed yet',
  'some checkouts failing',
  'slow pages',
  'logins failing for some users',
];
const CAUSES = [
  'a bad config push',
  'connection pool exhaustion',
  'an expired certificate',
  'a slow query after the last migration',
  'a retry storm from the mobile app',
  'the payment provider degrading',
];
const COMMENT_TEMPLATES: readonly ((random: SeededRandom) => string)[] = [
  (random) => `Paged ${random.pick(RESPONDERS).displayName} as incident commander.`,
  (random) => `Error rate is at ${random.integer(1, 60)}% and ${random.pick(['rising', 'flat', 'falling'])}.`,
  (random) => `Rolled back deploy ${random.integer(4000, 9999)}.`,
  () => 'Status page updated.',
  (random) => `Mitigation in place, watching the metrics for ${random.integer(10, 60)} minutes.`,
  (random) => `Root cause looks like ${random.pick(CAUSES)}.`,
  (random) => `p99 latency back to ${random.integer(120, 900)} ms.`,
  () => 'Customer support has been told; they will link tickets here.',
  (random) =>
    `Timeline so far:\n\nDetected by ${random.pick(DETECTION_SOURCES)}.\nEscalated to the ${random.pick(SERVICES)} team.`,
  (random) =>
    `Scaled the ${random.pick(SERVICES)} workers from ${random.integer(2, 6)} to ${random.integer(8, 20)}.`,
  () => 'No customer impact seen in the last half hour.',
  (random) => `Opened a follow-up for ${random.pick(CAUSES)}.`,
];

/** A seeded pseudo-random source (mulberry32): the same seed gives the same sequence everywhere. */
export interface SeededRandom {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  integer(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(values: readonly T[]): T;
}

/** mulberry32: tiny, fast and well distributed enough for test data. */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const integer = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    integer,
    chance: (probability) => next() < probability,
    pick<T>(values: readonly T[]): T {
      const value = values[integer(0, values.length - 1)];
      if (value === undefined) throw new Error('cannot pick from an empty list');
      return value;
    },
  };
}

function person(accountId: string, displayName: string, emailAddress: string | undefined, timeZone: string) {
  const user: JiraUser = { accountId, displayName, active: true, accountType: 'atlassian', timeZone };
  return emailAddress === undefined ? user : { ...user, emailAddress };
}

/** Jira's timestamps: milliseconds and a numeric offset without a colon ('2026-11-02T09:00:00.000+0000'). */
export const jiraTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/** The epoch milliseconds of a Jira timestamp ('+0530' offsets included). */
export function parseJiraTime(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** Plain text as ADF: blank lines separate paragraphs, single newlines are hard breaks. */
export function adfDocumentOf(text: string): AdfDocument {
  const paragraphs = text.split(/\n{2,}/).map((paragraph) => ({
    type: 'paragraph',
    content: paragraph
      .split('\n')
      .flatMap((line, i): AdfNode[] => [
        ...(i > 0 ? [{ type: 'hardBreak' }] : []),
        ...(line.length > 0 ? [{ type: 'text', text: line }] : []),
      ]),
  }));
  return { type: 'doc', version: 1, content: paragraphs };
}

/** The text an ADF document written by `adfDocumentOf` came from. */
export function plainTextOf(document: AdfDocument): string {
  const inline = (node: AdfNode): string =>
    node.type === 'hardBreak' ? '\n' : (node.text ?? '') + (node.content ?? []).map(inline).join('');
  return document.content.map(inline).join('\n\n');
}

interface IssueState {
  readonly summary: string;
  readonly description: string;
  readonly status: JiraStatus;
  readonly priority: JiraNamed | null;
  readonly assignee: JiraUser | null;
  readonly components: readonly JiraNamed[];
  readonly labels: readonly string[];
  readonly severity: JiraOption | null;
  readonly impactStartedMs: number | null;
  readonly updatedMs: number;
}

interface CommentVersion {
  readonly index: number;
  readonly author: JiraUser;
  readonly text: string;
  readonly createdMs: number;
  readonly updatedMs: number;
}

type Step =
  | {
      readonly kind: 'history';
      readonly atMs: number;
      readonly author: JiraUser;
      readonly items: readonly ChangeItem[];
      readonly state: IssueState;
    }
  | {
      readonly kind: 'comment_created' | 'comment_updated' | 'comment_deleted';
      readonly atMs: number;
      readonly comment: CommentVersion;
      readonly state: IssueState;
    };

interface Timeline {
  readonly index: number;
  readonly id: string;
  readonly key: string;
  readonly reporter: JiraUser;
  readonly createdMs: number;
  readonly initial: IssueState;
  readonly creationItems: readonly ChangeItem[];
  readonly steps: readonly Step[];
  readonly finalComments: readonly CommentVersion[];
}

type Action =
  | { readonly kind: 'transition'; readonly to: number }
  | { readonly kind: 'field'; readonly field: EditableField }
  | { readonly kind: 'flip' }
  | { readonly kind: 'comment' | 'edit-comment' | 'delete-comment'; readonly comment: number };

type EditableField = 'priority' | 'assignee' | 'components' | 'labels' | 'summary' | 'severity' | 'impact';

interface PlannedAction {
  readonly action: Action;
  readonly position: number;
}

/**
 * Generates `count` incident histories, deterministic for a seed. Every 25th issue (from the 4th) has
 * 120–250 comments and every 25th (from the 12th) 110–160 extra changelog histories, so both paginations
 * are exercised once there are a dozen issues.
 */
export function generateIncidentHistories(options: IncidentHistoryOptions): SimulatedIssueHistory[] {
  const random = createSeededRandom(options.seed);
  const projectKey = options.projectKey ?? 'OPS';
  const project: JiraProject = { id: '10000', key: projectKey, name: projectKey };
  const endMs = options.startMs + HISTORY_SPAN_DAYS * DAY_MS;
  const timelines = creationTimes(random, options.count, options.startMs).map((createdMs, index) =>
    planTimeline(random, { index, createdMs, endMs, projectKey }),
  );
  const ids = assignIds(timelines);
  const identifiers = createSeededRandom(options.seed ^ 0x9e3779b9);
  const site = {
    url: options.siteUrl ?? 'https://example.atlassian.net',
    project,
    creationInChangelog: options.creationInChangelog ?? false,
  };
  return timelines.map((timeline) => renderHistory(timeline, ids, site, () => identifierOf(identifiers)));
}

/** Creation times spread over a week, ascending so keys follow creation as Jira numbers them. */
function creationTimes(random: SeededRandom, count: number, startMs: number): number[] {
  return Array.from({ length: count }, () => startMs + Math.floor(random.next() * CREATION_WINDOW_MS)).sort(
    (a, b) => a - b,
  );
}

/** Every 25th issue from the 4th: comments enough for two or three pages. */
const isCommentHeavy = (index: number) => index % 25 === 3;
/** Every 25th issue from the 12th: changelog histories enough for two pages. */
const isHistoryHeavy = (index: number) => index % 25 === 11;

function planTimeline(
  random: SeededRandom,
  at: { index: number; createdMs: number; endMs: number; projectKey: string },
): Timeline {
  const reporter = random.pick(RESPONDERS);
  const initial = initialState(random, at.createdMs);
  // Skewed low: most incidents get a handful of comments, a few get forty.
  const commentCount = isCommentHeavy(at.index)
    ? random.integer(120, 250)
    : Math.floor(random.next() ** 1.5 * 41);
  const flipCount = isHistoryHeavy(at.index) ? random.integer(110, 160) : 0;
  const actions = planActions(random, {
    startStatus: INCIDENT_STATUSES.indexOf(initial.status),
    commentCount,
    flipCount,
    hasImpactStarted: initial.impactStartedMs !== null,
  });
  const times = actionTimes(random, actions.length, at.createdMs, at.endMs);
  const steps: Step[] = [];
  const comments = new Map<number, CommentVersion>();
  let state = initial;
  actions.forEach(({ action }, i) => {
    const atMs = times[i] ?? at.endMs;
    const step = applyAction(random, { action, atMs, state, comments });
    if (step === null) return;
    steps.push(step);
    state = step.state;
  });
  return {
    index: at.index,
    id: String(10_000 + at.index),
    key: `${at.projectKey}-${at.index + 1}`,
    reporter,
    createdMs: at.createdMs,
    initial,
    creationItems: creationItemsOf(initial, reporter),
    steps,
    finalComments: [...comments.values()].sort((a, b) => a.createdMs - b.createdMs),
  };
}

function initialState(random: SeededRandom, createdMs: number): IssueState {
  const service = random.pick(SERVICES);
  const symptom = random.pick(SYMPTOMS);
  const components = random.chance(0.6) ? [random.pick(COMPONENTS)] : [];
  const detection = `${service} ${symptom}. Detected by ${random.pick(DETECTION_SOURCES)}.`;
  return {
    summary: `${service} ${symptom}`,
    description: `${detection}\n\nCustomer impact: ${random.pick(CUSTOMER_IMPACTS)}.`,
    status: random.chance(0.6) ? DETECTED : DECLARED,
    priority: random.chance(0.05) ? null : random.pick(PRIORITIES),
    assignee: random.chance(0.5) ? random.pick(RESPONDERS) : null,
    components,
    labels: ['incident', ...(random.chance(0.3) ? [random.pick(EXTRA_LABELS)] : [])].sort(),
    severity: random.chance(0.7) ? random.pick(SEVERITIES) : null,
    impactStartedMs: random.chance(0.6) ? createdMs - random.integer(5, 60) * MINUTE_MS : null,
    updatedMs: createdMs,
  };
}

/**
 * What happens to one issue, in order: its walk along the board (forward, sometimes skipping a stage,
 * ~15% reopened from Resolved or Postmortem), field edits and comments interleaved at random points.
 */
function planActions(
  random: SeededRandom,
  plan: { startStatus: number; commentCount: number; flipCount: number; hasImpactStarted: boolean },
): PlannedAction[] {
  const transitions = statusWalk(random, plan.startStatus);
  const transitionPositions = transitions.map(() => random.next()).sort((a, b) => a - b);
  const planned: PlannedAction[] = transitions.map((to, i) => ({
    action: { kind: 'transition', to },
    position: transitionPositions[i] ?? 1,
  }));
  const addAt = (action: Action, position = random.next()) => planned.push({ action, position });
  for (const field of fieldEdits(random, plan.hasImpactStarted)) addAt({ kind: 'field', field });
  for (let i = 0; i < plan.flipCount; i += 1) addAt({ kind: 'flip' });
  for (let comment = 0; comment < plan.commentCount; comment += 1) {
    const createdAt = random.next();
    addAt({ kind: 'comment', comment }, createdAt);
    let lastAt = createdAt;
    if (random.chance(0.06)) {
      lastAt += random.next() * (1 - lastAt);
      addAt({ kind: 'edit-comment', comment }, lastAt);
    }
    if (random.chance(0.03))
      addAt({ kind: 'delete-comment', comment }, lastAt + random.next() * (1 - lastAt));
  }
  // A stable sort keeps an edit after its comment even when both drew the same position.
  return planned.sort((a, b) => a.position - b.position);
}

/** Where an issue ends: still open (~20%), resolved but not closed (~10%), or done. */
function finalStatus(random: SeededRandom, start: number): number {
  const ending = random.next();
  if (ending < 0.2) return random.integer(start, MITIGATING);
  if (ending < 0.3) return random.pick([RESOLVED, POSTMORTEM]);
  return DONE_INDEX;
}

/** How often an issue that gets resolved is reopened: ~15% of them, once or twice. */
function reopenCount(random: SeededRandom, target: number): number {
  if (target < RESOLVED || !random.chance(0.15)) return 0;
  return random.chance(0.7) ? 1 : 2;
}

/** The statuses an issue moves to after creation, forward and sometimes skipping one. */
function statusWalk(random: SeededRandom, start: number): number[] {
  const target = finalStatus(random, start);
  let reopensLeft = reopenCount(random, target);
  const walk: number[] = [];
  let current = start;
  while (current < target) {
    current = Math.min(target, current + (random.chance(0.15) ? 2 : 1));
    walk.push(current);
    const canReopen = current === RESOLVED || current === POSTMORTEM;
    if (canReopen && reopensLeft > 0 && (random.chance(0.6) || current === Math.min(POSTMORTEM, target))) {
      reopensLeft -= 1;
      current = INVESTIGATING;
      walk.push(current);
    }
  }
  return walk;
}

function fieldEdits(random: SeededRandom, hasImpactStarted: boolean): EditableField[] {
  const repeat = (field: EditableField, times: number) => Array.from({ length: times }, () => field);
  return [
    ...repeat('priority', random.integer(0, 2)),
    ...repeat('assignee', random.integer(0, 3)),
    ...repeat('components', random.integer(0, 2)),
    ...repeat('labels', random.integer(0, 2)),
    ...repeat('summary', random.chance(0.25) ? 1 : 0),
    ...repeat('severity', random.chance(0.3) ? 1 : 0),
    ...repeat('impact', !hasImpactStarted && random.chance(0.5) ? 1 : 0),
  ];
}

/**
 * Strictly increasing times, minutes to hours apart, squeezed proportionally when a long history would
 * run past `endMs`.
 */
function actionTimes(random: SeededRandom, count: number, createdMs: number, endMs: number): number[] {
  const gaps = Array.from({ length: count }, () => {
    const kind = random.next();
    if (kind < 0.7) return random.integer(1, 20) * MINUTE_MS + random.integer(0, 59_999);
    if (kind < 0.95) return random.integer(20, 120) * MINUTE_MS + random.integer(0, 59_999);
    return random.integer(2, 8) * HOUR_MS + random.integer(0, 59_999);
  });
  const total = gaps.reduce((sum, gap) => sum + gap, 0);
  const scale = Math.min(1, ((endMs - createdMs) * 0.95) / Math.max(total, 1));
  let atMs = createdMs;
  return gaps.map((gap) => {
    atMs += Math.max(1000, Math.round(gap * scale));
    return atMs;
  });
}

function applyAction(
  random: SeededRandom,
  context: { action: Action; atMs: number; state: IssueState; comments: Map<number, CommentVersion> },
): Step | null {
  const { action, atMs, comments } = context;
  // Every change moves the issue's `updated`, comments (added, edited or deleted) included.
  const state = { ...context.state, updatedMs: atMs };
  switch (action.kind) {
    case 'transition':
      return transitionStep(random, state, action.to);
    case 'field':
      return fieldStep(random, state, action.field);
    case 'flip':
      return flipStep(random, state);
    case 'comment': {
      const author = random.pick(RESPONDERS);
      const comment = {
        index: action.comment,
        author,
        text: commentText(random),
        createdMs: atMs,
        updatedMs: atMs,
      };
      comments.set(action.comment, comment);
      return { kind: 'comment_created', atMs, comment, state };
    }
    case 'edit-comment': {
      const previous = comments.get(action.comment);
      if (previous === undefined) return null;
      const comment = {
        ...previous,
        text: `${previous.text} (edited: ${commentText(random)})`,
        updatedMs: atMs,
      };
      comments.set(action.comment, comment);
      return { kind: 'comment_updated', atMs, comment, state };
    }
    case 'delete-comment': {
      const comment = comments.get(action.comment);
      if (comment === undefined) return null;
      comments.delete(action.comment);
      return { kind: 'comment_deleted', atMs, comment, state };
    }
    default:
      return action satisfies never;
  }
}

function commentText(random: SeededRandom): string {
  return random.pick(COMMENT_TEMPLATES)(random);
}

function transitionStep(random: SeededRandom, state: IssueState, to: number): Step {
  const status = INCIDENT_STATUSES[to] ?? state.status;
  const items = [statusItem(state.status, status)];
  let next: IssueState = { ...state, status };
  // Transition screens often set the assignee in the same change, as one history with two items.
  if (to <= INVESTIGATING && random.chance(0.2)) {
    const assignee = otherResponder(random, state.assignee);
    items.push(assigneeItem(state.assignee, assignee));
    next = { ...next, assignee };
  }
  return {
    kind: 'history',
    atMs: state.updatedMs,
    author: state.assignee ?? random.pick(RESPONDERS),
    items,
    state: next,
  };
}

function fieldStep(random: SeededRandom, state: IssueState, field: EditableField): Step {
  const author = random.pick(RESPONDERS);
  const history = (items: ChangeItem[], next: IssueState, by = author): Step => ({
    kind: 'history',
    atMs: state.updatedMs,
    author: by,
    items,
    state: next,
  });
  switch (field) {
    case 'priority': {
      const priority = random.pick(PRIORITIES.filter((candidate) => candidate.id !== state.priority?.id));
      return history([namedItem('priority', state.priority, priority)], { ...state, priority });
    }
    case 'assignee': {
      const assignee = otherResponder(random, state.assignee);
      return history([assigneeItem(state.assignee, assignee)], { ...state, assignee });
    }
    case 'components':
      return componentsStep(random, state, history);
    case 'labels': {
      const removable = state.labels.filter((label) => label !== 'incident');
      const addable = EXTRA_LABELS.filter((label) => !state.labels.includes(label));
      const removes = removable.length > 0 && (addable.length === 0 || random.chance(0.3));
      const changed = removes ? random.pick(removable) : random.pick(addable);
      const labels = removes
        ? state.labels.filter((label) => label !== changed)
        : [...state.labels, changed].sort();
      return history([labelsItem(state.labels, labels)], { ...state, labels });
    }
    case 'summary': {
      const summary = `${state.summary} (${random.pick(['customer-facing', 'degraded', 'EU only', 'all regions'])})`;
      return history([textItem('summary', state.summary, summary)], { ...state, summary });
    }
    case 'severity': {
      const severity = random.pick(SEVERITIES.filter((candidate) => candidate.id !== state.severity?.id));
      return history([severityItem(state.severity, severity)], { ...state, severity });
    }
    case 'impact': {
      const impactStartedMs = state.updatedMs - random.integer(30, 240) * MINUTE_MS;
      return history([impactItem(impactStartedMs)], { ...state, impactStartedMs });
    }
    default:
      return field satisfies never;
  }
}

function componentsStep(
  random: SeededRandom,
  state: IssueState,
  history: (items: ChangeItem[], next: IssueState) => Step,
): Step {
  const addable = COMPONENTS.filter((component) => !state.components.some(({ id }) => id === component.id));
  if (state.components.length > 0 && (addable.length === 0 || random.chance(0.3))) {
    const removed = random.pick(state.components);
    const components = state.components.filter(({ id }) => id !== removed.id);
    return history([componentItem(removed, null)], { ...state, components });
  }
  const added = random.pick(addable);
  const components = [...state.components, added].sort((a, b) => a.name.localeCompare(b.name));
  return history([componentItem(null, added)], { ...state, components });
}

/** The history-heavy issues' noise: a rule flapping a label, or the assignee handed back and forth. */
function flipStep(random: SeededRandom, state: IssueState): Step {
  if (random.chance(0.5)) {
    const assignee = otherResponder(random, state.assignee);
    return {
      kind: 'history',
      atMs: state.updatedMs,
      author: random.pick(RESPONDERS),
      items: [assigneeItem(state.assignee, assignee)],
      state: { ...state, assignee },
    };
  }
  const labels = state.labels.includes(FLAPPING_LABEL)
    ? state.labels.filter((label) => label !== FLAPPING_LABEL)
    : [...state.labels, FLAPPING_LABEL].sort();
  return {
    kind: 'history',
    atMs: state.updatedMs,
    author: AUTOMATION,
    items: [labelsItem(state.labels, labels)],
    state: { ...state, labels },
  };
}

function otherResponder(random: SeededRandom, current: JiraUser | null): JiraUser {
  return random.pick(RESPONDERS.filter((responder) => responder.accountId !== current?.accountId));
}

const item = (
  field: string,
  fieldId: string,
  from: string | null,
  fromString: string | null,
  to: string | null,
  toText: string | null,
  fieldtype: ChangeItem['fieldtype'] = 'jira',
): ChangeItem => ({ field, fieldtype, fieldId, from, fromString, to, toString: toText });

const statusItem = (from: JiraStatus | null, to: JiraStatus, field = 'status') =>
  item(field, 'status', from?.id ?? null, from?.name ?? null, to.id, to.name);

const namedItem = (field: string, from: JiraNamed | null, to: JiraNamed | null) =>
  item(field, field, from?.id ?? null, from?.name ?? null, to?.id ?? null, to?.name ?? null);

const assigneeItem = (from: JiraUser | null, to: JiraUser | null) =>
  item(
    'assignee',
    'assignee',
    from?.accountId ?? null,
    from?.displayName ?? null,
    to?.accountId ?? null,
    to?.displayName ?? null,
  );

const componentItem = (from: JiraNamed | null, to: JiraNamed | null) =>
  item('Component', 'components', from?.id ?? null, from?.name ?? null, to?.id ?? null, to?.name ?? null);

/** Jira writes labels as one space-separated string on each side, with null ids. */
const labelsItem = (from: readonly string[], to: readonly string[]) =>
  item('labels', 'labels', null, from.join(' '), null, to.join(' '));

const textItem = (field: string, from: string | null, to: string) => item(field, field, null, from, null, to);

const severityItem = (from: JiraOption | null, to: JiraOption) =>
  item('Severity', SEVERITY_FIELD, from?.id ?? null, from?.value ?? null, to.id, to.value, 'custom');

const impactItem = (startedMs: number) =>
  item(
    'Impact started',
    IMPACT_STARTED_FIELD,
    null,
    null,
    jiraTime(startedMs),
    jiraTime(startedMs),
    'custom',
  );

/** What an issue_created webhook's changelog lists: every field set at creation, from nothing. */
function creationItemsOf(state: IssueState, reporter: JiraUser): ChangeItem[] {
  return [
    ...(state.assignee ? [assigneeItem(null, state.assignee)] : []),
    ...state.components.map((component) => componentItem(null, component)),
    textItem('description', null, state.description),
    ...(state.impactStartedMs === null ? [] : [impactItem(state.impactStartedMs)]),
    ...(state.labels.length > 0 ? [labelsItem([], state.labels)] : []),
    ...(state.priority ? [namedItem('priority', null, state.priority)] : []),
    item('reporter', 'reporter', null, null, reporter.accountId, reporter.displayName),
    ...(state.severity ? [severityItem(null, state.severity)] : []),
    statusItem(null, state.status, 'Status'),
    textItem('summary', null, state.summary),
  ];
}

interface AssignedIds {
  readonly creationChangelog: Map<number, string>;
  readonly history: Map<string, string>;
  readonly comment: Map<string, string>;
}

/**
 * Changelog and comment ids as Jira allocates them: one site-wide sequence each, increasing with time
 * across issues, the creation changelog drawing from the same sequence as later changes.
 */
function assignIds(timelines: readonly Timeline[]): AssignedIds {
  const changes: { atMs: number; issue: number; step: number }[] = [];
  const comments: { atMs: number; issue: number; comment: number }[] = [];
  for (const timeline of timelines) {
    changes.push({ atMs: timeline.createdMs, issue: timeline.index, step: -1 });
    timeline.steps.forEach((step, i) => {
      if (step.kind === 'history') changes.push({ atMs: step.atMs, issue: timeline.index, step: i });
      if (step.kind === 'comment_created')
        comments.push({ atMs: step.atMs, issue: timeline.index, comment: step.comment.index });
    });
  }
  const byTime = <T extends { atMs: number; issue: number }>(a: T, b: T) =>
    a.atMs - b.atMs || a.issue - b.issue;
  const ids: AssignedIds = { creationChangelog: new Map(), history: new Map(), comment: new Map() };
  changes.sort(byTime).forEach((change, i) => {
    const id = String(10_000 + i);
    if (change.step === -1) ids.creationChangelog.set(change.issue, id);
    else ids.history.set(`${change.issue}:${change.step}`, id);
  });
  comments.sort(byTime).forEach((comment, i) => {
    ids.comment.set(`${comment.issue}:${comment.comment}`, String(10_000 + i));
  });
  return ids;
}

function requireId<K>(ids: ReadonlyMap<K, string>, key: K): string {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`no id was assigned to ${String(key)}`);
  return id;
}

interface Site {
  readonly url: string;
  readonly project: JiraProject;
  readonly creationInChangelog: boolean;
}

/** An issue's REST state and deliveries, with the ids Jira would have given them. */
function renderHistory(
  timeline: Timeline,
  ids: AssignedIds,
  site: Site,
  nextIdentifier: () => string,
): SimulatedIssueHistory {
  const fieldsOf = (state: IssueState) => restFieldsOf(state, timeline, site.project);
  const issueRef = {
    id: timeline.id,
    self: `${site.url}/rest/api/2/issue/${timeline.id}`,
    key: timeline.key,
  };
  const commentIdOf = (comment: CommentVersion) =>
    requireId(ids.comment, `${timeline.index}:${comment.index}`);
  const creation: ChangelogHistory = {
    id: requireId(ids.creationChangelog, timeline.index),
    author: timeline.reporter,
    created: jiraTime(timeline.createdMs),
    items: timeline.creationItems,
  };
  const changelog: ChangelogHistory[] = site.creationInChangelog ? [creation] : [];
  const payloads: WebhookPayload[] = [
    issuePayload('jira:issue_created', creation, { ...issueRef, fields: fieldsOf(timeline.initial) }),
  ];
  timeline.steps.forEach((step, i) => {
    const issue = { ...issueRef, fields: fieldsOf(step.state) };
    if (step.kind !== 'history') {
      payloads.push(commentPayload(step, commentIdOf(step.comment), issue));
      return;
    }
    const history: ChangelogHistory = {
      id: requireId(ids.history, `${timeline.index}:${i}`),
      author: step.author,
      created: jiraTime(step.atMs),
      items: step.items,
    };
    changelog.push(history);
    payloads.push(issuePayload('jira:issue_updated', history, issue));
  });
  const finalState = timeline.steps.at(-1)?.state ?? timeline.initial;
  return {
    issue: { id: timeline.id, key: timeline.key, fields: fieldsOf(finalState) },
    changelog,
    comments: timeline.finalComments.map((comment) => ({
      id: commentIdOf(comment),
      author: comment.author,
      updateAuthor: comment.author,
      body: adfDocumentOf(comment.text),
      created: jiraTime(comment.createdMs),
      updated: jiraTime(comment.updatedMs),
      jsdPublic: true,
    })),
    deliveries: payloads.map((payload) => ({ identifier: nextIdentifier(), payload })),
  };
}

interface RenderedIssue {
  readonly id: string;
  readonly self: string;
  readonly key: string;
  readonly fields: SimulatedIssueFields;
}

function issuePayload(
  webhookEvent: IssueWebhookPayload['webhookEvent'],
  history: ChangelogHistory,
  issue: RenderedIssue,
): IssueWebhookPayload {
  const isCreation = webhookEvent === 'jira:issue_created';
  return {
    timestamp: parseJiraTime(history.created),
    webhookEvent,
    issue_event_type_name: isCreation ? 'issue_created' : eventTypeNameOf(history.items),
    user: history.author,
    issue: { ...issue, fields: webhookFieldsOf(issue.fields) },
    changelog: { id: history.id, items: history.items },
  };
}

/** A comment event: the comment in wiki text and only the few issue fields Jira sends with it. */
function commentPayload(
  step: Extract<Step, { kind: CommentWebhookPayload['webhookEvent'] }>,
  id: string,
  issue: RenderedIssue,
): CommentWebhookPayload {
  const { summary, issuetype, project, assignee, priority, status } = issue.fields;
  return {
    timestamp: step.atMs,
    webhookEvent: step.kind,
    comment: {
      self: `${issue.self}/comment/${id}`,
      id,
      author: step.comment.author,
      body: step.comment.text,
      updateAuthor: step.comment.author,
      created: jiraTime(step.comment.createdMs),
      updated: jiraTime(step.comment.updatedMs),
      jsdPublic: true,
    },
    issue: {
      id: issue.id,
      self: issue.self,
      key: issue.key,
      fields: { summary, issuetype, project, assignee, priority, status },
    },
  };
}

function restFieldsOf(state: IssueState, timeline: Timeline, project: JiraProject): SimulatedIssueFields {
  return {
    summary: state.summary,
    description: adfDocumentOf(state.description),
    issuetype: INCIDENT_TYPE,
    project,
    status: state.status,
    priority: state.priority,
    assignee: state.assignee,
    reporter: timeline.reporter,
    creator: timeline.reporter,
    components: state.components,
    labels: state.labels,
    created: jiraTime(timeline.createdMs),
    updated: jiraTime(state.updatedMs),
    [IMPACT_STARTED_FIELD]: state.impactStartedMs === null ? null : jiraTime(state.impactStartedMs),
    [SEVERITY_FIELD]: state.severity,
  };
}

/** Webhooks render fields as REST API v2 does: the description as wiki text, not ADF. */
function webhookFieldsOf(fields: SimulatedIssueFields): WebhookIssueFields {
  return { ...fields, description: fields.description === null ? null : plainTextOf(fields.description) };
}

function eventTypeNameOf(items: readonly ChangeItem[]): IssueWebhookPayload['issue_event_type_name'] {
  if (items.some((change) => change.fieldId === 'status')) return 'issue_generic';
  if (items.every((change) => change.fieldId === 'assignee')) return 'issue_assigned';
  return 'issue_updated';
}

/** A UUID-shaped identifier from the seeded stream, unique in practice and the same on every run. */
function identifierOf(random: SeededRandom): string {
  const hex = Array.from({ length: 32 }, () => random.integer(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
