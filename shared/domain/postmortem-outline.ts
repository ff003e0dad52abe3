import type { DocBlock, DocRun, DocTableRow } from './doc-blocks.ts';
import { formatDuration } from './durations.ts';
import { type IncidentEvent, orderEvents } from './events.ts';
import type { FixLink } from './fix-links.ts';
import { isKnownStage, STAGES } from './lifecycle.ts';
import { plural } from './plural.ts';
import type { IncidentState } from './timeline.ts';

/** The outline's sections, by title, in order: the template-page writer finds sections by these. */
export const OUTLINE_SECTIONS = {
  summary: 'Summary',
  impact: 'Impact',
  rootCause: 'Root Cause',
  resolution: 'Resolution',
  timeline: 'Timeline',
  stageTimes: 'Time per stage',
  actionItems: 'Action Items',
} as const;

/**
 * What the outline needs besides the incident: the team's zone, links, who Incident Flow is in Jira,
 * and the incident's description as a document (read from Jira's text at the edge).
 */
export interface OutlineOptions {
  readonly timeZone: string;
  readonly description: readonly DocBlock[];
  readonly jiraUrl: string | null;
  /** Incident Flow's own Jira account: its comments are left out, so it never quotes itself. */
  readonly ownAccountId: string | null;
  /** The pull and merge requests naming the incident (CI webhooks): a Changes section when there are any. */
  readonly fixes?: readonly FixLink[];
  /** The alert that opened the incident, when one did: the timeline starts with its firing. */
  readonly alert?: AlertMoments | null;
}

/** When the alert that opened an incident fired and cleared, by the monitoring tool's clock. */
export interface AlertMoments {
  readonly name: string;
  readonly tool: string;
  readonly firedAtMs: number | null;
  readonly clearedAtMs: number | null;
}

/** The timeline with the alert's firing (even before the issue existed) and its clearing. */
export function withAlertMoments(
  timeline: readonly TimelineEntry[],
  alert: AlertMoments | null | undefined,
): TimelineEntry[] {
  if (!alert) return [...timeline];
  const moments: TimelineEntry[] = [];
  if (alert.firedAtMs !== null)
    moments.push({ atMs: alert.firedAtMs, who: null, what: `Alert fired: ${alert.name} (${alert.tool})` });
  if (alert.clearedAtMs !== null)
    moments.push({
      atMs: alert.clearedAtMs,
      who: null,
      what: `Alert cleared: ${alert.name} (${alert.tool})`,
    });
  // Stable sort: an alert fired in the same minute as the opening comes first.
  return [...moments, ...timeline].sort((a, b) => a.atMs - b.atMs);
}

/** The heading of the changes that fixed the incident; only in outlines that have fixes. */
export const CHANGES_HEADING = 'Changes';

const text = (content: string, bold = false): DocRun => ({
  text: content,
  url: null,
  ...(bold ? { marks: { bold: true } } : {}),
});
const link = (content: string, url: string): DocRun => ({ text: content, url });
const heading = (content: string): DocBlock => ({ kind: 'heading', level: 2, runs: [text(content)] });
const paragraph = (...runs: DocRun[]): DocBlock => ({ kind: 'paragraph', runs });
const guidance = (content: string): DocBlock => ({
  kind: 'paragraph',
  runs: [{ text: content, url: null, marks: { italic: true } }],
});
const bullet = (...runs: DocRun[]): DocBlock => ({ kind: 'bullet', runs });

const tableRow = (...cells: string[]): DocTableRow => ({ cells: cells.map((cell) => [text(cell)]) });

/**
 * Time per stage as a table (Stage, Time, Visits), in board order, statuses the board does not map
 * last: each stage's finished visits, summed. None when no visit has ended, as Notion refuses a table
 * without rows and a header alone says nothing.
 */
function stageTable(state: IncidentState): DocBlock[] {
  const rank = (stage: string) => (isKnownStage(stage) ? STAGES.indexOf(stage) : STAGES.length);
  const stages = Object.entries(state.closedStageDurationsMs).sort(([a], [b]) => rank(a) - rank(b));
  if (stages.length === 0) return [];
  const visitCount = (stage: string) =>
    state.visits.filter((visit) => visit.stage === stage && visit.leftAtMs !== null).length;
  return [
    {
      kind: 'table',
      width: 3,
      hasColumnHeader: true,
      hasRowHeader: false,
      rows: [
        tableRow('Stage', 'Time', 'Visits'),
        ...stages.map(([stage, ms]) => tableRow(stage, formatDuration(ms), String(visitCount(stage)))),
      ],
    },
  ];
}

/** A time as the team reads it: its own zone, named. */
function clockTime(ms: number, timeZone: string): string {
  const formatted = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
  return `${formatted} ${timeZone}`;
}

/** A line of the timeline: when, who, what. */
export interface TimelineEntry {
  readonly atMs: number;
  readonly who: string | null;
  readonly what: string;
}

/**
 * What happened between the incident's start and its resolution, oldest first: every stage change and
 * every comment (the team's notes during the incident), except Incident Flow's own comments.
 */
