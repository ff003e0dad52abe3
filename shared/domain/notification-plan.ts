import { type IncidentEvent, type IssueSnapshot, orderEvents } from './events.ts';
import { severityOf } from './incident-rules.ts';
import { isAtOrAfter, isBefore, type Severity, type Stage, type StatusRef, stageOf } from './lifecycle.ts';
import {
  type Channel,
  GROUPS,
  type Group,
  type NotificationPolicy,
  rulesFiring,
  type Trigger,
} from './notification-policy.ts';
import { currentIssue, type FoldSettings, initialStatus, sameStatus } from './timeline.ts';

/**
 * The span of the incident's life an announcement speaks for, from what is known now: the visit of a
 * stage change, the cycle of a resolution (up to the next reopen), the stretch a severity held. A later
 * fold that learns of an earlier event finds the announcement already made inside its span.
 */
export type AnnouncementSlot = { readonly startMs: number; readonly endMs: number | null };

/** Why a notification goes out: the trigger, the Jira event behind it, and the incident at that moment. */
export type NotificationCause = {
  readonly kind: Trigger;
  readonly eventId: string;
  readonly atMs: number;
  readonly stage: string;
  readonly status: string;
  readonly severity: Severity | null;
  /** Only on a severity change: the severity before it. */
  readonly previousSeverity?: Severity | null;
  /** The affected components at that moment, when a payload up to then stated them. */
  readonly components?: readonly string[];
  /** What is announced within the kind: the status entered, the severity reached; '' for the others. */
  readonly subject: string;
  readonly slot: AnnouncementSlot;
};

/** One message to one group; `id` names the announcement, not the event that happened to carry it. */
export type PlannedNotification = {
  readonly id: string;
  readonly issueId: string;
  readonly group: Group;
  readonly channels: readonly Channel[];
  readonly cause: NotificationCause;
};

/** What a delivered message announced, as the delivery log keeps it. */
export type Announcement = {
  readonly kind: Trigger;
  readonly subject: string;
  readonly momentMs: number;
};

// When one Jira event causes several triggers for the same group, the group hears only the most telling.
const SPECIFICITY: Record<Trigger, number> = {
  resolution: 0,
  reopen: 1,
  declaration: 2,
  mitigation: 3,
  'severity-change': 4,
  'stage-change': 5,
};

/** The severity a snapshot states, or undefined when it does not carry the field the rule reads. */
function statedSeverity(issue: IssueSnapshot, settings: FoldSettings): Severity | null | undefined {
  const value = settings.severity.source === 'priority' ? issue.priority : issue.severityField;
  return value === undefined ? undefined : severityOf(issue, settings.severity);
}

const statusKey = (status: StatusRef): string => status.id ?? status.name.toLowerCase();

type Moment = Omit<NotificationCause, 'slot'>;

/**
 * The announceable moments of an incident, in event order, from its events in any order and with any
 * duplicates. Nothing is announced before declaration; one event may cause several triggers. Each
 * cause carries the span it speaks for (see AnnouncementSlot), computed from every event known.
 */
