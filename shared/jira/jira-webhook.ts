import * as z from 'zod/mini';
import '../domain/zod-english.ts';
import type { IncidentEvent, IssueSnapshot, Person, TrackedField } from '../domain/events.ts';
import { issueKeySchema } from './issue-key.ts';
import { isWithinDepth, MAX_RICH_TEXT_DEPTH } from './rich-text-depth.ts';

// Jira adds fields freely and omits many (Data Center has no accountId, minimal payloads have no
// timestamp or user): every object is loose and every field we do not strictly need is optional.
const id = z.pipe(z.union([z.string(), z.number()]), z.transform(String));
const text = z.optional(z.nullable(z.string()));

export const jiraUser = z.looseObject({
  accountId: z.optional(z.string()),
  name: z.optional(z.string()),
  key: z.optional(z.string()),
  displayName: z.optional(z.string()),
  emailAddress: z.optional(z.nullable(z.string())),
});

const named = z.looseObject({ id: z.optional(id), name: z.string() });

// Descriptions and comment bodies are wiki-markup text (REST v2 webhooks) or ADF documents (v3 reads).
// Every reader of an ADF document (text, Notion blocks, the store's marshalling) walks it, so a
// document deeper than Jira's editor can make is refused here, before anything recurses into it.
const adfDocument = z
  .looseObject({ type: z.string() })
  .check(
    z.refine(
      (document) => isWithinDepth(document, MAX_RICH_TEXT_DEPTH),
      `an ADF document nests at most ${MAX_RICH_TEXT_DEPTH} levels deep`,
    ),
  );
export const richBody = z.optional(z.nullable(z.union([z.string(), adfDocument])));

export const issueFields = z.looseObject({
  summary: text,
  issuetype: z.optional(z.nullable(named)),
  status: z.optional(z.nullable(named)),
  priority: z.optional(z.nullable(named)),
  assignee: z.optional(z.nullable(jiraUser)),
  components: z.optional(z.nullable(z.array(z.looseObject({ name: z.string() })))),
  labels: z.optional(z.nullable(z.array(z.string()))),
  created: text,
  updated: text,
  description: richBody,
});

export const changelogItem = z.looseObject({
  field: z.string(),
  fieldId: z.optional(z.string()),
  from: z.optional(z.nullable(z.union([z.string(), z.number()]))),
  fromString: text,
  to: z.optional(z.nullable(z.union([z.string(), z.number()]))),
  toString: text,
});

/**
 * Items one changelog entry may hold: a bulk edit touches a few dozen fields at most, and every item
 * becomes work (an event, a conditional write); past this a delivery is refused, not cut.
 */
export const MAX_CHANGELOG_ITEMS = 100;

/** A Jira webhook delivery, Cloud or Data Center, as tolerant as the real payloads require. */
export const jiraWebhookSchema = z.looseObject({
  timestamp: z.optional(z.number()),
  webhookEvent: z.optional(z.string()),
  user: z.optional(z.nullable(jiraUser)),
  issue: z.optional(
    z.looseObject({
      id: z.optional(id),
      key: issueKeySchema,
      fields: z._default(issueFields, {}),
    }),
  ),
  changelog: z.optional(
    z.nullable(
      z.looseObject({
        id: z.optional(id),
        items: z._default(
          z
            .array(changelogItem)
            .check(
              z.maxLength(
                MAX_CHANGELOG_ITEMS,
                `a changelog entry holds at most ${MAX_CHANGELOG_ITEMS} items; Jira sends one per field changed`,
              ),
            ),
          [],
        ),
      }),
    ),
  ),
  comment: z.optional(
    z.looseObject({
      id: id,
      body: richBody,
      author: z.optional(z.nullable(jiraUser)),
      updateAuthor: z.optional(z.nullable(jiraUser)),
      created: text,
      updated: text,
      /**
       * Jira Service Management's "shared with customers" flag. Jira sets it true on every comment of
       * a project that is not a service project too, so alone it proves nothing (see statusPage).
       */
      jsdPublic: z.optional(z.boolean()),
    }),
  ),
});
export type JiraWebhook = z.infer<typeof jiraWebhookSchema>;

/**
 * An issue as the REST API reads it (`GET /issue`, `/search/jql`) and Jira Automation sends it: an id
 * (a number in Automation's body), a key and the fields asked for, all loose.
 */
export const jiraIssueReadSchema = z.looseObject({
  id,
  key: issueKeySchema,
  fields: z._default(issueFields, {}),
});
export type JiraIssueRead = z.infer<typeof jiraIssueReadSchema>;
type JiraUser = z.infer<typeof jiraUser>;
export type ChangelogItem = z.infer<typeof changelogItem>;
/** An issue as webhooks carry it and REST reads return it: an id, a key and its fields. */
export type JiraIssue = NonNullable<JiraWebhook['issue']>;

