import * as z from 'zod/mini';
import { type IncidentEvent, type IssueSnapshot, orderEvents, personSchema } from './events.ts';
import { type IncidentRule, type SeverityRule, severityOf, whyNotIncident } from './incident-rules.ts';
import {
  type BoardSettings,
  isAtOrAfter,
  isBefore,
  type KnownStage,
  SEVERITIES,
  type Stage,
  type StatusRef,
  stageOf,
} from './lifecycle.ts';

const stageVisitSchema = z.lazy(() =>
  z.object({
    stage: z.string(),
    status: z.string(),
    enteredAtMs: z.number(),
    leftAtMs: z.nullable(z.number()),
  }),
);
/** One stay of the incident in one status; `leftAtMs` is null while it is still there. */
export type StageVisit = z.infer<typeof stageVisitSchema>;

/** Everything known of an incident, folded from its events; always rebuildable from them (built on first use). */
export const incidentStateSchema = z.lazy(() =>
  z.object({
    issueId: z.string(),
    key: z.string(),
    summary: z.string(),
    issueType: z.nullable(z.string()),
    isIncident: z.boolean(),
    severity: z.nullable(z.enum(SEVERITIES)),
    priority: z.nullable(z.string()),
    status: z.nullable(z.string()),
    stage: z.nullable(z.string()),
    assignee: z.nullable(personSchema),
    components: z.array(z.string()),
    labels: z.array(z.string()),
    openedAtMs: z.number(),
    acknowledgedAtMs: z.nullable(z.number()),
    resolvedAtMs: z.nullable(z.number()),
    reopenCount: z.number(),
    timeToAcknowledgeMs: z.nullable(z.number()),
    timeToResolveMs: z.nullable(z.number()),
    visits: z.array(stageVisitSchema),
    /** Time per stage over finished visits; the open visit is added at read time (see timeInStage). */
    closedStageDurationsMs: z.record(z.string(), z.number()),
    commentCount: z.number(),
    deleted: z.boolean(),
    deletedAtMs: z.nullable(z.number()),
    eventCount: z.number(),
    lastEventAtMs: z.number(),
    /** Present when a backfill imported events: what happened before this time causes no effects. */
    effectsFromMs: z.optional(z.number()),
  }),
);
export type IncidentState = z.infer<typeof incidentStateSchema>;

/** The settings a fold reads. */
export interface FoldSettings {
  readonly board: BoardSettings;
  readonly incidents: IncidentRule;
  readonly severity: SeverityRule;
}

/** Time spent in each stage, summed over repeat visits; an open visit runs until `nowMs`. */
export function timeInStage(visits: readonly StageVisit[], nowMs: number | null): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const visit of visits) {
    const leftAtMs = visit.leftAtMs ?? nowMs;
    if (leftAtMs === null) continue;
    totals[visit.stage] = (totals[visit.stage] ?? 0) + (leftAtMs - visit.enteredAtMs);
  }
  return totals;
}

/** Two statuses are the same by id when both have one, else by name in any case. */
export function sameStatus(a: StatusRef, b: StatusRef): boolean {
  if (a.id !== null && b.id !== null) return a.id === b.id;
  return a.name.toLowerCase() === b.name.toLowerCase();
}

/** The issue now: each field from the newest snapshot that carried it (snapshots ordered by version). */
export function currentIssue(events: readonly IncidentEvent[]): IssueSnapshot {
  const byVersion = [...events].sort((a, b) => (a.issue.updatedMs ?? a.atMs) - (b.issue.updatedMs ?? b.atMs));
  const current: IssueSnapshot = { key: events[0]?.issue.key ?? '' };
  for (const { issue } of byVersion) {
    for (const [field, value] of Object.entries(issue)) {
      if (value !== undefined) Object.assign(current, { [field]: value });
    }
  }
  return current;
}

/** When the clock starts: the team's "impact started" field when set, else the issue's creation. */
function openingOf(events: readonly IncidentEvent[], issue: IssueSnapshot): number {
  if (typeof issue.impactStartedMs === 'number') return issue.impactStartedMs;
  const created = events.map((event) => event.issue.createdMs).filter((ms) => ms !== undefined);
  // Every real payload carries `created`; the earliest event stands in when none did.
  return created.length > 0 ? Math.min(...created) : Math.min(...events.map((event) => event.atMs));
}

/** The status the incident was opened in: at creation, else before its first change, else as last known. */
export function initialStatus(events: readonly IncidentEvent[], latest: IssueSnapshot): StatusRef | null {
  const created = events.find((event) => event.kind === 'issue-created');
  if (created?.issue.status) return created.issue.status;
  const firstChange = events.find((event) => event.kind === 'status-changed');
  if (firstChange?.kind === 'status-changed') return firstChange.from ?? firstChange.to;
  return latest.status ?? null;
}

