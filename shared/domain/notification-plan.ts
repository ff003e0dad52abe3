import { type IncidentEvent, type IssueSnapshot, orderEvents } from './events.ts';
import { severityOf } from './incident-rules.ts';
import { isAtOrAfter, isBefore, type Severity, type Stage, stageOf } from './lifecycle.ts';
import {
  type Channel,
  GROUPS,
  type Group,
  type NotificationPolicy,
  rulesFiring,
  type Trigger,
} from './notification-policy.ts';
import { currentIssue, type FoldSettings, initialStatus, sameStatus } from './timeline.ts';

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
};

/** One message to one group, identified by (incident, causing event, trigger, group). */
export type PlannedNotification = {
  readonly id: string;
  readonly issueId: string;
  readonly group: Group;
  readonly channels: readonly Channel[];
  readonly cause: NotificationCause;
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

/**
 * The announceable moments of an incident, in event order, from its events in any order and with any
 * duplicates. Nothing is announced before declaration; one event may cause several triggers.
 */
export function causesOf(unordered: readonly IncidentEvent[], settings: FoldSettings): NotificationCause[] {
  const events = orderEvents(unordered);
  const { board } = settings;
  const causes: NotificationCause[] = [];
  let status = initialStatus(events, currentIssue(events));
  let stage: Stage | null = status ? stageOf(status, board) : null;
  let severity: Severity | null = null;
  let declared = false;

  for (const [index, event] of events.entries()) {
    const base = { eventId: event.eventId, atMs: event.atMs };
    const previousSeverity: Severity | null = severity;
    const stated = statedSeverity(event.issue, settings);
    if (stated !== undefined) severity = stated;
    let declaredNow = false;

    // An incident created in (or after) the acknowledging stage is declared by its first event.
    if (index === 0 && status && stage !== null && isAtOrAfter(stage, board.acknowledgeStage)) {
      declared = true;
      declaredNow = true;
      causes.push({ ...base, kind: 'declaration', stage, status: status.name, severity });
    }

    if (event.kind === 'status-changed' && !(status && sameStatus(status, event.to))) {
      const from = stage;
      const to = stageOf(event.to, board);
      status = event.to;
      stage = to;
      const at = { ...base, stage: to, status: event.to.name, severity };
      if (!declared && isAtOrAfter(to, board.acknowledgeStage)) {
        declared = true;
        declaredNow = true;
        causes.push({ ...at, kind: 'declaration' });
      }
      if (declared && from !== to) {
        causes.push({ ...at, kind: 'stage-change' });
        if (to === 'mitigation') causes.push({ ...at, kind: 'mitigation' });
        const wasResolved = from !== null && isAtOrAfter(from, board.resolveStage);
        if (isAtOrAfter(to, board.resolveStage) && !wasResolved) causes.push({ ...at, kind: 'resolution' });
        if (wasResolved && isBefore(to, board.resolveStage)) causes.push({ ...at, kind: 'reopen' });
      }
    }

    // The declaration already states the severity of its moment.
    if (declared && !declaredNow && status && stage !== null && severity !== previousSeverity) {
      causes.push({
        ...base,
        kind: 'severity-change',
        stage,
        status: status.name,
        severity,
        previousSeverity,
      });
    }
  }
  return causes;
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
        id: `${issueId}#${cause.eventId}#${cause.kind}#${group}`,
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