/** What the webhook needs to know of the settings to read a payload. */
export interface WebhookReading {
  /** The custom field holding severity, when severity is not read from priority. */
  readonly severityField?: string | undefined;
  /** The date field saying when impact started, when the team sets one. */
  readonly startField?: string | undefined;
}

/** What to read from payloads under the team's settings. */
export function readingOf(settings: {
  readonly severity: { readonly source: 'priority' | 'field'; readonly field?: string | undefined };
  readonly incidents: { readonly startField?: string | undefined };
}): WebhookReading {
  return {
    severityField: settings.severity.source === 'field' ? settings.severity.field : undefined,
    startField: settings.incidents.startField,
  };
}

/** The custom fields a reading needs besides the standard ones, for REST reads that name their fields. */
export function customFieldsOf(reading: WebhookReading): string[] {
  return [reading.severityField, reading.startField].filter((field): field is string => field !== undefined);
}

export type WebhookConversion =
  | { kind: 'events'; issueId: string; issue: IssueSnapshot; events: IncidentEvent[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; path: string; message: string };

/** Jira's own limit on a summary; a longer one did not come from Jira and is cut. */
export const MAX_SUMMARY_CHARS = 255;

/** Jira's own limit on a text field (a description, a comment): what is kept per event, cut beyond. */
export const MAX_TEXT_CHARS = 32_767;

/** Description text kept per event (the postmortem's summary); DynamoDB items stop at 400 KB. */
export const MAX_DESCRIPTION_CHARS = MAX_TEXT_CHARS;

function truncateDescription<T>(description: T): T | string {
  if (typeof description === 'string') return description.slice(0, MAX_DESCRIPTION_CHARS);
  // An ADF document too large to keep is reduced to its text rather than dropped.
  return description !== null && JSON.stringify(description).length > MAX_DESCRIPTION_CHARS
    ? commentText(description as never).slice(0, MAX_DESCRIPTION_CHARS)
    : description;
}

/** Comment text kept per event; DynamoDB items stop at 400 KB and a timeline needs no more. */
export const MAX_COMMENT_CHARS = MAX_TEXT_CHARS;

/** Jira writes offsets as +0530; ISO 8601 parsers want +05:30. */
export function parseJiraTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

export function toPerson(user: JiraUser | null | undefined): Person | null {
  if (!user) return null;
  return {
    accountId: user.accountId,
    name: user.name ?? user.key,
    displayName: user.displayName,
    email: user.emailAddress ?? undefined,
  };
}

function optionValue(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  if (typeof value === 'object' && 'name' in value && typeof value.name === 'string') return value.name;
  return null;
}

/** The issue as this payload describes it; absent fields stay absent. */
export function snapshotOf(issue: JiraIssue, reading: WebhookReading): IssueSnapshot {
  const f = issue.fields;
  const snapshot: IssueSnapshot = { key: issue.key };
  if (f.summary != null) snapshot.summary = f.summary.slice(0, MAX_SUMMARY_CHARS);
  if (f.description !== undefined) snapshot.description = truncateDescription(f.description);
  if (f.issuetype) snapshot.issueType = f.issuetype.name;
  if (f.status) snapshot.status = { id: f.status.id ?? null, name: f.status.name };
  if (f.priority !== undefined) snapshot.priority = f.priority?.name ?? null;
  if (reading.severityField && reading.severityField in f) {
    snapshot.severityField = optionValue(f[reading.severityField]);
  }
  if (f.assignee !== undefined) snapshot.assignee = toPerson(f.assignee);
  if (f.components != null) snapshot.components = f.components.map((component) => component.name);
  if (f.labels != null) snapshot.labels = f.labels;
  if (reading.startField && reading.startField in f) {
    const value = f[reading.startField];
    snapshot.impactStartedMs = typeof value === 'string' ? (parseJiraTime(value) ?? null) : null;
  }
  const createdMs = parseJiraTime(f.created);
  if (createdMs !== undefined) snapshot.createdMs = createdMs;
  const updatedMs = parseJiraTime(f.updated);
  if (updatedMs !== undefined) snapshot.updatedMs = updatedMs;
  return snapshot;
}

/** The tracked field a changelog item changes: by fieldId, else by its name in any case. */
export function trackedFieldOf(item: ChangelogItem, reading: WebhookReading): TrackedField | 'status' | null {
  const key = (item.fieldId ?? item.field).toLowerCase();
  const name = item.field.toLowerCase();
  if (key === 'status' || name === 'status') return 'status';
  if (reading.severityField && (item.fieldId === reading.severityField || key === reading.severityField)) {
    return 'severity';
  }
  if (key === 'priority' || name === 'priority') return 'priority';
  if (key === 'assignee' || name === 'assignee') return 'assignee';
  if (key === 'components' || name === 'component' || name === 'components') return 'components';
  if (key === 'labels' || name === 'labels') return 'labels';
  if (key === 'summary' || name === 'summary') return 'summary';
  return null;
}

export const asText = (value: string | number | null | undefined): string | null =>
  value === null || value === undefined ? null : String(value);

export function numericSeq(value: string | undefined): number {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : 0;
}

export function commentText(body: z.infer<typeof richBody>): string {
  if (typeof body === 'string') return body;
  if (!body) return '';
  // An ADF document: keep every text node, paragraphs on their own lines; issue 4 renders it richly.
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if ('text' in node && typeof node.text === 'string') parts.push(node.text);
    if ('content' in node && Array.isArray(node.content)) {
      node.content.forEach(walk);
      if ('type' in node && node.type === 'paragraph') parts.push('\n');
    }
  };
  walk(body);
  return parts.join('').trim();
}

