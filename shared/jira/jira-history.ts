import * as z from 'zod/mini';
import '../domain/zod-english.ts';
import type { IncidentEvent, IssueSnapshot, Person } from '../domain/events.ts';
import { currentIssue } from '../domain/timeline.ts';
import {
  asText,
  type ChangelogItem,
  changelogEvents,
  changelogItem,
  commentEvent,
  type EventBase,
  type JiraComment,
  type JiraIssueRead,
  jiraUser,
  parseJiraTime,
  richBody,
  snapshotOf,
  toPerson,
  trackedFieldOf,
  type WebhookReading,
} from './jira-webhook.ts';

const id = z.pipe(z.union([z.string(), z.number()]), z.transform(String));
const text = z.optional(z.nullable(z.string()));

export { type JiraIssueRead, jiraIssueReadSchema } from './jira-webhook.ts';

/** One entry of an issue's changelog (`GET /issue/{id}/changelog`). */
export const changelogHistorySchema = z.looseObject({
  id,
  author: z.optional(z.nullable(jiraUser)),
  created: z.string(),
  items: z._default(z.array(changelogItem), []),
});
export type ChangelogHistory = z.infer<typeof changelogHistorySchema>;

/** One comment as `GET /issue/{id}/comment` returns it (its body in ADF). */
export const jiraCommentReadSchema = z.looseObject({
  id,
  body: richBody,
  author: z.optional(z.nullable(jiraUser)),
  updateAuthor: z.optional(z.nullable(jiraUser)),
  created: text,
  updated: text,
  /** Jira Service Management's public flag (Jira sets it true on every comment of other projects too). */
  jsdPublic: z.optional(z.boolean()),
});

/** Everything Jira holds about one issue: its fields now, every changelog entry, every comment now. */
export interface IssueHistory {
  readonly issue: JiraIssueRead;
  readonly histories: readonly ChangelogHistory[];
  readonly comments: readonly JiraComment[];
}

/** The snapshot fields a fold or a notification reads; the description is only for the postmortem. */
const FOLDED_FIELDS = [
  'summary',
  'issueType',
  'status',
  'priority',
  'severityField',
  'assignee',
  'components',
  'labels',
  'createdMs',
  'impactStartedMs',
] as const satisfies readonly (keyof IssueSnapshot)[];

const splitLabels = (value: string | null | undefined): string[] =>
  (value ?? '').split(' ').filter((label) => label.length > 0);

/** The issue as it was before one changelog item: the item's change, undone. */
function undo(snapshot: IssueSnapshot, item: ChangelogItem, reading: WebhookReading): IssueSnapshot {
  const field = trackedFieldOf(item, reading);
  const before = item.fromString ?? asText(item.from);
  switch (field) {
    case 'status':
      return before === null ? snapshot : { ...snapshot, status: { id: asText(item.from), name: before } };
    case 'priority':
      return { ...snapshot, priority: before };
    case 'severity':
      return { ...snapshot, severityField: before };
    case 'summary':
      return before === null ? snapshot : { ...snapshot, summary: before };
    case 'labels':
      return { ...snapshot, labels: splitLabels(item.fromString) };
    case 'assignee': {
      if (item.from == null && item.fromString == null) return { ...snapshot, assignee: null };
      const person: Person = {};
      if (item.from != null) person.accountId = String(item.from);
      if (item.fromString != null) person.displayName = item.fromString;
      return { ...snapshot, assignee: person };
    }
    case 'components': {
      // Jira records one item per component added (to) or removed (from).
      const components = (snapshot.components ?? []).filter((name) => name !== item.toString);
      if (item.fromString != null && !components.includes(item.fromString)) components.push(item.fromString);
      return { ...snapshot, components };
    }
    default:
      return snapshot;
  }
}

/** Only the fields a fold reads, so rebuilt snapshots stay small (no description in every event). */
function foldedFieldsOf(snapshot: IssueSnapshot): IssueSnapshot {
  const kept: IssueSnapshot = { key: snapshot.key };
  for (const field of FOLDED_FIELDS) {
    if (snapshot[field] !== undefined) Object.assign(kept, { [field]: snapshot[field] });
  }
  return kept;
}

const personKey = (person: Person | null | undefined) =>
  person === undefined ? undefined : person === null ? null : (person.accountId ?? person.name ?? null);

/** The value of a field as compared between the store and Jira: people by account, lists as sets. */
function comparable(snapshot: IssueSnapshot, field: (typeof FOLDED_FIELDS)[number]): string {
  const value = snapshot[field];
  if (field === 'assignee') return JSON.stringify(personKey(snapshot.assignee));
  if (field === 'status') return JSON.stringify(snapshot.status?.id ?? snapshot.status?.name.toLowerCase());
  if (Array.isArray(value)) return JSON.stringify([...value].sort());
  return JSON.stringify(value);
}

/** The folded fields on which the stored picture of an issue differs from Jira's, by name. */
export function differingFields(stored: IssueSnapshot, jira: IssueSnapshot): string[] {
  return FOLDED_FIELDS.filter(
    (field) => jira[field] !== undefined && comparable(stored, field) !== comparable(jira, field),
  );
}

/**
 * The events an issue's full history stands for, with the identities the webhook gives the same facts:
 * `issue#<id>#created`, `changelog#<history id>#<field>`, `comment#<id>#<updated ms>`. Each changelog
 * event carries the issue as it was right after that change, rebuilt by undoing later changes from
 * the issue as it is now, so severities and statuses at each moment are the ones a webhook would have
 * carried. Events in `stored` (this issue's, already kept) decide two things only Jira's present
 * tells: comments deleted since (gone from Jira, still in the store), and whether the issue's current
 * fields need an `issue#<id>#updated#<updated ms>` event because the store's picture differs.
 * With `cut`, the lists are only what a search embedded (the newest histories, the first comments):
 * a stored comment absent from them is not taken as deleted.
 */
