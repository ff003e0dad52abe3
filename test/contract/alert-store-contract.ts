import { describe, expect, it } from 'vitest';
import type { AlertSource, AlertStore, ReceivedDelivery } from '#shared/ports.ts';

const DAY = 86_400_000;

const delivery = (deliveryId: string, receivedAtMs: number): ReceivedDelivery => ({
  deliveryId,
  tool: 'alertmanager',
  receivedAtMs,
  alerts: [
    {
      identity: 'alertmanager:abc',
      name: 'HighLatency',
      status: 'firing',
      startsAtMs: receivedAtMs - 60_000,
      outcome: { kind: 'incident', step: 'open', incidentKey: 'OPS-1' },
    },
    {
      identity: 'alertmanager:def',
      name: 'Disk',
      status: 'firing',
      startsAtMs: null,
      outcome: { kind: 'unrouted' },
    },
  ],
});

const source = (incidentKey: string, openedAtMs: number): AlertSource => ({
  incidentKey,
  tool: 'cloudwatch',
  alertName: 'checkout-5xx',
  links: [{ kind: 'source', url: 'https://console.example.com/alarm' }],
  startsAtMs: openedAtMs - 120_000,
  openedAtMs,
  clearedAtMs: null,
});

/** What every AlertStore promises; run against the fake and the DynamoDB adapter alike. */
export function alertStoreContract(name: string, makeStore: () => Promise<AlertStore>): void {
  describe(`${name} keeps the AlertStore contract`, () => {
    it('keeps every delivery once, with each alert and its outcome, and lists them by time across days', async () => {
      const store = await makeStore();
      const first = delivery('d1', 10 * DAY - 1_000);
      const second = delivery('d2', 10 * DAY + 5_000);

      await store.recordDelivery(first);
      await store.recordDelivery(first);
      await store.recordDelivery(second);
      await store.recordDelivery(delivery('d3', 12 * DAY));

      expect(await store.deliveriesBetween(9 * DAY, 11 * DAY)).toEqual([first, second]);
      expect(await store.deliveriesBetween(10 * DAY, 10 * DAY + 5_000)).toEqual([]);
    });

    it('remembers which incident an identity opened, and the last alert comment on it', async () => {
      const store = await makeStore();
      await store.opened(source('OPS-1', 1_000));
      await store.remember(['alertmanager:abc', 'alertmanager:def'], 'OPS-1');

      await store.commented('OPS-1', 5_000);

      const known = await store.recall(['alertmanager:abc', 'alertmanager:def', 'alertmanager:zzz']);
      expect(known.get('alertmanager:abc')).toEqual({ incidentKey: 'OPS-1', lastCommentAtMs: 5_000 });
      expect(known.get('alertmanager:def')?.incidentKey).toBe('OPS-1');
      expect(known.has('alertmanager:zzz')).toBe(false);
    });

    it('moves an identity to the newer incident it opened', async () => {
      const store = await makeStore();
      await store.opened(source('OPS-1', 1_000));
      await store.commented('OPS-1', 2_000);
      await store.remember(['generic:x'], 'OPS-1');
      await store.opened(source('OPS-2', 9_000));

      await store.remember(['generic:x'], 'OPS-2');

      expect((await store.recall(['generic:x'])).get('generic:x')).toEqual({
        incidentKey: 'OPS-2',
        lastCommentAtMs: null,
      });
    });

    it("counts the incidents opened from alerts in a window, and keeps each one's source", async () => {
      const store = await makeStore();
      await store.opened(source('OPS-1', 60_000));
      await store.opened(source('OPS-2', 90_000));
      await store.opened(source('OPS-3', 120_000));

      await store.cleared('OPS-2', 100_000);

      expect(await store.openedBetween(60_000, 120_000)).toBe(2);
      expect(await store.openedBetween(0, 60_000)).toBe(0);
      expect(await store.sourceOf('OPS-2')).toEqual({ ...source('OPS-2', 90_000), clearedAtMs: 100_000 });
      expect(await store.sourceOf('INC-9')).toBeNull();
    });

    it('has no storm incident until one is saved', async () => {
      const store = await makeStore();

      expect(await store.stormIncident()).toBeNull();
      await store.saveStormIncident('OPS-7');

      expect(await store.stormIncident()).toBe('OPS-7');
    });
  });
}
