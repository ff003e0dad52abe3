import { describe, expect, it } from 'vitest';
import { foldIncident } from '#shared/domain/timeline.ts';
import type { EventStore, IncidentWeeks } from '#shared/ports.ts';
import { incident, reopenedLifecycle, settingsWith } from '../builders.ts';

const settings = settingsWith();
const someWeeks: IncidentWeeks = { openedWeek: '2026-W45', resolvedWeek: null };

/** What every EventStore promises; run against the fake and the DynamoDB adapter alike. */
export function eventStoreContract(name: string, makeStore: () => Promise<EventStore>): void {
  describe(`${name} keeps the EventStore contract`, () => {
    it('stores each event once and calls a second copy a duplicate', async () => {
      const store = await makeStore();
      const [created, declared] = reopenedLifecycle('c1');

      const first = await store.append([created, declared].filter((event) => event !== undefined));
      const again = await store.append([declared].filter((event) => event !== undefined));

      expect(first).toEqual(['stored', 'stored']);
      expect(again).toEqual(['duplicate']);
      expect(await store.loadEvents('c1')).toHaveLength(2);
    });

    it('gives back every event exactly as it was stored', async () => {
      const store = await makeStore();
      const events = reopenedLifecycle('c2');

      await store.append(events);
      const loaded = await store.loadEvents('c2');

      expect(loaded.sort((a, b) => a.eventId.localeCompare(b.eventId))).toEqual(
        [...events].sort((a, b) => a.eventId.localeCompare(b.eventId)),
      );
    });

    it('knows which incidents it holds', async () => {
      const store = await makeStore();
      await store.append([incident('c3').created()]);

      expect(await store.hasIncident('c3')).toBe(true);
      expect(await store.hasIncident('c-unknown')).toBe(false);
    });

    it('finds a saved state by issue key and lists states newest first', async () => {
      const store = await makeStore();
      const older = foldIncident(reopenedLifecycle('c4'), settings);
      const newer = foldIncident(
        [incident('c5', { key: 'INC-5', createdMs: Date.parse('2026-11-10T00:00:00Z') }).created()],
        settings,
      );
      if (!older || !newer) throw new Error('fold gave nothing');

      await store.saveState(older, someWeeks);
      await store.saveState(newer, someWeeks);

      expect(await store.getStateByKey('INC-5')).toEqual(newer);
      expect(await store.getStateByKey('INC-404')).toBeNull();
      expect((await store.listStates()).map((state) => state.key).slice(0, 2)).toEqual(['INC-5', 'INC-1']);
    });

    it('finds incidents by the week they were opened in and the week they were finally resolved in', async () => {
      const store = await makeStore();
      const resolved = foldIncident(reopenedLifecycle('w1'), settings);
      const open = foldIncident([incident('w2', { key: 'INC-2' }).created()], settings);
      if (!resolved || !open) throw new Error('fold gave nothing');

      await store.saveState(resolved, { openedWeek: '2026-W45', resolvedWeek: '2026-W46' });
      await store.saveState(open, { openedWeek: '2026-W45', resolvedWeek: null });

      expect((await store.listStatesByWeek('2026-W45', 'opened')).map((state) => state.key).sort()).toEqual([
        'INC-1',
        'INC-2',
      ]);
      expect((await store.listStatesByWeek('2026-W46', 'resolved')).map((state) => state.key)).toEqual([
        'INC-1',
      ]);
      expect(await store.listStatesByWeek('2026-W45', 'resolved')).toEqual([]);
    });

    it('moves an incident to its new resolution week when it is resolved again later', async () => {
      const store = await makeStore();
      const events = reopenedLifecycle('w3');
      const first = foldIncident(events.slice(0, 8), settings);
      const last = foldIncident(events, settings);
      if (!first || !last) throw new Error('fold gave nothing');

      await store.saveState(first, { openedWeek: '2026-W45', resolvedWeek: '2026-W45' });
      await store.saveState(last, { openedWeek: '2026-W45', resolvedWeek: '2026-W46' });

      expect(await store.listStatesByWeek('2026-W45', 'resolved')).toEqual([]);
      expect((await store.listStatesByWeek('2026-W46', 'resolved')).map((state) => state.key)).toEqual([
        'INC-1',
      ]);
    });

    it('tells the weeks an incident was indexed under before', async () => {
      const store = await makeStore();
      const events = reopenedLifecycle('w4');
      const first = foldIncident(events.slice(0, 8), settings);
      const last = foldIncident(events, settings);
      if (!first || !last) throw new Error('fold gave nothing');

      const created = await store.saveState(first, { openedWeek: '2026-W45', resolvedWeek: '2026-W45' });
      const updated = await store.saveState(last, { openedWeek: '2026-W45', resolvedWeek: '2026-W46' });

      expect(created).toEqual({ kind: 'saved', previousWeeks: null });
      expect(updated).toEqual({
        kind: 'saved',
        previousWeeks: { openedWeek: '2026-W45', resolvedWeek: '2026-W45' },
      });
    });

    it('keeps, returns and forgets week summaries', async () => {
      const store = await makeStore();
      const summary = {
        version: 2 as const,
        openedCount: 3,
        resolvedCount: 2,
        mttaMedianMs: 240_000,
        mttrMedianMs: null,
        changeFailureRate: 0.5,
      };

      await store.saveWeekSummary('2026-W40', summary);
      await store.saveWeekSummary('2026-W41', summary);
      await store.forgetWeekSummaries(['2026-W41']);

      expect(await store.getWeekSummaries(['2026-W40', '2026-W41', '2026-W42'])).toEqual(
        new Map([['2026-W40', summary]]),
      );
    });

    it('records each delivery once and gives them back oldest first', async () => {
      const store = await makeStore();
      const delivery = (recipient: string, atMs: number) => ({
        notificationId: 'n1',
        group: 'manage-closely',
        channel: 'sms' as const,
        recipient,
        status: 'sent' as const,
        providerMessageId: `m-${recipient}`,
        error: null,
        atMs,
      });

      await store.recordDelivery('d1', delivery('Vera', 2));
      await store.recordDelivery('d1', delivery('Ada', 1));
      await store.recordDelivery('d1', { ...delivery('Ada', 3), providerMessageId: 'second' });

      expect(
        (await store.loadDeliveries('d1')).map((each) => `${each.recipient}:${each.providerMessageId}`),
      ).toEqual(['Ada:m-Ada', 'Vera:m-Vera']);
      expect(await store.loadEvents('d1')).toEqual([]);
    });

    it('keeps the first postmortem recorded for an incident', async () => {
      const store = await makeStore();

      await store.recordPostmortem('pm1', { id: 'p-1', url: 'https://notion.so/p-1', created: true });
      await store.recordPostmortem('pm1', { id: 'p-2', url: 'https://notion.so/p-2', created: true });

      expect(await store.postmortemOf('pm1')).toEqual({
        id: 'p-1',
        url: 'https://notion.so/p-1',
        created: true,
      });
      expect(await store.postmortemOf('pm-unknown')).toBeNull();
    });

    it('keeps the fingerprint of the postmortem properties last written, the latest one winning', async () => {
      const store = await makeStore();
      await store.recordPostmortem('pm2', { id: 'p-1', url: 'https://notion.so/p-1', created: true });
      const before = await store.postmortemPropertiesOf('pm2');

      await store.recordPostmortemProperties('pm2', '["SEV2",1000,2000]');
      await store.recordPostmortemProperties('pm2', '["SEV1",1000,5000]');

      expect(before).toBeNull();
      expect(await store.postmortemPropertiesOf('pm2')).toBe('["SEV1",1000,5000]');
      expect(await store.postmortemOf('pm2')).toEqual({
        id: 'p-1',
        url: 'https://notion.so/p-1',
        created: true,
      });
    });

    it('records no properties for an incident without a postmortem', async () => {
      const store = await makeStore();

      await store.recordPostmortemProperties('pm-none', '["SEV2",1000,2000]');

      expect(await store.postmortemPropertiesOf('pm-none')).toBeNull();
      expect(await store.postmortemOf('pm-none')).toBeNull();
    });

    it('refuses to replace a state with one folded from fewer events', async () => {
      const store = await makeStore();
      const events = reopenedLifecycle('c6');
      const full = foldIncident(events, settings);
      const partial = foldIncident(events.slice(0, 3), settings);
      if (!full || !partial) throw new Error('fold gave nothing');

      await store.saveState(full, someWeeks);
      const outcome = await store.saveState(partial, someWeeks);

      expect(outcome).toEqual({ kind: 'stale' });
      expect((await store.getStateByKey('INC-1'))?.eventCount).toBe(full.eventCount);
    });
  });
}
