import { describe, expect, it } from 'vitest';
import { foldIncident } from '#shared/domain/timeline.ts';
import type { IncidentStates, IncidentWeeks } from '#shared/ports.ts';
import { incident, reopenedLifecycle, settingsWith } from '../builders.ts';

const settings = settingsWith();
const someWeeks: IncidentWeeks = { openedWeek: '2026-W45', resolvedWeek: null };

/** What every IncidentStates promises; run against the fake and the DynamoDB adapter alike. */
export function incidentStatesContract(name: string, make: () => Promise<IncidentStates>): void {
  describe(`${name} keeps the IncidentStates contract`, () => {
    it('finds a saved state by issue key and lists states newest first', async () => {
      const store = await make();
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
      const store = await make();
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
      const store = await make();
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
      const store = await make();
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

    it('refuses to replace a state with one folded from fewer events', async () => {
      const store = await make();
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
