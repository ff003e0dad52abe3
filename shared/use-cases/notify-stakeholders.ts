import type { IncidentEvent } from '../domain/events.ts';
import type { Severity } from '../domain/lifecycle.ts';
import { emailFor, escalationEmailFor, escalationSmsFor, smsFor } from '../domain/notification-messages.ts';
import { causesOf, coalesce, planNotifications } from '../domain/notification-plan.ts';
import { type Directory, pageTargets } from '../domain/stakeholder-directory.ts';
import { causesEffects, type IncidentState } from '../domain/timeline.ts';
import type { Delivery, EventStore, Notifier } from '../ports.ts';
import type { Settings } from '../settings.ts';

export interface NotifyDeps {
  readonly store: EventStore;
  readonly notifier: Notifier;
  readonly directory: Directory;
  readonly settings: Settings;
  readonly nowMs: () => number;
  /** The postmortem's link once it exists: internal updates point to it. */
  readonly postmortemUrl?: string | null;
}

/** News older than this is not announced: a late webhook or a backfill does not page anyone. */
export const STALE_AFTER_MS = 24 * 3_600_000;
const PAGED_SEVERITIES: readonly (Severity | null)[] = ['SEV1', 'SEV2'];

export interface NotifyOutcome {
  readonly sent: number;
  /** When held-back updates (a burst still going on) should be looked at again; null if none. */
  readonly holdUntilMs: number | null;
}

/**
 * Tells each stakeholder group what the incident's events call for, and pages the owners of a
 * SEV1/SEV2 when it is declared, each once: what is recorded as delivered (or undeliverable) is
 * never sent again, so a second run, a redelivered webhook or a retry sends nothing new. A notifier
 * outage propagates; what was not yet recorded goes out on the retry.
 */
export async function notifyStakeholders(
  state: IncidentState,
  events: readonly IncidentEvent[],
  deps: NotifyDeps,
): Promise<NotifyOutcome> {
  if (state.deleted || !state.isIncident) return { sent: 0, holdUntilMs: null };
  const nowMs = deps.nowMs();
  const { settings } = deps;
  const causes = causesOf(events, settings).filter(
    (cause) => nowMs - cause.atMs <= STALE_AFTER_MS && causesEffects(state, cause.atMs),
  );
  const planned = planNotifications(state.issueId, causes, settings.notifications.policy);
  const { send, holdUntilMs } = coalesce(planned, {
    windowMs: settings.notifications.burstWindowSeconds * 1000,
    nowMs,
  });
  const deliveries = await deps.store.loadDeliveries(state.issueId);
  const done = new Set(deliveries.map((delivery) => `${delivery.notificationId}#${delivery.recipient}`));
  const jiraUrl = settings.report.jiraBaseUrl ? `${settings.report.jiraBaseUrl}/browse/${state.key}` : null;
  let sent = 0;
  const record = async (delivered: readonly Delivery[]) => {
    for (const delivery of delivered) await deps.store.recordDelivery(state.issueId, delivery);
    sent += delivered.length;
  };

  for (const notification of send) {
    // A group update is one publish: once anything of it is recorded, it went out.
    if (deliveries.some((delivery) => delivery.notificationId === notification.id)) continue;
    const severity = notification.cause.severity;
    const input = {
      incident: state,
      cause: notification.cause,
      audience: notification.group === 'keep-satisfied' ? 'customer' : 'internal',
      jiraUrl,
      postmortemUrl: notification.group === 'keep-satisfied' ? null : (deps.postmortemUrl ?? null),
      nowMs,
      nextUpdateInMinutes: severity === null ? null : settings.notifications.nextUpdateMinutes[severity],
    } as const;
    const email = emailFor(input);
    await record(
      await deps.notifier.notifyGroup({
        notificationId: notification.id,
        issueKey: state.key,
        group: notification.group,
        severity,
        channels: notification.channels,
        subject: email.subject,
        email: email.body,
        sms: smsFor(input),
      }),
    );
  }

  for (const cause of causes) {
    if (cause.kind !== 'declaration' || !PAGED_SEVERITIES.includes(cause.severity)) continue;
    const notificationId = `${state.issueId}#${cause.eventId}#page`;
    const sms = smsFor({
      incident: state,
      cause,
      audience: 'internal',
      jiraUrl,
      postmortemUrl: null,
      nowMs,
      nextUpdateInMinutes: null,
    });
    for (const member of pageTargets(deps.directory, state.assignee, state.components)) {
      if (!member.phone || done.has(`${notificationId}#${member.name}`)) continue;
      await record([
        await deps.notifier.page({
          notificationId,
          issueKey: state.key,
          recipient: { name: member.name, phone: member.phone },
          sms,
        }),
      ]);
    }
  }
  const escalation = await escalate(state, deps, jiraUrl, nowMs, deliveries, record);
  const due = [holdUntilMs, escalation].filter((ms): ms is number => ms !== null);
  return { sent, holdUntilMs: due.length > 0 ? Math.min(...due) : null };
}

/**
 * A SEV1/SEV2 still unacknowledged some minutes after it opened pages manage-closely, once. The
 * decision is made on the state just folded from every stored event (never on a stale copy): an
 * acknowledgement that arrived meanwhile cancels it. Returns when to look again if it is not due yet.
 */
async function escalate(
  state: IncidentState,
  deps: NotifyDeps,
  jiraUrl: string | null,
  nowMs: number,
  deliveries: readonly Delivery[],
  record: (delivered: readonly Delivery[]) => Promise<void>,
): Promise<number | null> {
  const severity = state.severity;
  if (
    (severity !== 'SEV1' && severity !== 'SEV2') ||
    state.acknowledgedAtMs !== null ||
    state.resolvedAtMs !== null ||
    !causesEffects(state, state.openedAtMs)
  )
    return null;
  const dueMs = state.openedAtMs + deps.settings.notifications.escalationMinutes[severity] * 60_000;
  if (nowMs < dueMs) return dueMs;
  const notificationId = `${state.issueId}#escalation`;
  if (
    nowMs - dueMs > STALE_AFTER_MS ||
    deliveries.some((delivery) => delivery.notificationId === notificationId)
  )
    return null;
  const openForMs = nowMs - state.openedAtMs;
  const email = escalationEmailFor(state, openForMs, jiraUrl);
  await record(
    await deps.notifier.notifyGroup({
      notificationId,
      issueKey: state.key,
      group: 'manage-closely',
      severity,
      channels: ['sms', 'email'],
      subject: email.subject,
      email: email.body,
      sms: escalationSmsFor(state, openForMs, jiraUrl),
    }),
  );
  return null;
}
