import type { IncidentEvent } from '../domain/events.ts';
import {
  type JiraIssueRead,
  snapshotOf,
  type WebhookConversion,
  type WebhookReading,
  withinItemSize,
} from './jira-webhook.ts';

/**
 * What a Jira Automation "Send web request" with the "Issue data (Jira format)" body tells: the issue
 * (at the top level, its id a number, no changelog items) is in status S as of its `updated` time.
 * That becomes a status event identified by (issue id, status, updated): a second delivery of the same
 * moment is a duplicate, and the fold skips a move to the status the issue is already in, so it folds
 * with the webhook's and the reconciler's events of the same change without counting it twice. When
 * only Automation reports a change, the visit starts at `updated`, which is when Jira last touched the
 * issue, not always when the status changed; the reconciler later replaces it with the changelog's time.
 */
export function eventsFromAutomation(issue: JiraIssueRead, reading: WebhookReading): WebhookConversion {
  const snapshot = snapshotOf(issue, reading);
  const status = snapshot.status;
  if (status === undefined)
    return { kind: 'invalid', path: 'fields.status', message: 'the issue data needs its status' };
  const atMs = snapshot.updatedMs;
  if (atMs === undefined)
    return { kind: 'invalid', path: 'fields.updated', message: 'the issue data needs its updated time' };
  const event: IncidentEvent = {
    kind: 'status-changed',
    eventId: `automation#${issue.id}#${status.id ?? status.name.toLowerCase()}#${atMs}`,
    issueId: issue.id,
    atMs,
    seq: 0,
    actor: null,
    issue: snapshot,
    from: null,
    to: status,
  };
  return withinItemSize(
    { kind: 'events', issueId: issue.id, issue: snapshot, events: [event] },
    Object.entries(issue.fields).map(([name, value]) => [`fields.${name}`, value] as const),
  );
}
