import { describe, expect, it } from 'vitest';
import type { FollowUp } from '#shared/domain/follow-ups.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import type { FollowUpStore, IncidentStates, PostmortemRecords } from '#shared/ports.ts';
import { reopenedLifecycle, settingsWith } from '../builders.ts';

/** The follow-up store with the ports that write what it reads of the incident table. */
export interface FollowUpTable {
  readonly followUps: FollowUpStore;
  readonly postmortems: Pick<PostmortemRecords, 'recordPostmortem'>;
  readonly states: Pick<IncidentStates, 'saveState'>;
}

/** The team's time zone in these cases: Sunday 23:30 UTC is already Monday, the next ISO week, in Berlin. */
const TIME_ZONE = 'Europe/Berlin';
const SUNDAY_W46_LATE_UTC = Date.parse('2026-11-15T23:30:00.000Z');
const TUESDAY_W46 = Date.parse('2026-11-10T09:00:00.000Z');

const followUp = (itemId: string, changes: Partial<FollowUp> = {}): FollowUp => ({
  itemId,
  incidentIssueId: '10001',
  incidentKey: 'INC-1',
  ticketKey: `OPS-${itemId}`,
  ticketUrl: `https://example.atlassian.net/browse/OPS-${itemId}`,
  summary: `Follow-up ${itemId}`,
  assigneeAccountId: 'acc-alice',
  ownerName: 'Alice',
  ownerUnresolved: false,
  dueDate: '2026-11-30',
  dueDateSource: 'item',
  state: 'open',
  createdAtMs: TUESDAY_W46,
  doneAtMs: null,
  fingerprint: `["Follow-up ${itemId}","Alice","2026-11-30"]`,
  writtenBack: true,
  itemRemovedAtMs: null,
  lastReminderAtMs: null,
  earlyReminderSent: false,
  ...changes,
});
const itemIds = (followUps: readonly FollowUp[]) => followUps.map((each) => each.itemId).sort();
const page = (id: string) => ({ id, url: `https://notion.so/${id}`, created: true });

/**
 * What every FollowUpStore promises; run against the fake and the DynamoDB adapter alike. `make` gives
 * the store in the team's time zone with the ports that record postmortems and incident states.
 */
export function followUpStoreContract(
  name: string,
  make: (timeZone: string) => Promise<FollowUpTable>,
): void {
  describe(`${name} keeps the FollowUpStore contract`, () => {
    it("reads back an item's follow-up as last saved, and nothing for an item never saved", async () => {
      const { followUps } = await make(TIME_ZONE);
      await followUps.saveFollowUp(followUp('1'));

      await followUps.saveFollowUp(followUp('1', { summary: 'Renamed', writtenBack: false }));

      expect(await followUps.followUpOfItem('10001', '1')).toEqual(
        followUp('1', { summary: 'Renamed', writtenBack: false }),
      );
      expect(await followUps.followUpOfItem('10001', '2')).toBeNull();
      expect(await followUps.followUpOfItem('10002', '1')).toBeNull();
    });

    it('lists the follow-ups of one incident, oldest first, not those of another', async () => {
      const { followUps } = await make(TIME_ZONE);

      await followUps.saveFollowUp(followUp('1'));
      await followUps.saveFollowUp(followUp('2', { createdAtMs: TUESDAY_W46 + 1 }));
      await followUps.saveFollowUp(followUp('3', { incidentIssueId: '10002', incidentKey: 'INC-2' }));

      expect(await followUps.followUpsOfIncident('10001')).toEqual([
        followUp('1'),
        followUp('2', { createdAtMs: TUESDAY_W46 + 1 }),
      ]);
      expect(await followUps.followUpsOfIncident('10003')).toEqual([]);
    });

    it('lists every open follow-up, across incidents, and no longer one saved as done', async () => {
      const { followUps } = await make(TIME_ZONE);
      await followUps.saveFollowUp(followUp('1'));
      await followUps.saveFollowUp(followUp('2', { incidentIssueId: '10002', incidentKey: 'INC-2' }));
      await followUps.saveFollowUp(followUp('3'));

      await followUps.saveFollowUp(followUp('3', { state: 'done', doneAtMs: TUESDAY_W46 + 60_000 }));

      expect(itemIds(await followUps.openFollowUps())).toEqual(['1', '2']);
    });

    it("files follow-ups under the ISO week, in the team's time zone, they were opened and done in", async () => {
      const { followUps } = await make(TIME_ZONE);
      const openedLate = followUp('1', { createdAtMs: SUNDAY_W46_LATE_UTC });
      const doneLate = followUp('2', { state: 'done', doneAtMs: SUNDAY_W46_LATE_UTC });

      await followUps.saveFollowUp(openedLate);
      await followUps.saveFollowUp(doneLate);

      expect(itemIds(await followUps.followUpsByWeek('2026-W46', 'opened'))).toEqual(['2']);
      expect(itemIds(await followUps.followUpsByWeek('2026-W47', 'opened'))).toEqual(['1']);
      expect(await followUps.followUpsByWeek('2026-W47', 'done')).toEqual([doneLate]);
      expect(await followUps.followUpsByWeek('2026-W46', 'done')).toEqual([]);
    });

    it('lists each recorded postmortem as active with its Status as last saved, until it is retired', async () => {
      const { followUps, postmortems } = await make(TIME_ZONE);
      await postmortems.recordPostmortem('10001', page('p-1'));
      await postmortems.recordPostmortem('10002', page('p-2'));
      const fresh = await followUps.activePostmortems();

      await followUps.savePostmortemStatus('10001', 'Published');
      await followUps.retirePostmortem('10002');

      expect(fresh.sort((a, b) => a.issueId.localeCompare(b.issueId))).toEqual([
        { issueId: '10001', postmortem: page('p-1'), status: null },
        { issueId: '10002', postmortem: page('p-2'), status: null },
      ]);
      expect(await followUps.activePostmortems()).toEqual([
        { issueId: '10001', postmortem: page('p-1'), status: 'Published' },
      ]);
    });

    it('lists no postmortem that was never recorded, even when a Status is saved for it', async () => {
      const { followUps } = await make(TIME_ZONE);

      await followUps.savePostmortemStatus('10009', 'Draft');

      expect(await followUps.activePostmortems()).toEqual([]);
    });

    it("reads an incident's folded state by its issue id, and nothing for an unknown incident", async () => {
      const { followUps, states } = await make(TIME_ZONE);
      const state = foldIncident(reopenedLifecycle('10001'), settingsWith());
      if (!state) throw new Error('fold gave nothing');

      await states.saveState(state, { openedWeek: '2026-W45', resolvedWeek: '2026-W45' });

      expect(await followUps.incidentState('10001')).toEqual(state);
      expect(await followUps.incidentState('10404')).toBeNull();
    });
  });
}
