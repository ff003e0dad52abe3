import { describe, expect, it } from 'vitest';
import { foldIncident } from '#shared/domain/timeline.ts';
import type { Delivery, EventStore } from '#shared/ports.ts';
import { reopenedLifecycle, settingsWith } from '../builders.ts';

const delivery = (recipient: string, atMs: number): Delivery => ({
  notificationId: 'n1',
  group: 'manage-closely',
  channel: 'sms',
  recipient,
  status: 'sent',
  providerMessageId: `m-${recipient}`,
  error: null,
  atMs,
});

/**
 * What the ports of the incident table promise together, where they share an incident's rows; each
 * port has its own contract besides. Run against the fake and the DynamoDB adapter alike.
 */
export function eventStoreContract(name: string, makeStore: () => Promise<EventStore>): void {
  describe(`${name} keeps the EventStore contract`, () => {
    it("keeps an incident's deliveries and postmortem records apart from its events", async () => {
      const store = await makeStore();

      await store.recordDelivery('d1', delivery('Vera', 2));
      await store.recordPostmortem('d1', { id: 'p-1', url: 'https://notion.so/p-1', created: true });
      await store.recordPostmortemFailure('d1', { error: 'Notion is down', atMs: 1 });

      expect(await store.loadEvents('d1')).toEqual([]);
    });

    it("lists deliveries recorded without a claim in the incident's delivery log", async () => {
      const store = await makeStore();

      await store.recordDelivery('d2', delivery('Ada', 1));

      expect((await store.loadDeliveryLog('d2')).deliveries).toEqual([delivery('Ada', 1)]);
    });

    it('knows an incident whose state is saved', async () => {
      const store = await makeStore();
      const state = foldIncident(reopenedLifecycle('s1'), settingsWith());
      if (!state) throw new Error('fold gave nothing');

      await store.saveState(state, { openedWeek: '2026-W45', resolvedWeek: null });

      expect(await store.hasIncident('s1')).toBe(true);
    });
  });
}
