import { describe, expect, it } from 'vitest';
import { foldIncident } from '#shared/domain/timeline.ts';
import type { EventStore } from '#shared/ports.ts';
import { incident, reopenedLifecycle, settingsWith } from '../builders.ts';

const settings = settingsWith();

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

      await store.saveState(older);
      await store.saveState(newer);

      expect(await store.getStateByKey('INC-5')).toEqual(newer);
      expect(await store.getStateByKey('INC-404')).toBeNull();
      expect((await store.listStates()).map((state) => state.key).slice(0, 2)).toEqual(['INC-5', 'INC-1']);
    });

    it('refuses to replace a state with one folded from fewer events', async () => {
      const store = await makeStore();
      const events = reopenedLifecycle('c6');
      const full = foldIncident(events, settings);
      const partial = foldIncident(events.slice(0, 3), settings);
      if (!full || !partial) throw new Error('fold gave nothing');

      await store.saveState(full);
      const outcome = await store.saveState(partial);

      expect(outcome).toBe('stale');
      expect((await store.getStateByKey('INC-1'))?.eventCount).toBe(full.eventCount);
    });
  });
}
