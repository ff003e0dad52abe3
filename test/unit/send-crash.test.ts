import { describe, expect, it } from 'vitest';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import type { EventStore, Notifier } from '#shared/ports.ts';
import type { SenderIdentity } from '#shared/use-cases/notify-stakeholders.ts';
import { notifyStakeholders } from '#shared/use-cases/notify-stakeholders.ts';
import { MINUTE, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';
import { crashingBeforeRecord, createFanOutNotifier, SimulatedCrash } from '../fakes/fan-out-notifier.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';

const settings = settingsWith();
const NOW = T0 + 200 * MINUTE;
const events = reopenedLifecycle();

/** A run of the local server: the only sender while it lives, so a claim of another run was abandoned. */
const run = (ownerId: string): SenderIdentity => ({
  ownerId,
  isAbandoned: (intent) => intent.ownerId !== ownerId,
});

/** Folds and notifies as one run; a crash ends the run, as kill -9 would. */
async function notifyAs(sender: SenderIdentity, store: EventStore, notifier: Notifier) {
  const state = foldIncident(events, settings);
  if (!state) throw new Error('fold gave nothing');
  try {
    await notifyStakeholders(state, events, {
      store,
      notifier,
      directory: DEMO_DIRECTORY,
      settings,
      nowMs: () => NOW,
      sender,
    });
    return 'finished';
  } catch (error) {
    if (error instanceof SimulatedCrash) return 'crashed';
    throw error;
  }
}

const named = (message: { notificationId: string; channel: string; recipient: string }) =>
  `${message.notificationId} ${message.channel} ${message.recipient}`;

describe('a crash between a send and its record', () => {
  it('repeats at most the message in flight, once, and leaves no sent message unrecorded', async () => {
    const clean = createFanOutNotifier(DEMO_DIRECTORY);
    await notifyAs(run('clean'), createInMemoryEventStore(), clean);
    const sends = new Set(clean.received.map((message) => message.notificationId)).size;
    const figures = { crashes: 0, repeated: 0, unrecorded: 0 };

    for (let crashAt = 1; crashAt <= sends; crashAt += 1) {
      const store = createInMemoryEventStore();
      let crashed = false;
      const dying = crashingBeforeRecord(store, (call) => {
        crashed ||= call === crashAt;
        return call === crashAt;
      });
      const notifier = createFanOutNotifier(DEMO_DIRECTORY);

      const first = await notifyAs(run(`run-${crashAt}-a`), dying, notifier);
      const second = await notifyAs(run(`run-${crashAt}-b`), store, notifier);

      const received = notifier.received.map(named);
      const { deliveries } = await store.loadDeliveryLog('10001');
      const recorded = new Set(deliveries.map(named));
      const repeats = received.filter((name, i) => received.indexOf(name) !== i);
      figures.crashes += crashed ? 1 : 0;
      figures.repeated += repeats.length;
      figures.unrecorded += received.filter((name) => !recorded.has(name)).length;
      expect([first, second]).toEqual(['crashed', 'finished']);
      expect(new Set(received)).toEqual(new Set(clean.received.map(named)));
      // The one group message in flight, once more to each of its recipients, and nothing else.
      expect(new Set(repeats.map((name) => name.split(' ')[0])).size).toBeLessThanOrEqual(1);
      expect(new Set(repeats).size).toBe(repeats.length);
    }

    console.info(`crash test: ${JSON.stringify({ sends, ...figures })}`);
    expect(figures.crashes).toBe(sends);
    expect(figures.unrecorded).toBe(0);
    expect(figures.repeated).toBeLessThanOrEqual(clean.received.length);
  });

  it('lists a message as possibly sent once its tries are used up, and sends it no more', async () => {
    const store = createInMemoryEventStore();
    const dying = crashingBeforeRecord(store, (call) => call <= 3);
    const notifier = createFanOutNotifier(DEMO_DIRECTORY);

    const runs = [];
    for (const name of ['a', 'b', 'c', 'd']) runs.push(await notifyAs(run(name), dying, notifier));
    const { intents } = await store.loadDeliveryLog('10001');

    expect(runs).toEqual(['crashed', 'crashed', 'crashed', 'finished']);
    expect(intents.filter((intent) => intent.state === 'possibly-sent')).toHaveLength(1);
    expect(intents.find((intent) => intent.state === 'possibly-sent')?.attempt).toBe(3);
  });
});
