import type { IncidentEvent } from '#shared/domain/events.ts';
import type { IncidentState } from '#shared/domain/timeline.ts';
import type { WeekSummary } from '#shared/domain/weekly-metrics.ts';
import type {
  AppendOutcome,
  Delivery,
  EventStore,
  IncidentWeeks,
  PostmortemFailure,
  WrittenPostmortem,
} from '#shared/ports.ts';
import { createInMemorySendLedger } from './in-memory-send-ledger.ts';

/** The event store in memory, with the same contract as the DynamoDB adapter (test/contract). */
export function createInMemoryEventStore(): EventStore & { readonly events: Map<string, IncidentEvent> } {
  const events = new Map<string, IncidentEvent>();
  const states = new Map<string, IncidentState>();
  const weeks = new Map<string, IncidentWeeks>();
  const summaries = new Map<string, WeekSummary>();
  const deliveries = new Map<string, Delivery & { issueId: string }>();
  const postmortems = new Map<string, WrittenPostmortem>();
  const postmortemFailures = new Map<string, PostmortemFailure>();
  const postmortemFingerprints = new Map<string, string>();
  const eventKey = (event: IncidentEvent) => `${event.issueId}|${event.eventId}`;
  const clone = <T>(value: T): T => structuredClone(value);
  return {
    events,
    ...createInMemorySendLedger(deliveries),
    async append(batch) {
      return batch.map((event): AppendOutcome => {
        if (events.has(eventKey(event))) return 'duplicate';
        events.set(eventKey(event), clone(event));
        return 'stored';
      });
    },
    async hasIncident(issueId) {
      return [...events.values()].some((event) => event.issueId === issueId) || states.has(issueId);
    },
    async loadEvents(issueId) {
      return [...events.values()].filter((event) => event.issueId === issueId).map(clone);
    },
    async saveState(state, stateWeeks) {
      const existing = states.get(state.issueId);
      if (existing && existing.eventCount > state.eventCount) return { kind: 'stale' };
      const previousWeeks = weeks.get(state.issueId) ?? null;
      states.set(state.issueId, clone(state));
      weeks.set(state.issueId, stateWeeks);
      return { kind: 'saved', previousWeeks };
    },
    async listStatesByWeek(week, by) {
      const inWeek = (issueId: string) => {
        const indexed = weeks.get(issueId);
        return (by === 'opened' ? indexed?.openedWeek : indexed?.resolvedWeek) === week;
      };
      return [...states.values()].filter((state) => inWeek(state.issueId)).map(clone);
    },
    async getWeekSummaries(weekIds) {
      return new Map(
        weekIds.flatMap((weekId) => {
          const summary = summaries.get(weekId);
          return summary ? [[weekId, clone(summary)] as const] : [];
        }),
      );
    },
    async saveWeekSummary(weekId, summary) {
      summaries.set(weekId, clone(summary));
    },
    async forgetWeekSummaries(weekIds) {
      for (const weekId of weekIds) summaries.delete(weekId);
    },
    async loadDeliveries(issueId) {
      return [...deliveries.values()]
        .filter((delivery) => delivery.issueId === issueId)
        .map(({ issueId: _issueId, ...delivery }) => clone(delivery))
        .sort((a, b) => a.atMs - b.atMs);
    },
    async recordDelivery(issueId, delivery) {
      const key = `${issueId}|${delivery.notificationId}#${delivery.channel}#${delivery.recipient}`;
      if (!deliveries.has(key)) deliveries.set(key, { ...clone(delivery), issueId });
    },
    async postmortemOf(issueId) {
      return clone(postmortems.get(issueId) ?? null);
    },
    async recordPostmortem(issueId, postmortem) {
      if (!postmortems.has(issueId)) postmortems.set(issueId, clone(postmortem));
    },
    async postmortemPropertiesOf(issueId) {
      return postmortemFingerprints.get(issueId) ?? null;
    },
    async recordPostmortemProperties(issueId, fingerprint) {
      if (postmortems.has(issueId)) postmortemFingerprints.set(issueId, fingerprint);
    },
    async postmortemFailureOf(issueId) {
      return clone(postmortemFailures.get(issueId) ?? null);
    },
    async recordPostmortemFailure(issueId, failure) {
      postmortemFailures.set(issueId, clone(failure));
    },
    async getStateByKey(key) {
      const matches = [...states.values()].filter((state) => state.key === key);
      return clone(matches.sort((a, b) => b.openedAtMs - a.openedAtMs)[0] ?? null);
    },
    async listStates() {
      return [...states.values()].sort((a, b) => b.openedAtMs - a.openedAtMs).map(clone);
    },
  };
}
