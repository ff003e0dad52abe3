import type { IncidentEvent, IssueSnapshot } from '#shared/domain/events.ts';
import { resolveSettings, type Settings } from '#shared/settings.ts';

export const T0 = Date.parse('2026-11-02T09:00:00.000Z');
export const MINUTE = 60_000;

/** The default settings, or defaults overridden by one layer. */
export function settingsWith(value: unknown = {}): Settings {
  const result = resolveSettings([{ source: 'test', value }]);
  if (!result.ok) throw new Error(result.message);
  return result.settings;
}

const snapshot = (overrides: Partial<IssueSnapshot> = {}): IssueSnapshot => ({
  key: 'INC-1',
  summary: 'Checkout failing',
  issueType: 'Incident',
  priority: 'High',
  labels: [],
  components: ['checkout-api'],
  createdMs: T0,
  ...overrides,
});

/** Builders of one incident's events, minutes after T0, with Jira's identities. */
export function incident(issueId = '10001', issue: Partial<IssueSnapshot> = {}) {
  // Each payload carries the issue as it is at that moment: later snapshots show earlier changes.
  const current: Partial<IssueSnapshot> = { ...issue };
  const base = (atMinutes: number) => ({
    issueId,
    atMs: T0 + atMinutes * MINUTE,
    actor: { accountId: 'acc-1', displayName: 'Mia' },
    issue: snapshot({ updatedMs: T0 + atMinutes * MINUTE, ...current }),
  });
  return {
    created(status = 'Detected'): IncidentEvent {
      return {
        ...base(0),
        issue: { ...base(0).issue, status: { id: null, name: status } },
        kind: 'issue-created',
        eventId: `issue#${issueId}#created`,
        seq: 0,
      };
    },
    move(
      changelogId: number,
      atMinutes: number,
      from: string,
      to: string,
      toId: string | null = null,
    ): IncidentEvent {
      const event = base(atMinutes);
      return {
        ...event,
        issue: { ...event.issue, status: { id: toId, name: to } },
        kind: 'status-changed',
        eventId: `changelog#${changelogId}#status`,
        seq: changelogId,
        from: { id: null, name: from },
        to: { id: toId, name: to },
      };
    },
    priority(changelogId: number, atMinutes: number, to: string): IncidentEvent {
      current.priority = to;
      const event = base(atMinutes);
      return {
        ...event,
        issue: { ...event.issue, priority: to },
        kind: 'field-changed',
        eventId: `changelog#${changelogId}#priority`,
        seq: changelogId,
        field: 'priority',
        from: null,
        to,
      };
    },
    comment(commentId: number, atMinutes: number, body: string): IncidentEvent {
      const event = base(atMinutes);
      return {
        ...event,
        kind: 'comment-written',
        eventId: `comment#${commentId}#${event.atMs}`,
        seq: commentId,
        commentId: String(commentId),
        author: event.actor,
        body,
        bodyTruncated: false,
        createdMs: event.atMs,
        updatedMs: event.atMs,
      };
    },
    deleted(atMinutes: number): IncidentEvent {
      return { ...base(atMinutes), kind: 'issue-deleted', eventId: `issue#${issueId}#deleted`, seq: 0 };
    },
  };
}

/** The standard lifecycle with one reopen: the events the tests and the property test share. */
export function reopenedLifecycle(issueId = '10001'): IncidentEvent[] {
  const inc = incident(issueId);
  return [
    inc.created(),
    inc.move(1, 4, 'Detected', 'Declared'),
    inc.priority(2, 6, 'Highest'),
    inc.move(3, 9, 'Declared', 'Triaged'),
    inc.comment(501, 12, 'error rate 30%'),
    inc.move(4, 15, 'Triaged', 'Investigating'),
    inc.move(5, 41, 'Investigating', 'Mitigating'),
    inc.move(6, 58, 'Mitigating', 'Resolved'),
    inc.move(7, 75, 'Resolved', 'Investigating'),
    inc.move(8, 95, 'Investigating', 'Mitigating'),
    inc.move(9, 112, 'Mitigating', 'Resolved'),
    inc.move(10, 150, 'Resolved', 'Postmortem'),
  ];
}
