import type { IncidentRule } from '../domain/incident-rules.ts';
import { whyNotIncident } from '../domain/incident-rules.ts';
import { eventsFromAutomation } from '../jira/jira-automation.ts';
import {
  eventsFromWebhook,
  type JiraIssueRead,
  type JiraWebhook,
  type WebhookConversion,
  type WebhookReading,
} from '../jira/jira-webhook.ts';
import type { EventJournal } from '../ports.ts';

export type IngestOutcome =
  | { kind: 'stored'; issueId: string; key: string; storedCount: number; duplicateCount: number }
  | { kind: 'duplicate'; issueId: string; key: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; path: string; message: string };

export interface IngestDeps {
  readonly store: EventJournal;
  readonly reading: WebhookReading;
  readonly incidents: IncidentRule;
}

/**
 * Keeps what a webhook says about an incident, each fact once. An issue that does not look like an
 * incident in this payload is still followed when it already is one in the store: comment webhooks
 * carry too few fields to tell.
 */
export function ingestJiraWebhook(payload: JiraWebhook, deps: IngestDeps): Promise<IngestOutcome> {
  return ingest(eventsFromWebhook(payload, deps.reading), deps);
}

/** Keeps what a Jira Automation delivery says: the issue's status as of its `updated` time. */
export function ingestJiraAutomation(issue: JiraIssueRead, deps: IngestDeps): Promise<IngestOutcome> {
  return ingest(eventsFromAutomation(issue, deps.reading), deps);
}

async function ingest(conversion: WebhookConversion, deps: IngestDeps): Promise<IngestOutcome> {
  if (conversion.kind !== 'events') return conversion;
  const { issueId, issue, events } = conversion;
  const notIncident = whyNotIncident(issue, deps.incidents);
  if (notIncident !== null && !(await deps.store.hasIncident(issueId))) {
    return { kind: 'ignored', reason: notIncident };
  }
  const outcomes = await deps.store.append(events);
  const storedCount = outcomes.filter((outcome) => outcome === 'stored').length;
  if (storedCount === 0) return { kind: 'duplicate', issueId, key: issue.key };
  return {
    kind: 'stored',
    issueId,
    key: issue.key,
    storedCount,
    duplicateCount: outcomes.length - storedCount,
  };
}
