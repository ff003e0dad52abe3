import type { IncidentEvent } from '../domain/events.ts';
import { isAtOrAfter } from '../domain/lifecycle.ts';
import { emailFor, escalationEmailFor, escalationSmsFor, smsFor } from '../domain/notification-messages.ts';
import {
  announcementOf,
  causesOf,
  coalesce,
  isSameAnnouncement,
  type PlannedNotification,
  planNotifications,
} from '../domain/notification-plan.ts';
import { isPagedSeverity } from '../domain/paging-policy.ts';
import { type Directory, pageTargets } from '../domain/stakeholder-directory.ts';
import { causesEffects, type IncidentState } from '../domain/timeline.ts';
import type { Delivery, DeliveryLog, Notifier, SendIntent, SendLedger } from '../ports.ts';
import type { Settings } from '../settings.ts';

/** Who sends, and when a claim another sender left unfinished counts as abandoned (its sender died). */
export interface SenderIdentity {
  readonly ownerId: string;
  isAbandoned(intent: SendIntent, nowMs: number): boolean;
}

/** Longer than any Lambda may run (15 minutes): a claim this old has no living sender. */
export const SEND_LEASE_MS = 16 * 60_000;

/** A sender known only by a lease: the deployed functions, where other senders may be running. */
export function leasedSender(ownerId: string, leaseMs = SEND_LEASE_MS): SenderIdentity {
  return { ownerId, isAbandoned: (intent, nowMs) => nowMs - intent.claimedAtMs > leaseMs };
}

/** After this many tries of one message whose result stayed unknown, it is reported as possibly sent. */
export const MAX_SEND_ATTEMPTS = 3;

export interface NotifyDeps {
  readonly store: SendLedger;
  readonly notifier: Notifier;
  readonly directory: Directory;
  readonly settings: Settings;
  readonly nowMs: () => number;
  /** The postmortem's link once it exists: internal updates point to it. */
  readonly postmortemUrl?: string | null;
  /** Absent: an anonymous sender whose claims are abandoned after SEND_LEASE_MS. */
  readonly sender?: SenderIdentity;
}

/** News older than this is not announced: a late webhook or a backfill does not page anyone. */
export const STALE_AFTER_MS = 24 * 3_600_000;

export interface NotifyOutcome {
  readonly sent: number;
  /** When held-back updates (a burst still going on) should be looked at again; null if none. */
  readonly holdUntilMs: number | null;
}

/**
 * True when the group already heard this announcement: an intent made about a moment inside the
 * announcement's span (a fold that knew fewer events may have named it differently).
 */
function isAnnounced(notification: PlannedNotification, log: DeliveryLog): boolean {
  return log.intents.some(
    (intent) =>
      intent.group === notification.group &&
      intent.announcement !== null &&
      isSameAnnouncement(intent.announcement, notification.cause),
  );
}

async function transmit(
  message: NonNullable<SendIntent['message']>,
  notifier: Notifier,
): Promise<Delivery[]> {
  if (message.kind === 'page') {
    const { kind: _kind, ...page } = message;
    return [await notifier.page(page)];
  }
  const { kind: _kind, ...group } = message;
  return notifier.notifyGroup(group);
}

/**
 * Sends one message at most once: the intent is claimed by a conditional write before the send and
 * its deliveries recorded after. A send that fails releases the claim so a retry can send it; a crash
 * between the send and the record leaves the claim, which recovery resolves (see recoverAbandoned).
 */
async function sendOnce(issueId: string, intent: SendIntent, deps: NotifyDeps): Promise<number> {
  if ((await deps.store.claimSend(issueId, intent)) === 'taken' || intent.message === null) return 0;
  let deliveries: Delivery[];
  try {
    deliveries = await transmit(intent.message, deps.notifier);
  } catch (error) {
    await deps.store.releaseSend(issueId, intent.intentId, intent.ownerId);
    throw error;
  }
  await deps.store.finishSend(issueId, intent.intentId, deliveries);
  return deliveries.length;
}

/**
 * A claim whose sender died between its send and its record went out or not: it is sent once more
 * (at most one repeated message per crash), and after MAX_SEND_ATTEMPTS tries reported as possibly
 * sent. Recovery never plans anything: it sends the message as it was claimed.
 */
async function recoverAbandoned(
  issueId: string,
  log: DeliveryLog,
  deps: NotifyDeps,
  sender: SenderIdentity,
  nowMs: number,
): Promise<number> {
  let sent = 0;
  for (const intent of log.intents) {
    if (intent.state !== 'sending' || intent.message === null || !sender.isAbandoned(intent, nowMs)) continue;
    if (intent.attempt >= MAX_SEND_ATTEMPTS) {
      await deps.store.markPossiblySent(issueId, intent.intentId);
      continue;
    }
    if (!(await deps.store.reclaimSend(issueId, intent, sender.ownerId, nowMs))) continue;
    // Not released on failure: the claim stays abandoned-looking until its lease ends, and is tried again.
    const deliveries = await transmit(intent.message, deps.notifier);
    await deps.store.finishSend(issueId, intent.intentId, deliveries);
    sent += deliveries.length;
  }
  return sent;
}

/**
 * Tells each stakeholder group what the incident's events call for, and pages the owners of a
 * SEV1/SEV2 when it is declared, each once whatever the order or batching of the events: an
 * announcement is named by what it announces and the span it speaks for, never by the event that
 * happened to carry it, and a message is claimed before it is sent. A notifier outage propagates;
 * what was not yet sent goes out on the retry.
 */
