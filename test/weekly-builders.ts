import type { IncidentEvent, IssueSnapshot } from '#shared/domain/events.ts';
import { foldIncident, type IncidentState } from '#shared/domain/timeline.ts';
import { settingsWith } from './builders.ts';

const settings = settingsWith();

/** Epoch ms of an ISO 8601 time, so a history reads as the board shows it. */
export const at = (iso: string): number => Date.parse(iso);

/**
 * One incident's events at absolute times: created in `status` at `createdAt`, then moves, priority
 * changes and a deletion, each later payload carrying the issue as it is by then.
 */
export function history(key: string, createdAt: string, issue: Partial<IssueSnapshot> = {}) {
  const issueId = `id-${key}`;
  const current: IssueSnapshot = {
    key,
    summary: `${key} summary`,
    issueType: 'Incident',
    priority: null,
    labels: [],
    components: [],
    createdMs: at(createdAt),
    ...issue,
  };
  const events: IncidentEvent[] = [];
  let seq = 0;
  const base = (atIso: string) => ({
    issueId,
    atMs: at(atIso),
    seq: ++seq,
    actor: { accountId: 'acc-1', displayName: 'Mia' },
    issue: { ...current, updatedMs: at(atIso) },
  });
  const builder = {
    created(status = 'Detected') {
      current.status = { id: null, name: status };
      events.push({ ...base(createdAt), kind: 'issue-created', eventId: `${issueId}#created` });
      return builder;
    },
    move(atIso: string, from: string, to: string) {
      current.status = { id: null, name: to };
      const event = base(atIso);
      events.push({
        ...event,
        kind: 'status-changed',
        eventId: `${issueId}#${event.seq}`,
        from: { id: null, name: from },
        to: { id: null, name: to },
      });
      return builder;
    },
    priority(atIso: string, to: string) {
      const from = current.priority ?? null;
      current.priority = to;
      const event = base(atIso);
      events.push({
        ...event,
        kind: 'field-changed',
        eventId: `${issueId}#${event.seq}`,
        field: 'priority',
        from,
        to,
      });
      return builder;
    },
    deleted(atIso: string) {
      events.push({ ...base(atIso), kind: 'issue-deleted', eventId: `${issueId}#deleted` });
      return builder;
    },
    events: () => [...events],
    /** The incident's state, folded by the real fold with the default settings. */
    fold(): IncidentState {
      const state = foldIncident(events, settings);
      if (!state) throw new Error(`${key} has no events`);
      return state;
    },
  };
  return builder;
}

/** The weekly numbers' settings: the default board and change label, in the given time zone. */
export function weeklySettings(timeZone = 'UTC', changeLabel = 'caused-by-change') {
  return {
    changeLabel,
    resolveStage: settings.board.resolveStage,
    statuses: settings.board.statuses,
    timeZone,
  };
}
