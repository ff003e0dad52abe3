import type { Alert, AlertDelivery } from '../domain/alert.ts';
import {
  alertComments,
  alertIncidentDraft,
  alertLabel,
  earliestStartMs,
  type IncidentDraft,
  STORM_LABEL,
  stormIncidentDraft,
} from '../domain/alert-incident.ts';
import { type AlertMemory, type AlertStep, planAlertDelivery } from '../domain/alert-plan.ts';
import { type AlertPolicy, alertIdentity } from '../domain/alert-routing.ts';
import type { Severity } from '../domain/lifecycle.ts';
import type { AlertOutcome, AlertStore, IncidentOpener, IncidentStates, ReceivedAlert } from '../ports.ts';

export interface IngestAlertsDeps {
  readonly alerts: AlertStore;
  readonly opener: IncidentOpener;
  /** Whether an incident is resolved (and since when) comes from its folded state. */
  readonly incidents: Pick<IncidentStates, 'getStateByKey'>;
  readonly policy: AlertPolicy;
  /** settings.severity.priorities: read backwards, a severity's priority name. */
  readonly priorities: Readonly<Record<string, Severity>>;
  readonly timeZone: string;
  /** The status a flapping incident is reopened to (the board's diagnosis status). */
  readonly reopenStatus: string;
  /**
   * The board's detection status: a new issue is moved there right after it is created, for a create
   * screen whose default status is another one (a no-op where it already is).
   */
  readonly detectedStatus: string;
  readonly nowMs: () => number;
}

/** What a delivery did, alert by alert, as the webhook answers it. */
export interface IngestAlertsResult {
  readonly deliveryId: string;
  readonly alerts: readonly ReceivedAlert[];
}

const MINUTE_MS = 60_000;

/**
 * Applies what a delivery of alerts means (planAlertDelivery) through the ports: opens incidents,
 * comments (at most once per commentEveryMinutes for alerts firing again), reopens or moves by
 * setting, gathers a storm into one incident, then records the delivery with each alert's outcome.
 * Steps run in order; a failure leaves the delivery unrecorded so the tool's retry runs it again, and
 * an issue already created for an identity is found by its label instead of being created twice.
 */
export async function ingestAlerts(
  deliveries: readonly AlertDelivery[],
  deliveryId: string,
  deps: IngestAlertsDeps,
): Promise<IngestAlertsResult> {
  const received: ReceivedAlert[] = [];
  for (const [index, delivery] of deliveries.entries()) {
    const nowMs = deps.nowMs();
    const outcomes = await applyDelivery(delivery, nowMs, deps);
    const alerts = delivery.alerts.map(
      (alert): ReceivedAlert => ({
        identity: alertIdentity(alert, deps.policy),
        name: alert.name,
        status: alert.status,
        startsAtMs: alert.startsAtMs,
        outcome: outcomes.get(alert) ?? { kind: 'recorded' },
      }),
    );
    await deps.alerts.recordDelivery({
      deliveryId: deliveries.length === 1 ? deliveryId : `${deliveryId}#${index}`,
      tool: delivery.tool,
      receivedAtMs: nowMs,
      alerts,
    });
    received.push(...alerts);
  }
  return { deliveryId, alerts: received };
}

/** Whether the incident is resolved and since when; a deleted one counts as long resolved. */
async function resolvedAtMs(key: string, deps: IngestAlertsDeps): Promise<number | null> {
  const state = await deps.incidents.getStateByKey(key);
  if (state === null) return null;
  if (state.deleted) return 0;
  return state.resolvedAtMs;
}

async function memoryOf(delivery: AlertDelivery, deps: IngestAlertsDeps): Promise<Map<string, AlertMemory>> {
  const identities = delivery.alerts.map((alert) => alertIdentity(alert, deps.policy));
  const remembered = await deps.alerts.recall(identities);
  const memory = new Map<string, AlertMemory>();
  for (const [identity, known] of remembered)
    memory.set(identity, {
      identity,
      incidentKey: known.incidentKey,
      incidentResolvedAtMs: await resolvedAtMs(known.incidentKey, deps),
      lastCommentAtMs: known.lastCommentAtMs,
    });
  return memory;
}

async function applyDelivery(
  delivery: AlertDelivery,
  nowMs: number,
  deps: IngestAlertsDeps,
): Promise<Map<Alert, AlertOutcome>> {
  const memory = await memoryOf(delivery, deps);
  const storm = await deps.alerts.stormIncident();
  const steps = planAlertDelivery({
    delivery,
    policy: deps.policy,
    memory,
    openedInLastMinute: await deps.alerts.openedBetween(nowMs - MINUTE_MS, nowMs + 1),
    stormIncidentKey: storm !== null && (await resolvedAtMs(storm, deps)) === null ? storm : null,
    nowMs,
  });
  const outcomes = new Map<Alert, AlertOutcome>();
  for (const step of steps) {
    const outcome = await applyStep(step, memory, nowMs, deps);
    for (const alert of step.alerts) outcomes.set(alert, outcome);
  }
  return outcomes;
}