export async function notifyStakeholders(
  state: IncidentState,
  events: readonly IncidentEvent[],
  deps: NotifyDeps,
): Promise<NotifyOutcome> {
  if (state.deleted || !state.isIncident) return { sent: 0, holdUntilMs: null };
  const nowMs = deps.nowMs();
  const { settings } = deps;
  const sender = deps.sender ?? leasedSender('anonymous');
  const log = await deps.store.loadDeliveryLog(state.issueId);
  let sent = await recoverAbandoned(state.issueId, log, deps, sender, nowMs);

  const causes = causesOf(events, settings).filter(
    (cause) => nowMs - cause.atMs <= STALE_AFTER_MS && causesEffects(state, cause.atMs),
  );
  const planned = planNotifications(state.issueId, causes, settings.notifications.policy);
  const { send, holdUntilMs } = coalesce(planned, {
    windowMs: settings.notifications.burstWindowSeconds * 1000,
    nowMs,
  });
  const jiraUrl = settings.report.jiraBaseUrl ? `${settings.report.jiraBaseUrl}/browse/${state.key}` : null;
  const claim = { ownerId: sender.ownerId, claimedAtMs: nowMs, attempt: 1, state: 'sending' } as const;

  for (const notification of send) {
    if (isAnnounced(notification, log)) continue;
    const { cause } = notification;
    const severity = cause.severity;
    // A resolved incident has no next update to promise.
    const ongoing = !isAtOrAfter(cause.stage, settings.board.resolveStage);
    const input = {
      incident: state,
      cause,
      audience: notification.group === 'keep-satisfied' ? 'customer' : 'internal',
      jiraUrl,
      postmortemUrl: notification.group === 'keep-satisfied' ? null : (deps.postmortemUrl ?? null),
      nowMs,
      nextUpdateInMinutes:
        severity === null || !ongoing ? null : settings.notifications.nextUpdateMinutes[severity],
    } as const;
    const email = emailFor(input);
    sent += await sendOnce(
      state.issueId,
      {
        intentId: notification.id,
        notificationId: notification.id,
        group: notification.group,
        announcement: announcementOf(cause),
        message: {
          kind: 'group',
          notificationId: notification.id,
          issueKey: state.key,
          group: notification.group,
          severity,
          channels: notification.channels,
          subject: email.subject,
          email: email.body,
          sms: smsFor(input),
        },
        ...claim,
      },
      deps,
    );
  }

  // A declaration happens once per incident, whichever event turned out to carry it.
  const declaration = causes.find((cause) => cause.kind === 'declaration');
  if (declaration && isPagedSeverity(declaration.severity)) {
    const notificationId = `${state.issueId}#declaration#page`;
    const sms = smsFor({
      incident: state,
      cause: declaration,
      audience: 'internal',
      jiraUrl,
      postmortemUrl: null,
      nowMs,
      nextUpdateInMinutes: null,
    });
    for (const member of pageTargets(deps.directory, state.assignee, state.components)) {
      if (!member.phone) continue;
      const intentId = `${notificationId}#${member.name}`;
      if (log.intents.some((intent) => intent.intentId === intentId)) continue;
      sent += await sendOnce(
        state.issueId,
        {
          intentId,
          notificationId,
          group: 'page',
          announcement: null,
          message: {
            kind: 'page',
            notificationId,
            issueKey: state.key,
            recipient: { name: member.name, phone: member.phone },
            sms,
          },
          ...claim,
        },
        deps,
      );
    }
  }
  const escalation = await escalate(state, deps, jiraUrl, nowMs, log, claim);
  sent += escalation.sent;
  const due = [holdUntilMs, escalation.dueMs].filter((ms): ms is number => ms !== null);
  return { sent, holdUntilMs: due.length > 0 ? Math.min(...due) : null };
}

/**
 * A SEV1/SEV2 still unacknowledged some minutes after it opened pages manage-closely, once. The
 * decision is made on the state just folded from every stored event (never on a stale copy): an
 * acknowledgement that arrived meanwhile cancels it. Says when to look again if it is not due yet.
 */
async function escalate(
  state: IncidentState,
  deps: NotifyDeps,
  jiraUrl: string | null,
  nowMs: number,
  log: DeliveryLog,
  claim: Pick<SendIntent, 'ownerId' | 'claimedAtMs' | 'attempt' | 'state'>,
): Promise<{ readonly sent: number; readonly dueMs: number | null }> {
  const severity = state.severity;
  if (
    !isPagedSeverity(severity) ||
    state.acknowledgedAtMs !== null ||
    state.resolvedAtMs !== null ||
    !causesEffects(state, state.openedAtMs)
  )
    return { sent: 0, dueMs: null };
  const dueMs = state.openedAtMs + deps.settings.notifications.escalationMinutes[severity] * 60_000;
  if (nowMs < dueMs) return { sent: 0, dueMs };
  const notificationId = `${state.issueId}#escalation`;
  if (
    nowMs - dueMs > STALE_AFTER_MS ||
    log.intents.some((intent) => intent.notificationId === notificationId) ||
    log.deliveries.some((delivery) => delivery.notificationId === notificationId)
  )
    return { sent: 0, dueMs: null };
  const openForMs = nowMs - state.openedAtMs;
  const email = escalationEmailFor(state, openForMs, jiraUrl);
  const sent = await sendOnce(
    state.issueId,
    {
      intentId: notificationId,
      notificationId,
      group: 'manage-closely',
      announcement: null,
      message: {
        kind: 'group',
        notificationId,
        issueKey: state.key,
        group: 'manage-closely',
        severity,
        channels: ['sms', 'email'],
        subject: email.subject,
        email: email.body,
        sms: escalationSmsFor(state, openForMs, jiraUrl),
      },
      ...claim,
    },
    deps,
  );
  return { sent, dueMs: null };
}