function isIssueEvent(name: string | undefined): boolean {
  return name === undefined || name.startsWith('jira:issue_') || name.startsWith('comment_');
}

/**
 * The events one delivery stands for, each with an identity that any other path to the same fact
 * (a retry, the reconciler) reproduces. Kinds are told apart by what the payload holds, not by
 * `issue_event_type_name`, which is an open set and sometimes absent.
 */
export function eventsFromWebhook(payload: JiraWebhook, reading: WebhookReading): WebhookConversion {
  return withinItemSize(convertWebhook(payload, reading), [
    ...Object.entries(payload.issue?.fields ?? {}).map(
      ([name, value]) => [`issue.fields.${name}`, value] as const,
    ),
    ['user', payload.user],
    ['comment', payload.comment],
    ['changelog', payload.changelog],
  ]);
}

/**
 * What one stored event may weigh. DynamoDB refuses an item over 400 KB and the item adds its keys
 * and indexes; fields are already cut to Jira's limits, so only a payload Jira would not send gets here.
 */
export const MAX_EVENT_BYTES = 300_000;

const byteLength = (value: unknown) => new TextEncoder().encode(JSON.stringify(value) ?? '').length;

/**
 * The conversion, or `invalid` naming the largest part of the payload when an event would be heavier
 * than an item may be: a 400 the sender can act on rather than the store's 500, retried for hours.
 */
export function withinItemSize(
  conversion: WebhookConversion,
  parts: readonly (readonly [path: string, value: unknown])[],
): WebhookConversion {
  if (conversion.kind !== 'events') return conversion;
  const heaviest = Math.max(...conversion.events.map(byteLength));
  if (heaviest <= MAX_EVENT_BYTES) return conversion;
  const [path] = parts
    .map(([name, value]) => [name, byteLength(value)] as const)
    .reduce((largest, part) => (part[1] > largest[1] ? part : largest), ['issue', 0] as const);
  return {
    kind: 'invalid',
    path,
    message: `the event would take ${heaviest} bytes, over the ${MAX_EVENT_BYTES} one event may take; this is its largest part`,
  };
}

function convertWebhook(payload: JiraWebhook, reading: WebhookReading): WebhookConversion {
  if (!isIssueEvent(payload.webhookEvent)) {
    return { kind: 'ignored', reason: `webhook event ${payload.webhookEvent} is not about an issue` };
  }
  const issue = payload.issue;
  if (!issue) return { kind: 'invalid', path: 'issue', message: 'an issue event needs the issue' };
  if (issue.id === undefined)
    return { kind: 'invalid', path: 'issue.id', message: 'the issue id is required' };
  const issueId = issue.id;
  const snapshot = snapshotOf(issue, reading);
  const atMs = payload.timestamp ?? snapshot.updatedMs;
  const actor = toPerson(payload.user);
  const base = { issueId, actor, issue: snapshot };
  const webhookEvent = payload.webhookEvent ?? '';

  if (webhookEvent === 'jira:issue_deleted') {
    if (atMs === undefined) return missingTime();
    return {
      kind: 'events',
      issueId,
      issue: snapshot,
      events: [{ ...base, kind: 'issue-deleted', eventId: `issue#${issueId}#deleted`, atMs, seq: 0 }],
    };
  }

  if (payload.comment) {
    const comment = payload.comment;
    const createdMs = parseJiraTime(comment.created) ?? atMs;
    if (createdMs === undefined)
      return { kind: 'invalid', path: 'comment.created', message: 'the comment needs its created time' };
    const updatedMs = parseJiraTime(comment.updated) ?? createdMs;
    const seq = numericSeq(comment.id);
    if (webhookEvent === 'comment_deleted') {
      const deletedAtMs = atMs ?? updatedMs;
      const event: IncidentEvent = {
        ...base,
        kind: 'comment-deleted',
        eventId: `comment#${comment.id}#deleted`,
        atMs: deletedAtMs,
        seq,
        commentId: comment.id,
      };
      return { kind: 'events', issueId, issue: snapshot, events: [event] };
    }
    const event = commentEvent(comment, { ...base, atMs: updatedMs, seq, createdMs, updatedMs });
    return { kind: 'events', issueId, issue: snapshot, events: [event] };
  }

  if (atMs === undefined) return missingTime();
  const events: IncidentEvent[] = [];
  if (webhookEvent === 'jira:issue_created') {
    events.push({ ...base, kind: 'issue-created', eventId: `issue#${issueId}#created`, atMs, seq: 0 });
  }
  const changelog = payload.changelog;
  if (changelog?.id !== undefined) {
    events.push(...changelogEvents({ id: changelog.id, items: changelog.items, atMs, base, reading }));
  }
  if (events.length === 0) {
    // Nothing tracked changed, but the payload still tells the issue's current state: keep it once
    // per version of the issue (its `updated` time), so a retry is a duplicate.
    const version = snapshot.updatedMs ?? atMs;
    events.push({
      ...base,
      kind: 'issue-updated',
      eventId: `issue#${issueId}#updated#${version}`,
      atMs,
      seq: 0,
    });
  }
  return { kind: 'events', issueId, issue: snapshot, events };
}