export function causesOf(unordered: readonly IncidentEvent[], settings: FoldSettings): NotificationCause[] {
  const events = orderEvents(unordered);
  const { board } = settings;
  const moments: Moment[] = [];
  const movesAtMs: number[] = [];
  const reopensAtMs: number[] = [];
  const resolutionsAtMs: number[] = [];
  const severityChangesAtMs: number[] = [];
  let status = initialStatus(events, currentIssue(events));
  let stage: Stage | null = status ? stageOf(status, board) : null;
  let severity: Severity | null = null;
  let components: readonly string[] | undefined;
  let declared = false;

  for (const [index, event] of events.entries()) {
    const previousSeverity: Severity | null = severity;
    const stated = statedSeverity(event.issue, settings);
    if (stated !== undefined) severity = stated;
    if (index > 0 && severity !== previousSeverity) severityChangesAtMs.push(event.atMs);
    components = event.issue.components ?? components;
    const base = {
      eventId: event.eventId,
      atMs: event.atMs,
      ...(components === undefined ? {} : { components }),
    };
    let declaredNow = false;

    // An incident created in (or after) the acknowledging stage is declared by its first event.
    if (index === 0 && status && stage !== null && isAtOrAfter(stage, board.acknowledgeStage)) {
      declared = true;
      declaredNow = true;
      moments.push({ ...base, kind: 'declaration', stage, status: status.name, severity, subject: '' });
    }

    if (event.kind === 'status-changed' && !(status && sameStatus(status, event.to))) {
      const from = stage;
      const to = stageOf(event.to, board);
      status = event.to;
      stage = to;
      movesAtMs.push(event.atMs);
      const at = { ...base, stage: to, status: event.to.name, severity, subject: statusKey(event.to) };
      const wasResolved = from !== null && isAtOrAfter(from, board.resolveStage);
      if (isAtOrAfter(to, board.resolveStage) && !wasResolved) resolutionsAtMs.push(event.atMs);
      if (wasResolved && isBefore(to, board.resolveStage)) reopensAtMs.push(event.atMs);
      if (!declared && isAtOrAfter(to, board.acknowledgeStage)) {
        declared = true;
        declaredNow = true;
        moments.push({ ...at, kind: 'declaration', subject: '' });
      }
      if (declared && from !== to) {
        moments.push({ ...at, kind: 'stage-change' });
        if (to === 'mitigation') moments.push({ ...at, kind: 'mitigation' });
        if (isAtOrAfter(to, board.resolveStage) && !wasResolved)
          moments.push({ ...at, kind: 'resolution', subject: '' });
        if (wasResolved && isBefore(to, board.resolveStage))
          moments.push({ ...at, kind: 'reopen', subject: '' });
      }
    }

    // The declaration already states the severity of its moment.
    if (declared && !declaredNow && status && stage !== null && severity !== previousSeverity) {
      moments.push({
        ...base,
        kind: 'severity-change',
        stage,
        status: status.name,
        severity,
        previousSeverity,
        subject: severity ?? 'none',
      });
    }
  }

  const after = (times: readonly number[], atMs: number): number | null =>
    times.find((time) => time > atMs) ?? null;
  const before = (times: readonly number[], atMs: number): number | null =>
    times.findLast((time) => time < atMs) ?? null;
  const slotOf = (moment: Moment): AnnouncementSlot => {
    switch (moment.kind) {
      case 'declaration':
        return { startMs: Number.NEGATIVE_INFINITY, endMs: null };
      case 'stage-change':
      case 'mitigation':
        return { startMs: moment.atMs, endMs: after(movesAtMs, moment.atMs) };
      case 'resolution':
        return {
          startMs: before(reopensAtMs, moment.atMs) ?? Number.NEGATIVE_INFINITY,
          endMs: after(reopensAtMs, moment.atMs),
        };
      case 'reopen':
        return {
          startMs: before(resolutionsAtMs, moment.atMs) ?? Number.NEGATIVE_INFINITY,
          endMs: after(resolutionsAtMs, moment.atMs),
        };
      case 'severity-change':
        return { startMs: moment.atMs, endMs: after(severityChangesAtMs, moment.atMs) };
      default:
        return moment.kind satisfies never;
    }
  };
  return moments.map((moment) => ({ ...moment, slot: slotOf(moment) }));
}

/**
 * The announcement's name within its incident and group: its kind, subject and moment. Two folds that
 * know the same events name it alike (their claims collide); a fold that knew fewer may have named
 * the same announcement otherwise, which isSameAnnouncement recognises.
 */
export function announcementKey(cause: NotificationCause): string {
  return `${cause.kind}${cause.subject ? `:${cause.subject}` : ''}@${cause.atMs}`;
}

/** What a notification announces, for the delivery log. */
export function announcementOf(cause: NotificationCause): Announcement {
  return { kind: cause.kind, subject: cause.subject, momentMs: cause.atMs };
}