/**
 * Creates the issue unless one already carries its label and is not the incident the store
 * remembers for it: that one was created by a run that failed before recording it.
 */
async function openOnce(
  draft: IncidentDraft,
  label: string,
  remembered: string | null | undefined,
  deps: IngestAlertsDeps,
): Promise<string> {
  const found = await deps.opener.findByLabel(label);
  if (found !== null && found !== remembered) return found;
  const { key } = await deps.opener.open(draft);
  await deps.opener.transition(key, deps.detectedStatus);
  return key;
}

async function recordOpening(
  key: string,
  alerts: readonly Alert[],
  identities: readonly string[],
  nowMs: number,
  deps: IngestAlertsDeps,
): Promise<void> {
  const first = alerts[0];
  await deps.alerts.opened({
    incidentKey: key,
    tool: first?.tool ?? 'generic',
    alertName: first?.name ?? key,
    links: alerts.flatMap((alert) => alert.links.map((link) => ({ kind: link.kind, url: link.url }))),
    startsAtMs: earliestStartMs(alerts),
    openedAtMs: nowMs,
    clearedAtMs: null,
  });
  await deps.alerts.remember(identities, key);
}

async function applyStep(
  step: AlertStep,
  memory: ReadonlyMap<string, AlertMemory>,
  nowMs: number,
  deps: IngestAlertsDeps,
): Promise<AlertOutcome> {
  const { timeZone } = deps;
  switch (step.kind) {
    case 'open': {
      const draft = alertIncidentDraft(step.alerts, step.identities, step.routing, {
        priorities: deps.priorities,
        timeZone,
      });
      const identity = step.identities[0] ?? '';
      const key = await openOnce(draft, alertLabel(identity), memory.get(identity)?.incidentKey, deps);
      await recordOpening(key, step.alerts, step.identities, nowMs, deps);
      return { kind: 'incident', step: 'open', incidentKey: key };
    }
    case 'fired-again': {
      if (step.comment) {
        await deps.opener.comment(step.incidentKey, alertComments.firedAgain(step.alerts, nowMs, timeZone));
        await deps.alerts.commented(step.incidentKey, nowMs);
      }
      // New alerts of an open group incident are tied to it, so that their clearing comments there.
      await deps.alerts.remember(step.identities, step.incidentKey);
      return { kind: 'incident', step: 'fired-again', incidentKey: step.incidentKey };
    }
    case 'flapping': {
      const reopened =
        step.reopen && (await deps.opener.transition(step.incidentKey, deps.reopenStatus)) === 'moved';
      await deps.opener.comment(
        step.incidentKey,
        alertComments.flapping(step.alerts, nowMs, timeZone, reopened),
      );
      await deps.alerts.commented(step.incidentKey, nowMs);
      return { kind: 'incident', step: 'flapping', incidentKey: step.incidentKey };
    }
    case 'cleared': {
      const clearedAtMs = Math.max(...step.alerts.map((alert) => alert.endsAtMs ?? nowMs));
      const source = await deps.alerts.sourceOf(step.incidentKey);
      // A redelivered "resolved" (same end time) was already told.
      if (source?.clearedAtMs !== clearedAtMs) {
        await deps.opener.comment(
          step.incidentKey,
          alertComments.cleared(step.alerts, clearedAtMs, timeZone),
        );
        await deps.alerts.cleared(step.incidentKey, clearedAtMs);
        if (step.moveTo !== null) await deps.opener.transition(step.incidentKey, step.moveTo);
      }
      return { kind: 'incident', step: 'cleared', incidentKey: step.incidentKey };
    }
    case 'storm': {
      let key = step.incidentKey;
      if (key === null) {
        const draft = stormIncidentDraft(step.alerts, step.routing, {
          priorities: deps.priorities,
          timeZone,
          maxPerMinute: deps.policy.maxNewIncidentsPerMinute,
        });
        key = await openOnce(draft, STORM_LABEL, await deps.alerts.stormIncident(), deps);
        await deps.alerts.saveStormIncident(key);
        await recordOpening(key, step.alerts, step.identities, nowMs, deps);
      } else {
        await deps.opener.comment(key, alertComments.storm(step.alerts, timeZone));
        await deps.alerts.remember(step.identities, key);
      }
      return { kind: 'incident', step: 'storm', incidentKey: key };
    }
    case 'noise':
      return { kind: 'noise', route: step.route };
    case 'unrouted':
      return { kind: 'unrouted' };
    case 'recorded':
      return { kind: 'recorded' };
    default:
      return step satisfies never;
  }
}
