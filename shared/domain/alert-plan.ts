import type { Alert, AlertDelivery } from './alert.ts';
import { type AlertPolicy, type AlertRouting, alertIdentity, routeAlert } from './alert-routing.ts';

/** What the store remembers of an alert identity: the incident it opened or joined. */
export interface AlertMemory {
  readonly identity: string;
  readonly incidentKey: string;
  /** Null while the incident's state is not known yet (just created): it counts as open. */
  readonly incidentResolvedAtMs: number | null;
  /** The last comment Incident Flow made on that incident for its alerts. */
  readonly lastCommentAtMs: number | null;
}

/** What a delivery is planned against. */
export interface AlertPlanInput {
  readonly delivery: AlertDelivery;
  readonly policy: AlertPolicy;
  readonly memory: ReadonlyMap<string, AlertMemory>;
  /** New incidents opened from alerts in the minute before now (the storm check). */
  readonly openedInLastMinute: number;
  /** The open "alert storm" incident, if one is open. */
  readonly stormIncidentKey: string | null;
  readonly nowMs: number;
}

type Routed = Extract<AlertRouting, { kind: 'incident' }>;

/** One effect of a delivery, in the order they are to be applied. */
export type AlertStep =
  /** A new incident for these firing alerts (of one group and one route). */
  | {
      readonly kind: 'open';
      readonly routing: Routed;
      readonly alerts: readonly Alert[];
      readonly identities: readonly string[];
    }
  /** Firing alerts joining an incident already open for them (or for their group). */
  | {
      readonly kind: 'fired-again';
      readonly incidentKey: string;
      readonly alerts: readonly Alert[];
      readonly identities: readonly string[];
      /** False inside commentEveryMinutes of the last comment: remembered, not commented. */
      readonly comment: boolean;
    }
  /** Firing again soon after its incident was resolved: flapping, one incident. */
  | {
      readonly kind: 'flapping';
      readonly incidentKey: string;
      readonly alerts: readonly Alert[];
      readonly identities: readonly string[];
      readonly reopen: boolean;
    }
  /** Alerts that cleared: a comment on their open incident, and a move when the policy says so. */
  | {
      readonly kind: 'cleared';
      readonly incidentKey: string;
      readonly alerts: readonly Alert[];
      readonly moveTo: string | null;
    }
  /**
   * Past the storm limit: one storm incident lists them (opened if none is open, in the first one's
   * project, paging manage-closely once).
   */
  | {
      readonly kind: 'storm';
      readonly incidentKey: string | null;
      readonly routing: Routed;
      readonly alerts: readonly Alert[];
      readonly identities: readonly string[];
    }
  /** Routed to "ignore": counted as noise. */
  | { readonly kind: 'noise'; readonly route: string; readonly alerts: readonly Alert[] }
  /** No route and no catch-all project: stored and reported. */
  | { readonly kind: 'unrouted'; readonly alerts: readonly Alert[] }
  /** Cleared or no-data alerts with no incident of theirs: recorded only. */
  | { readonly kind: 'recorded'; readonly alerts: readonly Alert[] };

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Groups items by a key, keeping first-seen order. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const routingKey = (routing: Routed): string =>
  JSON.stringify([routing.project, routing.component ?? null, routing.severity, routing.owner ?? null]);

/**
 * What a delivery does. Firing alerts join the incident their identity (or another alert of their
 * group) already has open; firing again within reopenWithinHours of its resolution is flapping and
 * goes to that incident; otherwise the firing alerts of one group and route open one incident, unless
 * more than maxNewIncidentsPerMinute were opened in the last minute (then the storm incident takes
 * them). Cleared alerts comment on their open incident; nothing an alert does resolves an incident.
 */
