import { describe, expect, it } from 'vitest';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import type { Notifier } from '#shared/ports.ts';
import { notifyStakeholders } from '#shared/use-cases/notify-stakeholders.ts';
import { incident, MINUTE, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { createRecordingNotifier } from '../fakes/recording-notifier.ts';

const settings = settingsWith();
const NOW = T0 + 4 * 3_600_000;

/** A notifier that records what it was asked to send, failing like SNS when told to. */
function recordingNotifier(failOnCalls: readonly number[] = []) {
  const notifier = createRecordingNotifier({ nowMs: () => NOW, failOnCalls });
  return { notifier, sent: notifier.sent };
}

async function run(notifier: Notifier, events = reopenedLifecycle(), nowMs = NOW) {
  const store = createInMemoryEventStore();
  const state = foldIncident(events, settings);
  if (!state) throw new Error('fold gave nothing');
  const deps = { store, notifier, directory: DEMO_DIRECTORY, settings, nowMs: () => nowMs };
  return { store, state, deps, notify: () => notifyStakeholders(state, events, deps) };
}

describe('notifyStakeholders', () => {
  it('sends each update once however often it runs', async () => {
    const { notifier, sent } = recordingNotifier();
    const { notify } = await run(notifier);

    await notify();
    const firstRun = [...sent];
    await notify();

    expect(firstRun.length).toBeGreaterThan(5);
    expect(sent).toEqual(firstRun);
  });

  it('loses nothing and repeats nothing when SNS fails midway and then recovers', async () => {
    const reference = recordingNotifier();
    await (await run(reference.notifier)).notify();
    const flaky = recordingNotifier([3]);
    const { notify } = await run(flaky.notifier);

    await expect(notify()).rejects.toBeInstanceOf(UpstreamUnavailableError);
    await notify();

    expect([...flaky.sent].sort()).toEqual([...reference.sent].sort());
    expect(new Set(flaky.sent).size).toBe(flaky.sent.length);
  });

  it('pages nobody about events older than a day', async () => {
    const { notifier, sent } = recordingNotifier();
    const { notify } = await run(notifier, reopenedLifecycle(), T0 + 3 * 86_400_000);

    await notify();

    expect(sent).toEqual([]);
  });

  it('tells nobody about an incident deleted in Jira', async () => {
    const { notifier, sent } = recordingNotifier();
    const inc = incident();
    const { notify } = await run(notifier, [
      inc.created(),
      inc.move(1, 4, 'Detected', 'Declared'),
      inc.deleted(5),
    ]);

    await notify();

    expect(sent).toEqual([]);
  });
});

describe('escalation of an unacknowledged SEV1', () => {
  const MINUTE = 60_000;

  function unacknowledged(acknowledgeAtMinute?: number) {
    const inc = incident('e1', { priority: 'Highest' });
    const events = [inc.created()];
    if (acknowledgeAtMinute !== undefined)
      events.push(inc.move(1, acknowledgeAtMinute, 'Detected', 'Declared'));
    return events;
  }

  it('waits until 15 minutes after opening and says when to look again', async () => {
    const { notifier, sent } = recordingNotifier();
    const { notify } = await run(notifier, unacknowledged(), T0 + 10 * MINUTE);

    const outcome = await notify();

    expect(sent).toEqual([]);
    expect(outcome.holdUntilMs).toBe(T0 + 15 * MINUTE);
  });

  it('pages manage-closely once when nobody acknowledged it in time', async () => {
    const { notifier, sent } = recordingNotifier();
    const { notify } = await run(notifier, unacknowledged(), T0 + 16 * MINUTE);

    await notify();
    await notify();

    expect(sent).toEqual(['e1#escalation']);
  });

  it('does not page when the incident was acknowledged in the meantime', async () => {
    const { notifier, sent } = recordingNotifier();
    const { notify } = await run(notifier, unacknowledged(12), T0 + 16 * MINUTE);

    const outcome = await notify();

    expect(sent.filter((id) => id.includes('escalation'))).toEqual([]);
    expect(outcome.holdUntilMs).toBeNull();
  });
});

describe('a team policy', () => {
  it('replaces the default for the group it names and leaves the others alone', async () => {
    const team = settingsWith({
      notifications: { policy: { monitor: { channels: ['email'], rules: [{ on: 'resolution' }] } } },
    });
    const { notifier, sent } = recordingNotifier();
    const events = reopenedLifecycle();
    const state = foldIncident(events, team);
    if (!state) throw new Error('fold gave nothing');

    await notifyStakeholders(state, events, {
      store: createInMemoryEventStore(),
      notifier,
      directory: DEMO_DIRECTORY,
      settings: team,
      nowMs: () => NOW,
    });

    // The first resolution, then the one after the reopen.
    expect(sent.filter((id) => id.endsWith('#monitor'))).toEqual([
      `10001#resolution@${T0 + 58 * MINUTE}#monitor`,
      `10001#resolution@${T0 + 112 * MINUTE}#monitor`,
    ]);
    expect(sent.some((id) => id.endsWith('#keep-satisfied'))).toBe(true);
  });
});
