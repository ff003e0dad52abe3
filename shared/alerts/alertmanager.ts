import * as z from 'zod/mini';
import '../domain/zod-english.ts';
import type { Alert, AlertDelivery, AlertLink, AlertStatus } from '../domain/alert.ts';
import { alertTimeMs } from './alert-times.ts';

const labelSet = z.record(z.string(), z.string());
const status = z.enum(['firing', 'resolved']);

const alertSchema = z.looseObject({
  status,
  labels: labelSet,
  annotations: z._default(labelSet, {}),
  startsAt: z.optional(z.string()),
  endsAt: z.optional(z.string()),
  generatorURL: z.optional(z.string()),
  fingerprint: z.string().check(z.minLength(1)),
  // Grafana's additions.
  silenceURL: z.optional(z.string()),
  dashboardURL: z.optional(z.string()),
  panelURL: z.optional(z.string()),
  valueString: z.optional(z.string()),
});

/**
 * Alertmanager's webhook_config body (version "4") and Grafana Alerting's webhook contact point
 * (the same shape, version "1", with orgId, state, title, message and per-alert links): one POST per
 * alert group.
 */
export const alertmanagerBodySchema = z.looseObject({
  version: z.string(),
  status,
  receiver: z.optional(z.string()),
  groupKey: z.string().check(z.minLength(1)),
  groupLabels: z._default(labelSet, {}),
  commonLabels: z._default(labelSet, {}),
  commonAnnotations: z._default(labelSet, {}),
  externalURL: z.optional(z.string()),
  truncatedAlerts: z.optional(z.number()),
  alerts: z.array(alertSchema).check(z.minLength(1)),
  // Grafana's additions.
  title: z.optional(z.string()),
  orgId: z.optional(z.number()),
});

export type AlertmanagerBody = z.infer<typeof alertmanagerBodySchema>;
type WireAlert = z.infer<typeof alertSchema>;

const RUNBOOK_ANNOTATIONS = ['runbook_url', 'runbook'];
const DASHBOARD_ANNOTATIONS = ['dashboard_url', '__dashboardUrl__'];
const PANEL_ANNOTATIONS = ['panel_url', '__panelUrl__'];

function linksOf(alert: WireAlert): AlertLink[] {
  const links: AlertLink[] = [];
  const add = (kind: AlertLink['kind'], url: string | undefined): void => {
    if (url && /^https?:\/\//i.test(url) && !links.some((link) => link.url === url))
      links.push({ kind, url });
  };
  add('source', alert.generatorURL);
  for (const name of RUNBOOK_ANNOTATIONS) add('runbook', alert.annotations[name]);
  add('dashboard', alert.dashboardURL);
  for (const name of DASHBOARD_ANNOTATIONS) add('dashboard', alert.annotations[name]);
  add('panel', alert.panelURL);
  for (const name of PANEL_ANNOTATIONS) add('panel', alert.annotations[name]);
  add('silence', alert.silenceURL);
  return links;
}

function toAlert(tool: 'alertmanager' | 'grafana', groupKey: string, alert: WireAlert): Alert {
  const name = alert.labels.alertname ?? alert.annotations.summary ?? alert.fingerprint;
  const description = alert.annotations.description ?? alert.annotations.message;
  const alertStatus: AlertStatus = alert.status;
  return {
    tool,
    fingerprint: alert.fingerprint,
    groupKey,
    status: alertStatus,
    name,
    summary: alert.annotations.summary ?? name,
    ...(description === undefined ? {} : { description }),
    labels: alert.labels,
    annotations: alert.annotations,
    startsAtMs: alertTimeMs(alert.startsAt),
    // A set endsAt on a firing alert is Alertmanager's expiry guess, not an end.
    endsAtMs: alertStatus === 'resolved' ? alertTimeMs(alert.endsAt) : null,
    links: linksOf(alert),
  };
}

/** The delivery's alerts, each with its own status (a group's status is only its worst). */
export function alertmanagerDelivery(
  body: AlertmanagerBody,
  tool: 'alertmanager' | 'grafana',
): AlertDelivery {
  return {
    tool,
    groupKey: body.groupKey,
    alerts: body.alerts.map((alert) => toAlert(tool, body.groupKey, alert)),
  };
}
