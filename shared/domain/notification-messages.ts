import { formatDuration } from './durations.ts';
import { gsm7Length, SMS_LIMITS, toAscii, toGsm7 } from './gsm7.ts';
import { isKnownStage, type KnownStage } from './lifecycle.ts';
import type { NotificationCause } from './notification-plan.ts';
import { plural } from './plural.ts';
import type { IncidentState } from './timeline.ts';

/** Who reads a message: the team and management, or customers (customer-safe wording, nothing internal). */
export type Audience = 'internal' | 'customer';

/** Everything a message is written from; time comes in as `nowMs`. */
export type MessageInput = {
  readonly incident: IncidentState;
  readonly cause: NotificationCause;
  readonly audience: Audience;
  readonly jiraUrl: string | null;
  readonly postmortemUrl: string | null;
  readonly nowMs: number;
  readonly nextUpdateInMinutes: number | null;
};

/** A plain-text email. */
export type EmailMessage = { readonly subject: string; readonly body: string };

/** SNS rejects a subject of 100 characters or more. */
export const SUBJECT_MAX_CHARS = 99;

/** One GSM-7 SMS segment. */
export const SMS_MAX_SEPTETS = SMS_LIMITS.gsm7.single;

const ELLIPSIS = '...';

// What customers are told is being done, per stage: plain words, no process jargon.
const CUSTOMER_STAGE: Record<KnownStage, { readonly short: string; readonly sentence: string }> = {
  detection: { short: 'investigating', sentence: 'We are looking into reports of a problem.' },
  declaration: { short: 'confirmed', sentence: 'We have confirmed the problem and are responding.' },
  categorization: { short: 'assessing impact', sentence: 'We are assessing the impact.' },
  diagnosis: { short: 'investigating', sentence: 'We are investigating the cause.' },
  mitigation: { short: 'fix in progress', sentence: 'A fix is being rolled out.' },
  resolution: { short: 'resolved', sentence: 'The service has been restored.' },
  analysis: { short: 'resolved', sentence: 'The service has been restored; we are reviewing what happened.' },
  closed: { short: 'resolved', sentence: 'The service has been restored.' },
};

