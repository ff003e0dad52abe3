import * as z from 'zod/mini';
import '../domain/zod-english.ts';
import type { Alert, AlertDelivery, AlertLink, AlertStatus } from '../domain/alert.ts';
import { alertTimeMs } from './alert-times.ts';

/**
 * Words tools use for a firing or a cleared alert, lower-cased (Datadog's $ALERT_TRANSITION says
 * "Triggered", "Re-Triggered", "Recovered", "No Data").
 */
const FIRING = [
  'firing',
  'triggered',
  're-triggered',
  'retriggered',
  'alert',
  'alerting',
  'warn',
  'critical',
  'open',
];
const RESOLVED = ['resolved', 'recovered', 'ok', 'cleared', 'closed'];
const NO_DATA = ['no data', 'no-data', 'nodata', 'insufficient_data'];

const statusSchema = z.pipe(
  z.string().check(
    z.refine((value) => [...FIRING, ...RESOLVED, ...NO_DATA].includes(value.trim().toLowerCase()), {
      message: `expected firing or resolved (also accepted: ${[...FIRING, ...RESOLVED, ...NO_DATA].join(', ')})`,
    }),
  ),
  z.transform((value): AlertStatus => {
    const word = value.trim().toLowerCase();
    return FIRING.includes(word) ? 'firing' : RESOLVED.includes(word) ? 'resolved' : 'no-data';
  }),
);

const linkSchema = z.union([
  z.string().check(z.url({ protocol: /^https?$/ })),
  z.looseObject({ url: z.string().check(z.url({ protocol: /^https?$/ })), title: z.optional(z.string()) }),
]);

/**
 * The generic alert: what any tool can be templated to send (docs/alerts.md shows Datadog's template).
 * `fingerprint` names the alert across deliveries; `startsAt` is ISO 8601 or epoch milliseconds.
 */
export const genericAlertSchema = z.looseObject({
  title: z.string().check(z.minLength(1)),
  status: statusSchema,
  fingerprint: z.string().check(z.minLength(1)),
  severity: z.optional(z.string()),
  service: z.optional(z.string()),
  description: z.optional(z.string()),
  startsAt: z.optional(z.union([z.string(), z.number()])),
  endsAt: z.optional(z.union([z.string(), z.number()])),
  labels: z.optional(z.record(z.string(), z.string())),
  links: z.optional(z.array(linkSchema)),
  runbook: z.optional(z.string().check(z.url({ protocol: /^https?$/ }))),
  dashboard: z.optional(z.string().check(z.url({ protocol: /^https?$/ }))),
});

export type GenericAlertBody = z.infer<typeof genericAlertSchema>;

/** A generic alert as an alert of its own group; severity and service become labels for routing. */
export function genericDelivery(body: GenericAlertBody): AlertDelivery {
  const labels: Record<string, string> = { alertname: body.title, ...body.labels };
  if (body.severity !== undefined) labels.severity = body.severity;
  if (body.service !== undefined) labels.service = body.service;
  const links: AlertLink[] = (body.links ?? []).map((link) =>
    typeof link === 'string'
      ? { kind: 'other', url: link }
      : { kind: 'other', url: link.url, ...(link.title === undefined ? {} : { title: link.title }) },
  );
  if (body.runbook) links.unshift({ kind: 'runbook', url: body.runbook });
  if (body.dashboard) links.push({ kind: 'dashboard', url: body.dashboard });
  const alert: Alert = {
    tool: 'generic',
    fingerprint: body.fingerprint,
    groupKey: body.fingerprint,
    status: body.status,
    name: body.title,
    summary: body.title,
    ...(body.description === undefined ? {} : { description: body.description }),
    labels,
    annotations: body.description === undefined ? {} : { description: body.description },
    startsAtMs: alertTimeMs(body.startsAt),
    endsAtMs: body.status === 'resolved' ? alertTimeMs(body.endsAt) : null,
    links,
  };
  return { tool: 'generic', groupKey: alert.groupKey, alerts: [alert] };
}
