import type { Alert } from './alert.ts';
import type { AlertRouting } from './alert-routing.ts';
import type { DocBlock, DocRun } from './doc-blocks.ts';
import type { Severity } from './lifecycle.ts';

/** The label every incident opened from alerts carries, beside the label of its alert identity. */
export const ALERT_INCIDENT_LABEL = 'incident-flow-alert';

/** The label of "alert storm" incidents. */
export const STORM_LABEL = 'incident-flow-alert-storm';

/** A new incident issue as the alert intake asks for it. */
export interface IncidentDraft {
  readonly project: string;
  readonly summary: string;
  readonly description: readonly DocBlock[];
  /** The Jira priority name (settings.severity.priorities read backwards); null leaves Jira's default. */
  readonly priority: string | null;
  readonly component: string | null;
  /** Labels that find the issue again (`alert-<hash>`, `incident-flow-alert`). */
  readonly labels: readonly string[];
  /** When the impact started (the alert's start), for incidents.startField; null when no alert says. */
  readonly startedAtMs: number | null;
  /** A person of the directory made the assignee, when the route names one. */
  readonly assignee: string | null;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/**
 * The label that finds an alert identity's incident: `alert-` and a 64-bit FNV-1a hash of the identity
 * (Jira labels take no spaces and at most 255 characters; identities may hold both).
 */
export function alertLabel(identity: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(identity)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return `alert-${hash.toString(16).padStart(16, '0')}`;
}

/** The priority name that means a severity: the first of settings.severity.priorities mapping to it. */
export function priorityFor(
  severity: Severity,
  priorities: Readonly<Record<string, Severity>>,
): string | null {
  return Object.entries(priorities).find(([, mapped]) => mapped === severity)?.[0] ?? null;
}

/** A time as people of the team read it: "2026-12-08 14:05 (Europe/Berlin)". */
export function teamTime(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const part = (type: string) => parts.find((each) => each.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} (${timeZone})`;
}

const text = (value: string): DocRun => ({ text: value, url: null });
const bold = (value: string): DocRun => ({ text: value, url: null, marks: { bold: true } });
const paragraph = (...runs: DocRun[]): DocBlock => ({ kind: 'paragraph', runs });
const heading = (value: string): DocBlock => ({ kind: 'heading', level: 3, runs: [text(value)] });
const bullet = (...runs: DocRun[]): DocBlock => ({ kind: 'bullet', runs });
const pairs = (record: Readonly<Record<string, string>>): DocBlock[] =>
  Object.entries(record)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => bullet(bold(`${name}: `), text(value)));

/** The earliest start any of the alerts gives; null when none gives one. */
export function earliestStartMs(alerts: readonly Alert[]): number | null {
  const starts = alerts.map((alert) => alert.startsAtMs).filter((ms): ms is number => ms !== null);
  return starts.length === 0 ? null : Math.min(...starts);
}

/** One alert described: its summary, start, labels, annotations and links. */
function describeAlert(alert: Alert, timeZone: string): DocBlock[] {
  const blocks: DocBlock[] = [
    heading(`${alert.name} (${alert.tool}, ${alert.status})`),
    paragraph(text(alert.summary)),
  ];
  if (alert.description && alert.description !== alert.summary)
    blocks.push(paragraph(text(alert.description)));
  blocks.push(
    paragraph(
      bold('Started: '),
      text(alert.startsAtMs === null ? 'not given by the tool' : teamTime(alert.startsAtMs, timeZone)),
    ),
  );
  if (alert.links.length > 0) {
    blocks.push(paragraph(bold('Links')));
    for (const link of alert.links)
      blocks.push(bullet(text(`${link.kind}: `), { text: link.title ?? link.url, url: link.url }));
  }
  if (Object.keys(alert.labels).length > 0) blocks.push(paragraph(bold('Labels')), ...pairs(alert.labels));
  if (Object.keys(alert.annotations).length > 0)
    blocks.push(paragraph(bold('Annotations')), ...pairs(alert.annotations));
  return blocks;
}

type Routed = Extract<AlertRouting, { kind: 'incident' }>;

/** The incident issue for firing alerts of one group and route. */
export function alertIncidentDraft(
  alerts: readonly Alert[],
  identities: readonly string[],
  routing: Routed,
  options: { readonly priorities: Readonly<Record<string, Severity>>; readonly timeZone: string },
): IncidentDraft {
  const first = alerts[0];
  const summary =
    first === undefined
      ? 'Alert'
      : alerts.length === 1
        ? first.summary
        : `${first.summary} (and ${alerts.length - 1} more alert${alerts.length > 2 ? 's' : ''})`;
  return {
    project: routing.project,
    summary: summary.slice(0, 250),
    description: [
      paragraph(
        text(`Opened by Incident Flow from ${alerts.length === 1 ? 'an alert' : `${alerts.length} alerts`} `),
        text(`(route ${routing.route}, ${routing.severity}).`),
      ),
      ...alerts.flatMap((alert) => describeAlert(alert, options.timeZone)),
    ],
    priority: priorityFor(routing.severity, options.priorities),
    component: routing.component ?? null,
    labels: [ALERT_INCIDENT_LABEL, ...new Set(identities.map(alertLabel))].slice(0, 20),
    startedAtMs: earliestStartMs(alerts),
    assignee: routing.owner ?? null,
  };
}

/** The "alert storm" incident: one issue listing the alerts that came too fast to open one each. */
export function stormIncidentDraft(
  alerts: readonly Alert[],
  routing: Routed,
  options: {
    readonly priorities: Readonly<Record<string, Severity>>;
    readonly timeZone: string;
    readonly maxPerMinute: number;
  },
): IncidentDraft {
  return {
    project: routing.project,
    summary: `Alert storm: more than ${options.maxPerMinute} incidents a minute from alerts`,
    description: [
      paragraph(
        text('More alerts fired than '),
        bold(`${options.maxPerMinute} new incidents a minute`),
        text(
          ' (alerts.maxNewIncidentsPerMinute): they are listed here instead of opening one incident each.',
        ),
      ),
      ...stormList(alerts, options.timeZone),
    ],
    priority: priorityFor('SEV1', options.priorities),
    component: routing.component ?? null,
    labels: [ALERT_INCIDENT_LABEL, STORM_LABEL],
    startedAtMs: earliestStartMs(alerts),
    assignee: routing.owner ?? null,
  };
}

function stormList(alerts: readonly Alert[], timeZone: string): DocBlock[] {
  return alerts.map((alert) =>
    bullet(
      bold(alert.name),
      text(` (${alert.tool}): ${alert.summary}`),
      text(alert.startsAtMs === null ? '' : `, since ${teamTime(alert.startsAtMs, timeZone)}`),
    ),
  );
}

const names = (alerts: readonly Alert[]) => [...new Set(alerts.map((alert) => alert.name))].join(', ');

/** The comments the intake writes on an incident, as plain text. */
export const alertComments = {
  firedAgain: (alerts: readonly Alert[], nowMs: number, timeZone: string) =>
    `Alert ${names(alerts)} fired again (${alerts.length === 1 ? '1 alert' : `${alerts.length} alerts`}) at ${teamTime(nowMs, timeZone)}.`,
  flapping: (alerts: readonly Alert[], nowMs: number, timeZone: string, reopened: boolean) =>
    `Alert ${names(alerts)} fired again at ${teamTime(nowMs, timeZone)}, soon after this incident was resolved: flapping.${reopened ? ' Incident Flow reopened the incident.' : ''}`,
  cleared: (alerts: readonly Alert[], clearedAtMs: number, timeZone: string) =>
    `Alert ${names(alerts)} cleared at ${teamTime(clearedAtMs, timeZone)}.`,
  storm: (alerts: readonly Alert[], timeZone: string) =>
    [
      `${alerts.length === 1 ? 'One more alert' : `${alerts.length} more alerts`} joined the storm:`,
      ...alerts.map(
        (alert) =>
          `- ${alert.name} (${alert.tool}): ${alert.summary}${alert.startsAtMs === null ? '' : `, since ${teamTime(alert.startsAtMs, timeZone)}`}`,
      ),
    ].join('\n'),
} as const;
