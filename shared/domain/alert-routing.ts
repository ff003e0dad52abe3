import type { Alert } from './alert.ts';
import type { Severity } from './lifecycle.ts';

/**
 * A route: the alerts whose labels match go to a Jira project (and component, severity, owner), or
 * are noise (`ignore`). Every label in `match` must hold one of its values.
 */
export interface AlertRoute {
  /** Names the route in reports and comments. */
  readonly name: string;
  readonly match: Readonly<Record<string, readonly string[]>>;
  readonly ignore: boolean;
  readonly project?: string | undefined;
  readonly component?: string | undefined;
  readonly severity?: Severity | undefined;
  /** A person of the stakeholder directory, made the incident's assignee. */
  readonly owner?: string | undefined;
}

/** How alerts become incidents; the `alerts` settings. */
export interface AlertPolicy {
  /** What is one open incident: each alert (its fingerprint) or each Alertmanager group (its group key). */
  readonly identity: 'fingerprint' | 'group';
  /** Routes tried in order; the first whose match holds wins. */
  readonly routes: readonly AlertRoute[];
  /** Where an alert no route matched goes; without a project it is stored and reported as unrouted. */
  readonly catchAll: Omit<AlertRoute, 'match' | 'name'>;
  /** The label whose value names the severity, and the values it maps. */
  readonly severityLabel: string;
  readonly severities: Readonly<Record<string, Severity>>;
  /** The severity of an alert no route and no label gives one. */
  readonly defaultSeverity: Severity;
  /** A firing again or a redelivery comments at most once per this many minutes per incident. */
  readonly commentEveryMinutes: number;
  /** A status to move the incident to when its alerts clear; null only comments. */
  readonly onClearMoveTo: string | null;
  /** An alert firing again within this many hours of its incident's resolution goes to that incident. */
  readonly reopenWithinHours: number;
  /** Whether such a firing reopens the incident (else it only comments). */
  readonly reopen: boolean;
  /** More new incidents from alerts than this in a minute open one "alert storm" incident instead. */
  readonly maxNewIncidentsPerMinute: number;
}

/** Where one alert goes: a project, noise, or nowhere (stored and reported, never dropped). */
export type AlertRouting =
  | {
      readonly kind: 'incident';
      readonly route: string;
      readonly project: string;
      readonly component?: string | undefined;
      readonly severity: Severity;
      readonly owner?: string | undefined;
    }
  | { readonly kind: 'ignore'; readonly route: string }
  | { readonly kind: 'unrouted' };

export const CATCH_ALL_ROUTE = 'catch-all';

const matches = (route: AlertRoute, labels: Readonly<Record<string, string>>): boolean =>
  Object.entries(route.match).every(([label, values]) => {
    const value = labels[label];
    return value !== undefined && values.includes(value);
  });

/** The route an alert takes by its labels, and the severity it gets (the route's, else its label's). */
export function routeAlert(alert: Alert, policy: AlertPolicy): AlertRouting {
  const route = policy.routes.find((candidate) => matches(candidate, alert.labels));
  const chosen = route ?? { ...policy.catchAll, name: CATCH_ALL_ROUTE };
  if (chosen.ignore) return { kind: 'ignore', route: chosen.name };
  if (chosen.project === undefined) return { kind: 'unrouted' };
  const labelled = alert.labels[policy.severityLabel];
  const severity =
    chosen.severity ?? (labelled === undefined ? undefined : policy.severities[labelled.toLowerCase()]);
  return {
    kind: 'incident',
    route: chosen.name,
    project: chosen.project,
    ...(chosen.component === undefined ? {} : { component: chosen.component }),
    severity: severity ?? policy.defaultSeverity,
    ...(chosen.owner === undefined ? {} : { owner: chosen.owner }),
  };
}

/** The identity an alert is known by under the policy: one incident per identity while it is open. */
export function alertIdentity(alert: Alert, policy: AlertPolicy): string {
  const key = policy.identity === 'group' ? alert.groupKey : alert.fingerprint;
  return `${alert.tool}:${key}`;
}