/**
 * Folds an incident's events, in any order and with any duplicates, into its state. The first
 * visit starts at the issue's own creation; a move from the resolving stage (or later) back to an
 * earlier stage reopens it, and only the last resolution counts.
 */
export function foldIncident(
  unordered: readonly IncidentEvent[],
  settings: FoldSettings,
): IncidentState | null {
  const events = orderEvents(unordered);
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last) return null;
  const { board } = settings;
  const issue = currentIssue(events);
  const openedAtMs = openingOf(events, issue);

  const visits: StageVisit[] = [];
  let current = initialStatus(events, issue);
  if (current)
    visits.push({
      stage: stageOf(current, board),
      status: current.name,
      enteredAtMs: openedAtMs,
      leftAtMs: null,
    });
  for (const event of events) {
    if (event.kind !== 'status-changed') continue;
    if (current && sameStatus(current, event.to)) continue;
    const open = visits.at(-1);
    if (open) visits[visits.length - 1] = { ...open, leftAtMs: event.atMs };
    visits.push({
      stage: stageOf(event.to, board),
      status: event.to.name,
      enteredAtMs: event.atMs,
      leftAtMs: null,
    });
    current = event.to;
  }

  let acknowledgedAtMs: number | null = null;
  let resolvedAtMs: number | null = null;
  let reopenCount = 0;
  let previous: Stage | null = null;
  for (const visit of visits) {
    if (acknowledgedAtMs === null && isAtOrAfter(visit.stage, board.acknowledgeStage)) {
      acknowledgedAtMs = visit.enteredAtMs;
    }
    if (isAtOrAfter(visit.stage, board.resolveStage)) {
      resolvedAtMs ??= visit.enteredAtMs;
    } else if (isBefore(visit.stage, board.resolveStage)) {
      if (previous !== null && isAtOrAfter(previous, board.resolveStage)) reopenCount += 1;
      resolvedAtMs = null;
    }
    previous = visit.stage;
  }

  const comments = new Map<string, boolean>();
  for (const event of events) {
    if (event.kind === 'comment-written') comments.set(event.commentId, true);
    if (event.kind === 'comment-deleted') comments.set(event.commentId, false);
  }
  const deletedEvent = events.find((event) => event.kind === 'issue-deleted');
  const openVisit = visits.at(-1);
  const cutOffs = events.flatMap((event) => (event.effectsFromMs === undefined ? [] : [event.effectsFromMs]));

  return {
    issueId: first.issueId,
    key: issue.key,
    summary: issue.summary ?? '',
    issueType: issue.issueType ?? null,
    isIncident: whyNotIncident(issue, settings.incidents) === null,
    severity: severityOf(issue, settings.severity),
    priority: issue.priority ?? null,
    status: openVisit?.status ?? null,
    stage: openVisit?.stage ?? null,
    assignee: issue.assignee ?? null,
    components: issue.components ?? [],
    labels: issue.labels ?? [],
    openedAtMs,
    acknowledgedAtMs,
    resolvedAtMs,
    reopenCount,
    timeToAcknowledgeMs: acknowledgedAtMs === null ? null : acknowledgedAtMs - openedAtMs,
    timeToResolveMs: resolvedAtMs === null ? null : resolvedAtMs - openedAtMs,
    visits,
    closedStageDurationsMs: timeInStage(visits, null),
    commentCount: [...comments.values()].filter(Boolean).length,
    deleted: deletedEvent !== undefined,
    deletedAtMs: deletedEvent?.atMs ?? null,
    eventCount: events.length,
    lastEventAtMs: last.atMs,
    ...(cutOffs.length > 0 ? { effectsFromMs: Math.max(...cutOffs) } : {}),
  };
}

/**
 * Whether something that happened at `atMs` may still cause effects (a notification, a postmortem):
 * not when a backfill imported it from before its cut-off.
 */
export function causesEffects(state: IncidentState, atMs: number): boolean {
  return state.effectsFromMs === undefined || atMs >= state.effectsFromMs;
}

/**
 * Since when the incident has been at `stage` or a later one, without going back before it: the
 * start of its last stay there; null when it is not there now. For the resolving stage this is
 * `resolvedAtMs`. A status the board does not map neither reaches nor leaves a stage.
 */
export function reachedStageSinceMs(state: IncidentState, stage: KnownStage): number | null {
  let since: number | null = null;
  for (const visit of state.visits) {
    if (isAtOrAfter(visit.stage, stage)) since ??= visit.enteredAtMs;
    else if (isBefore(visit.stage, stage)) since = null;
  }
  return since;
}