/** What every event of one issue from one source shares: the issue, who acted, and what the issue was. */
export interface EventBase {
  readonly issueId: string;
  readonly actor: Person | null;
  readonly issue: IssueSnapshot;
}

/**
 * The events of one changelog entry (a webhook's `changelog`, or one history of the REST changelog):
 * one per tracked item, identified by the changelog id and the field, so both paths store one fact once.
 */
export function changelogEvents(change: {
  readonly id: string;
  readonly items: readonly ChangelogItem[];
  readonly atMs: number;
  readonly base: EventBase;
  readonly reading: WebhookReading;
}): IncidentEvent[] {
  const { id, items, atMs, base, reading } = change;
  const seq = numericSeq(id);
  const seen = new Map<string, number>();
  const events: IncidentEvent[] = [];
  // The webhook refuses longer entries; a REST history is read no further than a webhook would be.
  for (const item of items.slice(0, MAX_CHANGELOG_ITEMS)) {
    const field = trackedFieldOf(item, reading);
    if (field === null) continue;
    // Jira moves an issue once per entry: a second status item is not Jira's, and is not kept.
    if (field === 'status' && seen.has(field)) continue;
    // A changelog may change one field in several items (two components added): number repeats.
    const count = (seen.get(field) ?? 0) + 1;
    seen.set(field, count);
    const eventId = `changelog#${id}#${field}${count > 1 ? `#${count}` : ''}`;
    if (field === 'status') {
      const to = { id: asText(item.to), name: item.toString ?? asText(item.to) ?? '' };
      const from =
        item.fromString == null && item.from == null
          ? null
          : { id: asText(item.from), name: item.fromString ?? asText(item.from) ?? '' };
      events.push({ ...base, kind: 'status-changed', eventId, atMs, seq, from, to });
    } else {
      events.push({
        ...base,
        kind: 'field-changed',
        eventId,
        atMs,
        seq,
        field,
        from: cutTo(field, item.fromString ?? asText(item.from)),
        to: cutTo(field, item.toString ?? asText(item.to)),
      });
    }
  }
  return events;
}

/** A changed value as Jira could hold it: a summary to 255 characters, any other text to 32,767. */
function cutTo(field: TrackedField, value: string | null): string | null {
  return value === null ? null : value.slice(0, field === 'summary' ? MAX_SUMMARY_CHARS : MAX_TEXT_CHARS);
}

export type JiraComment = NonNullable<JiraWebhook['comment']>;

/** A comment's current version as an event: identified by its id and its `updated` time, so an edit is new. */
export function commentEvent(
  comment: JiraComment,
  at: EventBase & {
    readonly atMs: number;
    readonly seq: number;
    readonly createdMs: number;
    readonly updatedMs: number;
  },
): IncidentEvent {
  const fullText = commentText(comment.body);
  return {
    ...at,
    kind: 'comment-written',
    eventId: `comment#${comment.id}#${at.updatedMs}`,
    actor: toPerson(comment.updateAuthor ?? comment.author) ?? at.actor,
    commentId: comment.id,
    author: toPerson(comment.author),
    body: fullText.slice(0, MAX_COMMENT_CHARS),
    bodyTruncated: fullText.length > MAX_COMMENT_CHARS,
    // Only when Jira said so: events stored before the flag was read stay byte for byte the same.
    ...(comment.jsdPublic === undefined ? {} : { jsdPublic: comment.jsdPublic }),
  };
}

function missingTime(): WebhookConversion {
  return {
    kind: 'invalid',
    path: 'timestamp',
    message: 'the event needs its time: timestamp, or issue.fields.updated',
  };
}