export function timelineOf(
  state: IncidentState,
  events: readonly IncidentEvent[],
  ownAccountId: string | null,
): TimelineEntry[] {
  const endMs = state.resolvedAtMs ?? Number.POSITIVE_INFINITY;
  const inWindow = (atMs: number) => atMs >= state.openedAtMs && atMs <= endMs;
  const stages: TimelineEntry[] = state.visits
    .filter((visit) => inWindow(visit.enteredAtMs))
    .map((visit, i) => ({
      atMs: visit.enteredAtMs,
      who: null,
      what:
        i === 0 && visit.enteredAtMs === state.openedAtMs
          ? `Opened in ${visit.status}`
          : `Moved to ${visit.status}`,
    }));
  const latest = new Map<string, Extract<IncidentEvent, { kind: 'comment-written' }>>();
  const deleted = new Set<string>();
  for (const event of orderEvents(events)) {
    if (event.kind === 'comment-written') latest.set(event.commentId, event);
    if (event.kind === 'comment-deleted') deleted.add(event.commentId);
  }
  const comments: TimelineEntry[] = [...latest.values()]
    .filter((comment) => !deleted.has(comment.commentId) && inWindow(comment.createdMs))
    .filter((comment) => ownAccountId === null || comment.author?.accountId !== ownAccountId)
    .map((comment) => ({
      atMs: comment.createdMs,
      who: comment.author?.displayName ?? comment.author?.name ?? null,
      what: comment.body,
    }));
  return [...stages, ...comments].sort((a, b) => a.atMs - b.atMs);
}

/** One bullet per change naming the incident: its link, author, and when it was merged (or that it is not yet). */
function changesSection(fixes: readonly FixLink[], timeZone: string): DocBlock[] {
  const byChange = new Map<string, FixLink>();
  // A merge supersedes the opening of the same change.
  for (const fix of fixes)
    if (!byChange.has(fix.changeId) || fix.what === 'fix merged') byChange.set(fix.changeId, fix);
  if (byChange.size === 0) return [];
  return [
    heading(CHANGES_HEADING),
    guidance('The pull and merge requests that name this incident.'),
    ...[...byChange.values()].map((fix) =>
      bullet(
        link(fix.title, fix.url),
        text(fix.author ? ` by ${fix.author}` : ''),
        text(fix.what === 'fix merged' ? `, merged ${clockTime(fix.atMs, timeZone)}` : ', not merged yet'),
      ),
    ),
  ];
}

/**
 * The built-in postmortem: Summary, Impact, Root Cause, Resolution, Timeline, Time per stage and Action
 * Items, each with one line of guidance in the blameless spirit, prefilled with what the system knows.
 */
export function postmortemOutline(
  state: IncidentState,
  events: readonly IncidentEvent[],
  options: OutlineOptions,
): DocBlock[] {
  const { description } = options;
  const durationMs = (state.resolvedAtMs ?? state.lastEventAtMs) - state.openedAtMs;
  const timeline = withAlertMoments(timelineOf(state, events, options.ownAccountId), options.alert);
  return [
    heading(OUTLINE_SECTIONS.summary),
    guidance(
      'What happened, in a few sentences. Acknowledge the impact on the people affected and apologize.',
    ),
    ...(description.length > 0 ? description : [paragraph(text(state.summary))]),
    heading(OUTLINE_SECTIONS.impact),
    guidance('Who and what was affected, how badly and for how long.'),
    bullet(text('Severity: ', true), text(state.severity ?? 'not set')),
    bullet(
      text('Duration: ', true),
      text(`${formatDuration(durationMs)}${state.resolvedAtMs === null ? ' (not resolved)' : ''}`),
    ),
    bullet(
      text('Affected components: ', true),
      text(state.components.length > 0 ? state.components.join(', ') : 'none recorded'),
    ),
    bullet(
      text('Time to acknowledge: ', true),
      text(
        state.timeToAcknowledgeMs === null ? 'never acknowledged' : formatDuration(state.timeToAcknowledgeMs),
      ),
    ),
    ...(state.reopenCount > 0
      ? [bullet(text('Reopened: ', true), text(plural(state.reopenCount, 'time')))]
      : []),
    ...(options.jiraUrl ? [bullet(text('Jira: ', true), link(state.key, options.jiraUrl))] : []),
    heading(OUTLINE_SECTIONS.rootCause),
    guidance(
      'What went wrong and why: the conditions that allowed it, not who. Ask why until the answer is a system.',
    ),
    paragraph(),
    heading(OUTLINE_SECTIONS.resolution),
    guidance('What was done to restore service, and what will prevent a repeat.'),
    paragraph(),
    ...changesSection(options.fixes ?? [], options.timeZone),
    heading(OUTLINE_SECTIONS.timeline),
    guidance(
      `Every stage change and every Jira comment between the start and the resolution, in ${options.timeZone}.`,
    ),
    ...timeline.map((entry) =>
      bullet(
        text(`${clockTime(entry.atMs, options.timeZone)} `, true),
        text(entry.who ? `${entry.who}: ${entry.what}` : entry.what),
      ),
    ),
    heading(OUTLINE_SECTIONS.stageTimes),
    ...stageTable(state),
    heading(OUTLINE_SECTIONS.actionItems),
    guidance('Each action item gets an owner and a deadline; a follow-up ticket is opened for it.'),
    { kind: 'todo', runs: [text('owner as @mention, deadline as a date')], checked: false },
  ];
}
