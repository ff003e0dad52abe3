/**
 * An alert as every monitoring tool's webhook reduces to it (shared/alerts/ parses each tool's shape):
 * what fired, under which identity, since when, with the labels that route it and the links that
 * explain it.
 */
export type AlertTool = 'alertmanager' | 'grafana' | 'cloudwatch' | 'generic';

/**
 * Firing or resolved; CloudWatch's INSUFFICIENT_DATA is neither, so it is kept apart: it is stored and
 * reported, and it neither opens nor clears an incident.
 */
export type AlertStatus = 'firing' | 'resolved' | 'no-data';

export type AlertLinkKind = 'source' | 'runbook' | 'dashboard' | 'panel' | 'silence' | 'other';

export interface AlertLink {
  readonly kind: AlertLinkKind;
  readonly url: string;
  readonly title?: string;
}

export interface Alert {
  readonly tool: AlertTool;
  /**
   * What makes two deliveries the same alert: Alertmanager's and Grafana's fingerprint, the CloudWatch
   * alarm's ARN (or account, region and name where an older alarm has no ARN), the generic fingerprint.
   */
  readonly fingerprint: string;
  /** The group a delivery came in (Alertmanager's and Grafana's groupKey); the fingerprint elsewhere. */
  readonly groupKey: string;
  readonly status: AlertStatus;
  /** The alert's name: alertname, AlarmName, the generic title. */
  readonly name: string;
  /** One line for a person: the summary annotation, else the name. */
  readonly summary: string;
  readonly description?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** When the problem started, by the tool's clock; null when the tool does not say. */
  readonly startsAtMs: number | null;
  /** When the tool saw it end (resolved alerts only). */
  readonly endsAtMs: number | null;
  readonly links: readonly AlertLink[];
}

/** One delivery from a tool: its alerts, and the group they came in (several alerts open one incident). */
export interface AlertDelivery {
  readonly tool: AlertTool;
  readonly groupKey: string;
  readonly alerts: readonly Alert[];
}