/**
 * True when `made` (an announcement already delivered to the group) is the one `cause` would make:
 * the same kind and subject, made about a moment inside the cause's span. Fed with every event at
 * once or one at a time, in any order, an incident is so announced once per span. No tolerance is
 * needed for two reports of one change a moment apart (Jira Automation's `updated` beside the
 * changelog's time): a span starts at the earliest event known to enter it, so any fold's moment for
 * it lies inside; and none is wanted, or a resolution right after a quick reopen would be taken for
 * the one before it.
 */
export function isSameAnnouncement(made: Announcement, cause: NotificationCause): boolean {
  if (made.kind !== cause.kind || made.subject !== cause.subject) return false;
  const { startMs, endMs } = cause.slot;
  return made.momentMs >= startMs && (endMs === null || made.momentMs < endMs);
}

/**
 * The notifications a policy asks for, in event order then group order. Each group hears one
 * notification per Jira event: the most telling trigger that fires for it.
 */
export function planNotifications(
  issueId: string,
  causes: readonly NotificationCause[],
  policy: NotificationPolicy,
): PlannedNotification[] {
  const chosen = new Map<string, PlannedNotification>();
  for (const cause of causes) {
    for (const group of GROUPS) {
      const groupPolicy = policy[group];
      if (groupPolicy.channels.length === 0) continue;
      if (rulesFiring(groupPolicy, cause.kind, cause.severity).length === 0) continue;
      const slot = `${cause.eventId}#${group}`;
      const current = chosen.get(slot);
      if (current && SPECIFICITY[current.cause.kind] <= SPECIFICITY[cause.kind]) continue;
      chosen.set(slot, {
        id: `${issueId}#${announcementKey(cause)}#${group}`,
        issueId,
        group,
        channels: groupPolicy.channels,
        cause,
      });
    }
  }
  const eventIndex = new Map<string, number>();
  for (const [i, cause] of causes.entries())
    if (!eventIndex.has(cause.eventId)) eventIndex.set(cause.eventId, i);
  const rank = (notification: PlannedNotification) => eventIndex.get(notification.cause.eventId) ?? 0;
  return [...chosen.values()].sort(
    (a, b) => rank(a) - rank(b) || GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group),
  );
}

/** What to send now, what a later notification replaced, and when to look again for held ones. */
export type CoalescedPlan = {
  readonly send: PlannedNotification[];
  readonly superseded: PlannedNotification[];
  readonly holdUntilMs: number | null;
};

const isProgressUpdate = (notification: PlannedNotification): boolean =>
  notification.cause.kind === 'stage-change' || notification.cause.kind === 'mitigation';

/**
 * Burst coalescing, per group: a stage change or mitigation followed within `windowMs` by another, or by a
 * resolution, is superseded by it; the last of a burst waits until `windowMs` after it has passed.
 * Declarations, severity changes, resolutions and reopens are never held.
 */
export function coalesce(
  planned: readonly PlannedNotification[],
  options: { readonly windowMs: number; readonly nowMs: number },
): CoalescedPlan {
  const { windowMs, nowMs } = options;
  const superseded = new Set<PlannedNotification>();
  const held = new Set<PlannedNotification>();
  let holdUntilMs: number | null = null;

  for (const group of GROUPS) {
    // Stable sort: notifications of one instant keep their plan order.
    const ofGroup = planned
      .filter((notification) => notification.group === group)
      .filter((notification) => isProgressUpdate(notification) || notification.cause.kind === 'resolution')
      .sort((a, b) => a.cause.atMs - b.cause.atMs);
    for (const [i, notification] of ofGroup.entries()) {
      if (!isProgressUpdate(notification)) continue;
      const next = ofGroup[i + 1];
      if (next && next.cause.atMs - notification.cause.atMs <= windowMs) {
        superseded.add(notification);
        continue;
      }
      const dueMs = notification.cause.atMs + windowMs;
      if (nowMs < dueMs) {
        held.add(notification);
        holdUntilMs = holdUntilMs === null ? dueMs : Math.min(holdUntilMs, dueMs);
      }
    }
  }
  return {
    send: planned.filter((notification) => !superseded.has(notification) && !held.has(notification)),
    superseded: planned.filter((notification) => superseded.has(notification)),
    holdUntilMs,
  };
}
