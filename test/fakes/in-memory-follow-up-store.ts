import type { FollowUp } from '#shared/domain/follow-ups.ts';
import { formatIsoWeek, isoWeekOf } from '#shared/domain/iso-weeks.ts';
import type { FollowUpStore, IncidentStates, PostmortemRecords } from '#shared/ports.ts';
import { createInMemoryIncidentStates } from './in-memory-incident-states.ts';
import { createInMemoryPostmortemRecords } from './in-memory-postmortem-records.ts';

/**
 * Follow-ups in memory, with the DynamoDB adapter's contract (test/contract). The postmortem records and
 * incident states it reads come with it, sharing its memory as the adapters share the incident table.
 */
export function createInMemoryFollowUpStore(timeZone: string): FollowUpStore & {
  readonly postmortems: PostmortemRecords;
  readonly states: IncidentStates;
} {
  const followUps = new Map<string, FollowUp>();
  const records = createInMemoryPostmortemRecords();
  const { holds: _holds, ...states } = createInMemoryIncidentStates();
  // Recorded postmortems in the order they were recorded, until retired, with their page's Status.
  const active = new Map<string, string | null>();
  const recorded = new Set<string>();
  const clone = <T>(value: T): T => structuredClone(value);
  const keyOf = (incidentIssueId: string, itemId: string) => `${incidentIssueId}\u0000${itemId}`;
  const weekOf = (ms: number) => formatIsoWeek(isoWeekOf(ms, timeZone));

  return {
    postmortems: {
      ...records,
      async recordPostmortem(issueId, postmortem) {
        await records.recordPostmortem(issueId, postmortem);
        if (recorded.has(issueId)) return;
        recorded.add(issueId);
        active.set(issueId, null);
      },
    },
    states,
    async followUpOfItem(incidentIssueId, itemId) {
      return clone(followUps.get(keyOf(incidentIssueId, itemId)) ?? null);
    },
    async saveFollowUp(followUp) {
      followUps.set(keyOf(followUp.incidentIssueId, followUp.itemId), clone(followUp));
    },
    async followUpsOfIncident(incidentIssueId) {
      return [...followUps.values()]
        .filter((followUp) => followUp.incidentIssueId === incidentIssueId)
        .sort(
          (a, b) =>
            a.createdAtMs - b.createdAtMs || a.ticketKey.localeCompare(b.ticketKey, 'en', { numeric: true }),
        )
        .map(clone);
    },
    async openFollowUps() {
      return [...followUps.values()]
        .filter((followUp) => followUp.state === 'open')
        .sort((a, b) => a.createdAtMs - b.createdAtMs)
        .map(clone);
    },
    async followUpsByWeek(week, by) {
      const inWeek = (followUp: FollowUp) =>
        by === 'opened'
          ? weekOf(followUp.createdAtMs) === week
          : followUp.doneAtMs !== null && weekOf(followUp.doneAtMs) === week;
      return [...followUps.values()].filter(inWeek).map(clone);
    },
    async activePostmortems() {
      const listed = await Promise.all(
        [...active].map(async ([issueId, status]) => {
          const postmortem = await records.postmortemOf(issueId);
          return postmortem === null ? [] : [{ issueId, postmortem, status }];
        }),
      );
      return listed.flat();
    },
    async savePostmortemStatus(issueId, status) {
      if (active.has(issueId)) active.set(issueId, status);
    },
    async retirePostmortem(issueId) {
      active.delete(issueId);
    },
    async incidentState(issueId) {
      const all = await states.listStates();
      return all.find((state) => state.issueId === issueId) ?? null;
    },
  };
}