export function planAlertDelivery(input: AlertPlanInput): AlertStep[] {
  const { delivery, policy, memory, nowMs } = input;
  const steps: AlertStep[] = [];
  const identityOf = (alert: Alert) => alertIdentity(alert, policy);
  const isOpen = (known: AlertMemory) => known.incidentResolvedAtMs === null;

  const routed = delivery.alerts.map((alert) => ({ alert, routing: routeAlert(alert, policy) }));
  const noise = routed.filter((entry) => entry.routing.kind === 'ignore');
  for (const [route, entries] of groupBy(noise, (entry) =>
    entry.routing.kind === 'ignore' ? entry.routing.route : '',
  ))
    steps.push({ kind: 'noise', route, alerts: entries.map((entry) => entry.alert) });
  const unrouted = routed.filter((entry) => entry.routing.kind === 'unrouted');
  if (unrouted.length > 0) steps.push({ kind: 'unrouted', alerts: unrouted.map((entry) => entry.alert) });

  const kept = routed.filter(
    (entry): entry is { alert: Alert; routing: Routed } => entry.routing.kind === 'incident',
  );
  // The open incident of the group, found through any of its alerts already known.
  const groupOpen = kept
    .map((entry) => memory.get(identityOf(entry.alert)))
    .find((known): known is AlertMemory => known !== undefined && isOpen(known));

  const firing = kept.filter((entry) => entry.alert.status === 'firing');
  const toOpen: { alert: Alert; routing: Routed }[] = [];
  const joining = new Map<string, { known: AlertMemory; alerts: Alert[] }>();
  const flapping = new Map<string, { known: AlertMemory; alerts: Alert[] }>();
  for (const entry of firing) {
    const known = memory.get(identityOf(entry.alert));
    if (known && isOpen(known)) {
      const join = joining.get(known.incidentKey) ?? { known, alerts: [] };
      join.alerts.push(entry.alert);
      joining.set(known.incidentKey, join);
    } else if (groupOpen) {
      const join = joining.get(groupOpen.incidentKey) ?? { known: groupOpen, alerts: [] };
      join.alerts.push(entry.alert);
      joining.set(groupOpen.incidentKey, join);
    } else if (
      known?.incidentResolvedAtMs !== null &&
      known !== undefined &&
      nowMs - (known.incidentResolvedAtMs ?? 0) <= policy.reopenWithinHours * HOUR
    ) {
      const flap = flapping.get(known.incidentKey) ?? { known, alerts: [] };
      flap.alerts.push(entry.alert);
      flapping.set(known.incidentKey, flap);
    } else toOpen.push(entry);
  }
  for (const [incidentKey, { known, alerts }] of joining)
    steps.push({
      kind: 'fired-again',
      incidentKey,
      alerts,
      identities: alerts.map(identityOf),
      comment:
        known.lastCommentAtMs === null ||
        nowMs - known.lastCommentAtMs >= policy.commentEveryMinutes * MINUTE,
    });
  for (const [incidentKey, { alerts }] of flapping)
    steps.push({
      kind: 'flapping',
      incidentKey,
      alerts,
      identities: alerts.map(identityOf),
      reopen: policy.reopen,
    });

  let opened = input.openedInLastMinute;
  const storming: { alert: Alert; routing: Routed }[] = [];
  for (const entries of groupBy(toOpen, (entry) => routingKey(entry.routing)).values()) {
    const routing = entries[0]?.routing;
    if (routing === undefined) continue;
    if (opened >= policy.maxNewIncidentsPerMinute) storming.push(...entries);
    else {
      const alerts = entries.map((entry) => entry.alert);
      steps.push({ kind: 'open', routing, alerts, identities: alerts.map(identityOf) });
      opened += 1;
    }
  }
  // One storm step per delivery, so a delivery never opens two storm incidents.
  const stormRouting = storming[0]?.routing;
  if (stormRouting !== undefined) {
    const alerts = storming.map((entry) => entry.alert);
    steps.push({
      kind: 'storm',
      incidentKey: input.stormIncidentKey,
      routing: stormRouting,
      alerts,
      identities: alerts.map(identityOf),
    });
  }

  const clearing = kept.filter((entry) => entry.alert.status !== 'firing');
  const cleared = new Map<string, Alert[]>();
  const recorded: Alert[] = [];
  for (const { alert } of clearing) {
    const known = memory.get(identityOf(alert));
    if (alert.status === 'resolved' && known && isOpen(known))
      cleared.set(known.incidentKey, [...(cleared.get(known.incidentKey) ?? []), alert]);
    else recorded.push(alert);
  }
  for (const [incidentKey, alerts] of cleared)
    steps.push({ kind: 'cleared', incidentKey, alerts, moveTo: policy.onClearMoveTo });
  if (recorded.length > 0) steps.push({ kind: 'recorded', alerts: recorded });
  return steps;
}