/** What customers are told of a stage: a few words and a sentence (the keep-satisfied emails' and the status page's). */
export function customerStage(stage: string): { readonly short: string; readonly sentence: string } {
  return isKnownStage(stage) ? CUSTOMER_STAGE[stage] : { short: 'update', sentence: 'We are working on it.' };
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The text cut to `max` characters (by `lengthOf`), with an ellipsis when cut; '' when even that won't fit. */
function cut(text: string, max: number, lengthOf: (text: string) => number): string {
  if (lengthOf(text) <= max) return text;
  if (max < lengthOf(ELLIPSIS) + 1) return '';
  let kept = '';
  for (const char of text) {
    if (lengthOf(kept + char) + lengthOf(ELLIPSIS) > max) break;
    kept += char;
  }
  return `${kept.trimEnd()}${ELLIPSIS}`;
}

const severityTag = (input: MessageInput): string => `[${input.cause.severity ?? 'SEV?'}]`;

/** What the cause changed, in a few words: "declared", "now Mitigating", "severity now SEV1". */
function headline(input: MessageInput): string {
  const { cause, audience } = input;
  switch (cause.kind) {
    case 'declaration':
      return 'declared';
    case 'stage-change':
    case 'mitigation':
      return audience === 'customer' ? customerStage(cause.stage).short : `now ${cause.status}`;
    case 'severity-change':
      return `severity now ${cause.severity ?? 'unset'}`;
    case 'resolution':
      return 'resolved';
    case 'reopen':
      return 'reopened';
    default:
      return cause.kind satisfies never;
  }
}

/** What the incident is called: its summary for the team; what is affected for customers. */
function title(input: MessageInput): string {
  const { incident } = input;
  if (input.audience === 'internal') return oneLine(incident.summary) || 'Incident';
  return customerTitle(incident.components);
}

/** What an incident is called for customers: what is affected, never the Jira summary. */
export function customerTitle(components: readonly string[]): string {
  return components.length > 0
    ? `Service disruption affecting ${components.join(', ')}`
    : 'Service disruption';
}

function whatHappened(input: MessageInput): string {
  const { cause, incident, audience } = input;
  const key = incident.key;
  const where = audience === 'customer' ? customerStage(cause.stage).sentence : `It is now ${cause.status}.`;
  switch (cause.kind) {
    case 'declaration':
      return audience === 'customer'
        ? `We are aware of a problem (reference ${key}). ${where}`
        : `${key} was declared an incident. ${where}`;
    case 'stage-change':
      return audience === 'customer' ? where : `${key} moved to ${cause.status} (${cause.stage}).`;
    case 'mitigation':
      return audience === 'customer' ? where : `A fix or workaround for ${key} is rolling out. ${where}`;
    case 'severity-change':
      return cause.previousSeverity
        ? `The severity of ${key} changed from ${cause.previousSeverity} to ${cause.severity ?? 'unset'}.`
        : `The severity of ${key} was set to ${cause.severity ?? 'unset'}.`;
    case 'resolution':
      return audience === 'customer'
        ? 'The problem is resolved and the service has been restored.'
        : `${key} was resolved: service is restored. ${where}`;
    case 'reopen':
      return audience === 'customer'
        ? `The problem has come back. ${where}`
        : `${key} was reopened: the problem is back. ${where}`;
    default:
      return cause.kind satisfies never;
  }
}

/** The email subject: ASCII on one line, under SNS's limit; the summary is cut, never key or severity. */
function subjectOf(input: MessageInput): string {
  const head = toAscii(`${severityTag(input)} ${input.incident.key}`);
  const tail = toAscii(` - ${headline(input)}`);
  const room = SUBJECT_MAX_CHARS - head.length - tail.length - 1;
  const summary = cut(oneLine(toAscii(title(input))), room, (text) => text.length);
  const subject = oneLine(summary ? `${head} ${summary}${tail}` : `${head}${tail}`);
  return subject.slice(0, SUBJECT_MAX_CHARS);
}

/** The components affected at the announced moment (the incident's own when no payload stated them). */
const componentsOf = (input: MessageInput): readonly string[] =>
  input.cause.components ?? input.incident.components;

// Severity, stage and components are those of the announced moment: a declaration folded late, in
// one batch with the resolution, still reads as a declaration.
function impactLine(input: MessageInput): string {
  const components = componentsOf(input);
  if (input.audience === 'customer') {
    return components.length > 0
      ? `Affected: ${components.join(', ')}.`
      : 'Affected: we are still determining which services are affected.';
  }
  const named = components.length > 0 ? components.join(', ') : 'none recorded';
  return `Impact: severity ${input.cause.severity ?? 'not set'}; affected components: ${named}.`;
}

function timingLines(input: MessageInput): string[] {
  const { incident, cause, nowMs, nextUpdateInMinutes } = input;
  const lines = [`Started: ${formatDuration(Math.max(0, nowMs - incident.openedAtMs))} ago.`];
  if (cause.kind === 'resolution') {
    lines.push(`Resolved after: ${formatDuration(Math.max(0, cause.atMs - incident.openedAtMs))}.`);
  }
  if (nextUpdateInMinutes !== null)
    lines.push(`Next update: within ${plural(nextUpdateInMinutes, 'minute')}.`);
  return lines;
}

/** The email for one notification: subject and plain-text body, customer-safe for the customer audience. */
export function emailFor(input: MessageInput): EmailMessage {
  const { incident, audience } = input;
  const lines =
    audience === 'customer'
      ? [
          title(input),
          '',
          whatHappened(input),
          impactLine(input),
          `What we are doing: ${customerStage(input.cause.stage).sentence}`,
          ...timingLines(input),
        ]
      : [
          `${incident.key} ${oneLine(incident.summary)}`,
          '',
          `What happened: ${whatHappened(input)}`,
          impactLine(input),
          `Stage: ${input.cause.status} (${input.cause.stage}).`,
          ...(incident.assignee?.displayName ? [`Assignee: ${incident.assignee.displayName}.`] : []),
          ...timingLines(input),
          ...(input.jiraUrl || input.postmortemUrl ? [''] : []),
          ...(input.jiraUrl ? [`Jira: ${input.jiraUrl}`] : []),
          ...(input.postmortemUrl ? [`Postmortem: ${input.postmortemUrl}`] : []),
        ];
  return { subject: subjectOf(input), body: `${lines.join('\n')}\n` };
}

/**
 * The SMS for one notification, in one GSM-7 segment: key, severity and what changed always; the Jira
 * link (internal only) when it fits; the summary cut to whatever room is left.
 */
export function smsFor(input: MessageInput): string {
  const fits = (text: string) => gsm7Length(text) <= SMS_MAX_SEPTETS;
  const head = oneLine(toGsm7(`${severityTag(input)} ${input.incident.key} ${headline(input)}`));
  const extra =
    input.audience === 'customer'
      ? [customerStage(input.cause.stage).sentence, ...nextUpdate(input)].join(' ')
      : (input.jiraUrl ?? '');
  const tail = oneLine(toGsm7(extra));
  const withTail = tail && fits(`${head} ${tail}`) ? `${head} ${tail}` : head;
  const room = SMS_MAX_SEPTETS - gsm7Length(withTail) - 3;
  const summary = cut(oneLine(toGsm7(title(input))), room, gsm7Length);
  const text = summary ? `${head}: ${summary}${withTail.slice(head.length)}` : withTail;
  return fits(text) ? text : cut(text, SMS_MAX_SEPTETS, gsm7Length);
}

function nextUpdate(input: MessageInput): string[] {
  return input.nextUpdateInMinutes === null ? [] : [`Next update in ${input.nextUpdateInMinutes} min.`];
}

/** The page manage-closely gets when a SEV1/SEV2 is still unacknowledged: one GSM-7 segment. */
export function escalationSmsFor(incident: IncidentState, openForMs: number, jiraUrl: string | null): string {
  const head = oneLine(
    toGsm7(
      `[${incident.severity ?? 'SEV?'}] ${incident.key} NOT ACKNOWLEDGED after ${formatDuration(openForMs)}`,
    ),
  );
  const tail = jiraUrl && gsm7Length(`${head} ${jiraUrl}`) <= SMS_MAX_SEPTETS ? ` ${jiraUrl}` : '';
  const room = SMS_MAX_SEPTETS - gsm7Length(head + tail) - 2;
  const summary = cut(oneLine(toGsm7(incident.summary)), room, gsm7Length);
  return summary ? `${head}: ${summary}${tail}` : `${head}${tail}`;
}

/** The email that goes with the escalation page: who should act, and where. */
export function escalationEmailFor(
  incident: IncidentState,
  openForMs: number,
  jiraUrl: string | null,
): EmailMessage {
  const tag = `[${incident.severity ?? 'SEV?'}] ${incident.key} not acknowledged after ${formatDuration(openForMs)}`;
  const room = SUBJECT_MAX_CHARS - tag.length - 3;
  const summary = cut(oneLine(toAscii(incident.summary)), room, (text) => text.length);
  const subject = summary ? `${tag}: ${summary}` : tag;
  const body = [
    `${incident.key} (${incident.severity ?? 'no severity'}) was opened ${formatDuration(openForMs)} ago and nobody has acknowledged it yet.`,
    `Summary: ${oneLine(incident.summary)}`,
    `Status: ${incident.status ?? 'unknown'}; assignee: ${incident.assignee?.displayName ?? incident.assignee?.name ?? 'nobody'}.`,
    'Acknowledge it by moving it to the declared stage, or assign someone who will.',
    ...(jiraUrl ? [`Jira: ${jiraUrl}`] : []),
  ].join('\n');
  return { subject: toAscii(subject).slice(0, SUBJECT_MAX_CHARS), body };
}
