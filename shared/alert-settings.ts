import * as z from 'zod/mini';
import './domain/zod-english.ts';
import type { AlertPolicy, AlertRoute } from './domain/alert-routing.ts';
import { SEVERITIES } from './domain/lifecycle.ts';

const severity = z.enum(SEVERITIES);
const projectKey = z.string().check(z.regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key such as OPS'));
const nonEmpty = z.string().check(z.minLength(1));
const labelValues = z.union([nonEmpty, z.array(nonEmpty).check(z.minLength(1))]);

const routeSchema = z.strictObject({
  /** Names the route in reports; default: its position ("route 2"). */
  name: z.optional(nonEmpty),
  /** Labels and the value (or values) each must hold; every one must match. */
  match: z.record(nonEmpty, labelValues),
  /** Alerts of this route are noise: counted, never an incident. */
  ignore: z._default(z.boolean(), false),
  project: z.optional(projectKey),
  component: z.optional(nonEmpty),
  severity: z.optional(severity),
  /** A person of the stakeholder directory, made the assignee. */
  owner: z.optional(nonEmpty),
});

/** The `alerts` settings: how alerts from monitoring tools become incidents (docs/alerts.md). */
export const alertsSchema = z.lazy(() =>
  z
    .strictObject({
      /** One open incident per alert (its fingerprint) or per Alertmanager group (its group key). */
      identity: z._default(z.enum(['fingerprint', 'group']), 'fingerprint'),
      routes: z._default(z.array(routeSchema), []),
      /** Where alerts no route matched go; without a project they are stored and reported as unrouted. */
      catchAll: z.prefault(
        z.strictObject({
          ignore: z._default(z.boolean(), false),
          project: z.optional(projectKey),
          component: z.optional(nonEmpty),
          severity: z.optional(severity),
          owner: z.optional(nonEmpty),
        }),
        {},
      ),
      /** The label naming an alert's severity, and what its values mean (compared lower-cased). */
      severityLabel: z._default(nonEmpty, 'severity'),
      severities: z._default(z.record(nonEmpty, severity), {
        critical: 'SEV1',
        page: 'SEV1',
        error: 'SEV2',
        high: 'SEV2',
        warning: 'SEV3',
        medium: 'SEV3',
        info: 'SEV4',
        low: 'SEV4',
      }),
      defaultSeverity: z._default(severity, 'SEV3'),
      /** The same alert firing again or redelivered comments at most once per this many minutes. */
      commentEveryMinutes: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(1440)), 30),
      /** What a cleared alert does besides its comment: move the incident to this status (e.g. Mitigating). */
      onClear: z.prefault(z.strictObject({ moveTo: z.optional(nonEmpty) }), {}),
      /** An alert firing again this soon after its incident was resolved goes to that incident (flapping). */
      reopenWithinHours: z._default(z.number().check(z.minimum(0), z.maximum(720)), 24),
      /** Whether that firing reopens the incident; otherwise it only comments. */
      reopen: z._default(z.boolean(), false),
      /** More new incidents from alerts than this in a minute opens one "alert storm" incident instead. */
      maxNewIncidentsPerMinute: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(1000)), 5),
    })
    .check(
      z.refine((value) => value.routes.every((route) => route.ignore || route.project !== undefined), {
        message:
          'each route needs a project (the Jira project key of its incidents) unless it says "ignore": true',
        path: ['routes'],
      }),
    ),
);

export type AlertSettings = z.infer<typeof alertsSchema>;

/** The settings as the domain's policy: routes named, single values as lists. */
export function alertPolicyOf(settings: AlertSettings): AlertPolicy {
  const routes: AlertRoute[] = settings.routes.map((route, index) => ({
    name: route.name ?? `route ${index + 1}`,
    match: Object.fromEntries(
      Object.entries(route.match).map(([label, values]) => [
        label,
        typeof values === 'string' ? [values] : values,
      ]),
    ),
    ignore: route.ignore,
    project: route.project,
    component: route.component,
    severity: route.severity,
    owner: route.owner,
  }));
  return {
    identity: settings.identity,
    routes,
    catchAll: settings.catchAll,
    severityLabel: settings.severityLabel,
    severities: Object.fromEntries(
      Object.entries(settings.severities).map(([value, sev]) => [value.toLowerCase(), sev]),
    ),
    defaultSeverity: settings.defaultSeverity,
    commentEveryMinutes: settings.commentEveryMinutes,
    onClearMoveTo: settings.onClear.moveTo ?? null,
    reopenWithinHours: settings.reopenWithinHours,
    reopen: settings.reopen,
    maxNewIncidentsPerMinute: settings.maxNewIncidentsPerMinute,
  };
}
