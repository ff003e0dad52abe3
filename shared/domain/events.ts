import * as z from 'zod/mini';

// Schemas of stored rows are built on first use (z.lazy): the webhook function never reads a row,
// and building them at import would add to its cold start.
const statusRef = z.lazy(() => z.object({ id: z.nullable(z.string()), name: z.string() }));

/** Someone Jira names: a Cloud account id, or a Data Center user name, and a display name. */
export const personSchema = z.lazy(() =>
  z.object({
    accountId: z.optional(z.string()),
    name: z.optional(z.string()),
    displayName: z.optional(z.string()),
    email: z.optional(z.string()),
  }),
);
export type Person = z.infer<typeof personSchema>;

/**
 * What a payload said about the issue at the time of its event. A field the payload did not carry is
 * absent (comment webhooks carry only a few fields), which is not the same as empty.
 */
export const issueSnapshotSchema = z.lazy(() =>
  z.object({
    key: z.string(),
    summary: z.optional(z.string()),
    issueType: z.optional(z.string()),
    status: z.optional(statusRef),
    priority: z.optional(z.nullable(z.string())),
    severityField: z.optional(z.nullable(z.string())),
    assignee: z.optional(z.nullable(personSchema)),
    components: z.optional(z.array(z.string())),
    labels: z.optional(z.array(z.string())),
    createdMs: z.optional(z.number()),
    /** The description as Jira sent it: wiki markup text (webhooks, REST v2) or an ADF document (REST v3). */
    description: z.optional(z.nullable(z.union([z.string(), z.looseObject({ type: z.string() })]))),
    /** The team's "impact started" date field, when it has one (null: the field is empty). */
    impactStartedMs: z.optional(z.nullable(z.number())),
    updatedMs: z.optional(z.number()),
  }),
);
export type IssueSnapshot = z.infer<typeof issueSnapshotSchema>;

export const TRACKED_FIELDS = [
  'priority',
  'severity',
  'assignee',
  'components',
  'labels',
  'summary',
] as const;
export type TrackedField = (typeof TRACKED_FIELDS)[number];

const eventBody = () =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('issue-created') }),
    z.object({ kind: z.literal('issue-updated') }),
    z.object({ kind: z.literal('status-changed'), from: z.nullable(statusRef), to: statusRef }),
    z.object({
      kind: z.literal('field-changed'),
      field: z.enum(TRACKED_FIELDS),
      from: z.nullable(z.string()),
      to: z.nullable(z.string()),
    }),
    z.object({
      kind: z.literal('comment-written'),
      commentId: z.string(),
      author: z.nullable(personSchema),
      body: z.string(),
      bodyTruncated: z.boolean(),
      createdMs: z.number(),
      updatedMs: z.number(),
      /** Jira Service Management's public flag, when the comment carried one (true by default in Jira). */
      jsdPublic: z.optional(z.boolean()),
    }),
    z.object({ kind: z.literal('comment-deleted'), commentId: z.string() }),
    z.object({ kind: z.literal('issue-deleted') }),
  ]);

/**
 * One thing that happened to an incident, as Jira recorded it. `eventId` is stable across delivery
 * paths (webhook, retry, reconciler), so the same fact is stored once; `atMs` is Jira's own time.
 */
export const incidentEventSchema = z.lazy(() =>
  z.intersection(
    z.object({
      eventId: z.string(),
      issueId: z.string(),
      atMs: z.number(),
      /** Jira's own sequence where it has one (changelog and comment ids), to order events of one ms. */
      seq: z.number(),
      actor: z.nullable(personSchema),
      issue: issueSnapshotSchema,
      /** Set by a backfill: only events at or after this time may notify or start a postmortem. */
      effectsFromMs: z.optional(z.number()),
    }),
    eventBody(),
  ),
);
export type IncidentEvent = z.infer<typeof incidentEventSchema>;
export type IncidentEventKind = IncidentEvent['kind'];

const KIND_ORDER: Record<IncidentEventKind, number> = {
  'issue-created': 0,
  'status-changed': 1,
  'field-changed': 1,
  'comment-written': 2,
  'comment-deleted': 3,
  'issue-updated': 4,
  'issue-deleted': 5,
};

/** Jira time first; ties broken by kind, Jira's sequence and finally the identity: a total order. */
export function compareEvents(a: IncidentEvent, b: IncidentEvent): number {
  return (
    a.atMs - b.atMs ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    a.seq - b.seq ||
    (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
  );
}

/** The events in the one order every fold uses, each identity once. */
export function orderEvents(events: readonly IncidentEvent[]): IncidentEvent[] {
  const unique = new Map<string, IncidentEvent>();
  for (const event of events) if (!unique.has(event.eventId)) unique.set(event.eventId, event);
  return [...unique.values()].sort(compareEvents);
}
