import { describe, expect, it } from 'vitest';
import type { EventHistory, EventJournal } from '#shared/ports.ts';
import { incident, reopenedLifecycle } from '../builders.ts';

/** What every EventJournal (with its EventHistory) promises; run against the fake and the DynamoDB adapter alike. */
export function eventJournalContract(name: string, make: () => Promise<EventJournal & EventHistory>): void {
  describe(`${name} keeps the EventJournal (with its EventHistory) contract`, () => {
    it('stores each event once and calls a second copy a duplicate', async () => {
      const store = await make();
      const [created, declared] = reopenedLifecycle('c1');

      const first = await store.append([created, declared].filter((event) => event !== undefined));
      const again = await store.append([declared].filter((event) => event !== undefined));

      expect(first).toEqual(['stored', 'stored']);
      expect(again).toEqual(['duplicate']);
      expect(await store.loadEvents('c1')).toHaveLength(2);
    });

    it('gives back every event exactly as it was stored', async () => {
      const store = await make();
      const events = reopenedLifecycle('c2');

      await store.append(events);
      const loaded = await store.loadEvents('c2');

      expect(loaded.sort((a, b) => a.eventId.localeCompare(b.eventId))).toEqual(
        [...events].sort((a, b) => a.eventId.localeCompare(b.eventId)),
      );
    });

    it('knows which incidents it holds', async () => {
      const store = await make();
      await store.append([incident('c3').created()]);

      expect(await store.hasIncident('c3')).toBe(true);
      expect(await store.hasIncident('c-unknown')).toBe(false);
    });
  });
}