export function eventsFromIssueHistory(
  history: IssueHistory,
  reading: WebhookReading,
  stored: readonly IncidentEvent[] = [],
  options: { readonly cut?: boolean } = {},
): IncidentEvent[] {
  const { issue } = history;
  const issueId = issue.id;
  const now = snapshotOf(issue, reading);
  const createdMs = now.createdMs;
  const histories = history.histories
    .map((entry) => ({ entry, atMs: parseJiraTime(entry.created) }))
    .filter((dated): dated is { entry: ChangelogHistory; atMs: number } => dated.atMs !== undefined)
    .sort((a, b) => a.atMs - b.atMs || Number(a.entry.id) - Number(b.entry.id));

  // Walk back from now: the snapshot after each history, then the issue as it was created.
  const after: IssueSnapshot[] = [];
  let snapshot = foldedFieldsOf(now);
  for (let i = histories.length - 1; i >= 0; i -= 1) {
    const dated = histories[i];
    if (dated === undefined) continue;
    after[i] = { ...snapshot, updatedMs: dated.atMs };
    for (const item of [...dated.entry.items].reverse()) snapshot = undo(snapshot, item, reading);
  }
  const events: IncidentEvent[] = [];
  const creator = toPerson(
    (issue.fields.creator as z.infer<typeof jiraUser> | undefined) ??
      (issue.fields.reporter as z.infer<typeof jiraUser> | undefined),
  );
  if (createdMs !== undefined) {
    events.push({
      issueId,
      actor: creator,
      issue: { ...snapshot, updatedMs: createdMs },
      kind: 'issue-created',
      eventId: `issue#${issueId}#created`,
      atMs: createdMs,
      seq: 0,
    });
  }
  for (const [index, { entry, atMs }] of histories.entries()) {
    const base: EventBase = {
      issueId,
      actor: toPerson(entry.author),
      issue: after[index] ?? { key: issue.key },
    };
    events.push(...changelogEvents({ id: entry.id, items: entry.items, atMs, base, reading }));
  }

  const commentIssue: IssueSnapshot = { key: issue.key };
  if (now.issueType !== undefined) commentIssue.issueType = now.issueType;
  if (createdMs !== undefined) commentIssue.createdMs = createdMs;
  const liveComments = new Set<string>();
  for (const comment of history.comments) {
    const commentCreatedMs = parseJiraTime(comment.created);
    if (commentCreatedMs === undefined) continue;
    const updatedMs = parseJiraTime(comment.updated) ?? commentCreatedMs;
    liveComments.add(comment.id);
    events.push(
      commentEvent(comment, {
        issueId,
        actor: null,
        issue: commentIssue,
        atMs: updatedMs,
        seq: Number.isSafeInteger(Number(comment.id)) ? Number(comment.id) : 0,
        createdMs: commentCreatedMs,
        updatedMs,
      }),
    );
  }

  const storedIds = new Set(stored.map((event) => event.eventId));
  // Jira keeps no trace of a deleted comment: its deletion is dated by the issue's last update.
  const deletedAtMs = now.updatedMs ?? createdMs ?? 0;
  for (const event of options.cut === true ? [] : stored) {
    if (event.kind !== 'comment-written' || liveComments.has(event.commentId)) continue;
    const eventId = `comment#${event.commentId}#deleted`;
    if (storedIds.has(eventId) || events.some((known) => known.eventId === eventId)) continue;
    events.push({
      issueId,
      actor: null,
      issue: commentIssue,
      kind: 'comment-deleted',
      eventId,
      atMs: Math.max(deletedAtMs, event.atMs),
      seq: event.seq,
      commentId: event.commentId,
    });
  }

  const known = [...stored, ...events.filter((event) => !storedIds.has(event.eventId))];
  const picture = known.length > 0 ? currentIssue(known) : { key: issue.key };
  const needsDescription = now.description !== undefined && picture.description === undefined;
  const updatedMs = now.updatedMs ?? createdMs;
  if (updatedMs !== undefined && (needsDescription || differingFields(picture, now).length > 0)) {
    events.push({
      issueId,
      actor: null,
      issue: now,
      kind: 'issue-updated',
      eventId: `issue#${issueId}#updated#${updatedMs}`,
      atMs: updatedMs,
      seq: 0,
    });
  }
  return events;
}

/** The id of an issue's newest history (by Jira's `created`, then by id); null for an empty changelog. */
export function newestHistoryId(histories: readonly ChangelogHistory[]): string | null {
  let newest: { readonly id: string; readonly atMs: number } | null = null;
  for (const history of histories) {
    const atMs = parseJiraTime(history.created) ?? Number.NEGATIVE_INFINITY;
    const later =
      newest === null ||
      atMs > newest.atMs ||
      (atMs === newest.atMs && Number(history.id) > Number(newest.id));
    if (later) newest = { id: history.id, atMs };
  }
  return newest?.id ?? null;
}

/** The events of `candidates` that the store does not hold yet, each identity once. */
export function missingEvents(
  candidates: readonly IncidentEvent[],
  stored: readonly IncidentEvent[],
): IncidentEvent[] {
  const known = new Set(stored.map((event) => event.eventId));
  const missing: IncidentEvent[] = [];
  for (const event of candidates) {
    if (known.has(event.eventId)) continue;
    known.add(event.eventId);
    missing.push(event);
  }
  return missing;
}
