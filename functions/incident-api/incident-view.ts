import type { FixLink } from '#shared/domain/fix-links.ts';
import { daysBetween, type FollowUp } from '#shared/domain/follow-ups.ts';
import { type IncidentState, timeInStage } from '#shared/domain/timeline.ts';
import type { AlertSource, DeliveryLog } from '#shared/ports.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Where the incident's postmortem stands. */
export type PostmortemStatus =
  | { readonly status: 'written'; readonly url: string }
  | { readonly status: 'pending'; readonly error: string; readonly failedAt: string };

/** Stage time as of now: finished visits, plus the open one unless the incident is closed for good. */
function stageDurationsAt(state: IncidentState, nowMs: number): Record<string, number> {
  const open = state.visits.at(-1);
  const stillRunning = open !== undefined && open.leftAtMs === null && open.stage !== 'closed';
  return stillRunning ? timeInStage(state.visits, nowMs) : state.closedStageDurationsMs;
}

/** The incident as GET /incidents/:key shows it: times in ISO 8601 UTC, durations in milliseconds. */
export function incidentView(
  state: IncidentState,
  nowMs: number,
  log: DeliveryLog = { intents: [], deliveries: [] },
  postmortem: PostmortemStatus | null = null,
  fixes: readonly FixLink[] = [],
) {
  const attemptsOf = new Map(log.intents.map((intent) => [intent.notificationId, intent.attempt]));
  return {
    key: state.key,
    issueId: state.issueId,
    summary: state.summary,
    severity: state.severity,
    priority: state.priority,
    status: state.status,
    stage: state.stage,
    assignee: state.assignee?.displayName ?? state.assignee?.name ?? null,
    components: state.components,
    openedAt: iso(state.openedAtMs),
    acknowledgedAt: iso(state.acknowledgedAtMs),
    resolvedAt: iso(state.resolvedAtMs),
    reopenCount: state.reopenCount,
    timeToAcknowledgeMs: state.timeToAcknowledgeMs,
    timeToResolveMs: state.timeToResolveMs,
    stageDurationsMs: stageDurationsAt(state, nowMs),
    visits: state.visits.map((visit) => ({
      stage: visit.stage,
      status: visit.status,
      enteredAt: iso(visit.enteredAtMs),
      leftAt: iso(visit.leftAtMs),
    })),
    commentCount: state.commentCount,
    deleted: state.deleted,
    /** The postmortem's link once written; while Notion refuses or is down, why, and that it is retried. */
    postmortem,
    /**
     * Who was told what, on which channel, and what the provider answered; `attempts` above 1 means a
     * crash hid the first try's result, which may have arrived too. Then the messages whose result is
     * not known: being sent now, or given up on after their last try ("possibly-sent").
     */
    notifications: [
      ...log.deliveries.map((delivery) => ({
        notificationId: delivery.notificationId,
        group: delivery.group,
        channel: delivery.channel,
        recipient: delivery.recipient,
        status: delivery.status,
        providerMessageId: delivery.providerMessageId,
        error: delivery.error,
        at: iso(delivery.atMs),
        attempts: attemptsOf.get(delivery.notificationId) ?? 1,
      })),
      ...log.intents
        .filter((intent) => intent.state !== 'sent')
        .map((intent) => ({
          notificationId: intent.notificationId,
          group: intent.group,
          channel: intent.message?.kind === 'group' ? intent.message.channels.join('+') : 'sms',
          recipient:
            intent.message?.kind === 'page' ? intent.message.recipient.name : `topic:${intent.group}`,
          status: intent.state,
          providerMessageId: null,
          error: null,
          at: iso(intent.claimedAtMs),
          attempts: intent.attempt,
        })),
    ],
    /** The pull and merge requests naming the incident: "fix opened", "fix merged", oldest first. */
    fixes: fixes.map((fix) => ({
      what: fix.what,
      title: fix.title,
      author: fix.author,
      url: fix.url,
      at: iso(fix.atMs),
    })),
    asOf: iso(nowMs),
  };
}

/** One line of GET /incidents. */
export function incidentSummaryView(state: IncidentState) {
  return {
    key: state.key,
    summary: state.summary,
    severity: state.severity,
    status: state.status,
    stage: state.stage,
    openedAt: iso(state.openedAtMs),
    resolvedAt: iso(state.resolvedAtMs),
    deleted: state.deleted,
  };
}

/** A follow-up as the local API shows it: its ticket, owner, due date and state, overdue days counted. */
export function followUpView(followUp: FollowUp, today: string) {
  const overdueDays = followUp.state === 'open' ? Math.max(0, daysBetween(followUp.dueDate, today)) : 0;
  return {
    key: followUp.ticketKey,
    url: followUp.ticketUrl,
    summary: followUp.summary,
    owner: followUp.ownerName,
    ownerUnresolved: followUp.ownerUnresolved,
    dueDate: followUp.dueDate,
    dueDateFrom: followUp.dueDateSource,
    state: followUp.state,
    overdueDays,
    createdAt: new Date(followUp.createdAtMs).toISOString(),
    doneAt: followUp.doneAtMs === null ? null : new Date(followUp.doneAtMs).toISOString(),
    itemRemoved: followUp.itemRemovedAtMs !== null,
  };
}

/**
 * Where an incident opened by an alert came from: the tool, the alert, its links, when the alert
 * started and cleared, and the time to detect (alert start → incident opened) when the tool gave a start.
 */
export function alertSourceView(source: AlertSource | null) {
  if (source === null) return null;
  return {
    kind: 'alert' as const,
    tool: source.tool,
    alertName: source.alertName,
    links: source.links,
    alertStartedAt: iso(source.startsAtMs),
    alertClearedAt: iso(source.clearedAtMs),
    timeToDetectMs: source.startsAtMs === null ? null : Math.max(0, source.openedAtMs - source.startsAtMs),
  };
}
