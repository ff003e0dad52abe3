import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '#shared/domain/events.ts';
import {
  type Announcement,
  causesOf,
  isSameAnnouncement,
  type NotificationCause,
} from '#shared/domain/notification-plan.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { notifyStakeholders } from '#shared/use-cases/notify-stakeholders.ts';
import { incident, MINUTE, settingsWith, T0 } from '../builders.ts';
import { createFanOutNotifier } from '../fakes/fan-out-notifier.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';

// Escalations are decided on the absence of an acknowledgement at the moment of a fold, so a late
// acknowledgement can legitimately change them: they are tested on their own, and kept out of here.
const settings = settingsWith({ notifications: { escalationMinutes: { SEV1: 100_000, SEV2: 100_000 } } });
const SECOND = 1000;
/** How long after an event's moment it is folded (inside the burst window, so the last update is held). */
const FOLD_DELAY_MS = 30 * SECOND;

type Step = { readonly status: string } | { readonly priority: string };

const FORWARD: readonly Step[] = [
  { status: 'Declared' },
  { status: 'Triaged' },
  { status: 'Investigating' },
  { status: 'Mitigating' },
  { status: 'Resolved' },
];
const REOPEN: readonly Step[] = [
  { status: 'Investigating' },
  { status: 'Mitigating' },
  { status: 'Resolved' },
];

/**
 * An incident's events as Jira would report them: the changelog's (webhook and reconciler share their
 * identities) and, for some moves, Jira Automation's report of the same move a moment apart.
 */
function lifecycle(plan: {
  readonly gapsMinutes: readonly number[];
  readonly reopen: boolean;
  readonly postmortem: boolean;
  readonly escalateAt: number | null;
  readonly automation: readonly (number | null)[];
}): IncidentEvent[] {
  const inc = incident('10001', { priority: 'High' });
  const steps: Step[] = [
    ...FORWARD,
    ...(plan.reopen ? REOPEN : []),
    ...(plan.postmortem ? [{ status: 'Postmortem' }] : []),
  ];
  if (plan.escalateAt !== null)
    steps.splice(Math.min(plan.escalateAt, steps.length), 0, { priority: 'Highest' });
  const events: IncidentEvent[] = [inc.created()];
  let atMinutes = 0;
  let status = 'Detected';
  for (const [i, step] of steps.entries()) {
    atMinutes += plan.gapsMinutes[i % plan.gapsMinutes.length] ?? 5;
    const changelogId = i + 1;
    if ('priority' in step) {
      events.push(inc.priority(changelogId, atMinutes, step.priority));
      continue;
    }
    const move = inc.move(changelogId, atMinutes, status, step.status);
    events.push(move);
    const offsetMs = plan.automation[i % plan.automation.length] ?? null;
    if (offsetMs !== null) {
      const atMs = move.atMs + offsetMs;
      events.push({
        kind: 'status-changed',
        issueId: move.issueId,
        actor: null,
        eventId: `automation#10001#${step.status.toLowerCase()}#${atMs}`,
        atMs,
        seq: 0,
        from: null,
        to: { id: null, name: step.status },
        issue: { ...move.issue, updatedMs: atMs },
      });
    }
    status = step.status;
  }
  return events;
}

/**
 * Delivers the events in this order, folding after each delivery marked in `foldAfter` (and after the
 * last), each fold at the latest delivered moment plus FOLD_DELAY_MS, then once more when every burst
 * window is over (the recheck). Returns what each person received, named by the announcement it makes
 * in the full history of the incident.
 */
async function deliver(
  all: readonly IncidentEvent[],
  order: readonly IncidentEvent[],
  foldAfter: readonly boolean[],
) {
  const store = createInMemoryEventStore();
  let nowMs = T0;
  const notifier = createFanOutNotifier(DEMO_DIRECTORY, { nowMs: () => nowMs });
  const fold = async () => {
    const events = await store.loadEvents('10001');
    const state = foldIncident(events, settings);
    if (!state) return;
    await notifyStakeholders(state, events, {
      store,
      notifier,
      directory: DEMO_DIRECTORY,
      settings,
      nowMs: () => nowMs,
    });
  };
  let latestMs = T0;
  for (const [i, event] of order.entries()) {
    await store.append([event]);
    latestMs = Math.max(latestMs, event.atMs);
    if (foldAfter[i] || i === order.length - 1) {
      nowMs = latestMs + FOLD_DELAY_MS;
      await fold();
    }
  }
  nowMs = latestMs + 5 * MINUTE;
  await fold();

  const finalCauses = causesOf(all, settings);
  const { intents } = await store.loadDeliveryLog('10001');
  const announcementOf = new Map<string, Announcement | null>(
    intents.map((intent) => [intent.notificationId, intent.announcement]),
  );
  const nameOf = (cause: NotificationCause) =>
    `${cause.kind}${cause.subject ? `:${cause.subject}` : ''} from ${Number.isFinite(cause.slot.startMs) ? (cause.slot.startMs - T0) / MINUTE : 'the start'}`;
  return notifier.received.map((message) => {
    const made = announcementOf.get(message.notificationId);
    // A page or an escalation is named by its id; an announcement by the one it is in the full history.
    const matches = made ? finalCauses.filter((cause) => isSameAnnouncement(made, cause)) : [];
    const name = made
      ? matches.map(nameOf).join('|') || `NOT IN THE HISTORY ${made.kind}`
      : message.notificationId;
    return `${message.group} ${message.channel} ${message.recipient} ${name}`;
  });
}

const plans = fc.record({
  gapsMinutes: fc.array(fc.integer({ min: 2, max: 30 }), { minLength: 1, maxLength: 6 }),
  reopen: fc.boolean(),
  postmortem: fc.boolean(),
  escalateAt: fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }),
  automation: fc.array(fc.option(fc.integer({ min: -3 * SECOND, max: 3 * SECOND }), { nil: null, freq: 2 }), {
    minLength: 1,
    maxLength: 5,
  }),
});

describe('each announcement exactly once, whatever the order', () => {
  it('sends every order, duplication and fold cadence the same messages as the in-order run, each once', async () => {
    await fc.assert(
      fc.asyncProperty(
        plans.chain((plan) => {
          const events = lifecycle(plan);
          return fc.record({
            events: fc.constant(events),
            order: fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
            duplicates: fc.array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: 4 }),
            foldAfter: fc.array(fc.boolean(), { minLength: events.length + 4, maxLength: events.length + 4 }),
          });
        }),
        async ({ events, order, duplicates, foldAfter }) => {
          const redelivered = [...order];
          for (const at of duplicates) {
            const copy = order[at];
            if (copy) redelivered.splice(at + 1, 0, copy);
          }

          const inOrder = await deliver(
            events,
            events,
            events.map(() => true),
          );
          const shuffled = await deliver(events, redelivered, foldAfter);

          expect(new Set(inOrder).size).toBe(inOrder.length);
          expect(shuffled.filter((name) => name.includes('NOT IN THE HISTORY'))).toEqual([]);
          expect([...shuffled].sort()).toEqual([...inOrder].sort());
        },
      ),
      { numRuns: 300 },
    );
    // About 2 s on a quiet machine: the budget is for a shared one.
  }, 120_000);

  it('never sends an announcement twice, nor one the history does not hold, when steps come in bursts', async () => {
    await fc.assert(
      fc.asyncProperty(
        plans.chain((plan) => {
          // Steps seconds apart: inside the burst window, where what is held depends on what has arrived.
          const events = lifecycle({ ...plan, gapsMinutes: plan.gapsMinutes.map((gap) => gap / 6) });
          return fc.record({
            events: fc.constant(events),
            order: fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
            foldAfter: fc.array(fc.boolean(), { minLength: events.length, maxLength: events.length }),
          });
        }),
        async ({ events, order, foldAfter }) => {
          const received = await deliver(events, order, foldAfter);

          expect(received.filter((name) => name.includes('NOT IN THE HISTORY'))).toEqual([]);
          expect(new Set(received).size).toBe(received.length);
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);

  it.each([
    { name: 'Postmortem arrives before Resolved', swap: ['Postmortem', 'Resolved'] },
    { name: 'Triaged arrives before Declared', swap: ['Triaged', 'Declared'] },
  ])(
    'announces a SEV1 as the in-order run does when $name, folded after every delivery',
    async ({ swap }) => {
      const events = lifecycle({
        gapsMinutes: [5],
        reopen: false,
        postmortem: true,
        escalateAt: 0,
        automation: [null],
      });
      const at = (status: string) =>
        events.findIndex((event) => event.kind === 'status-changed' && event.to.name === status);
      const order = [...events];
      const [early, late] = [at(swap[1] ?? ''), at(swap[0] ?? '')];
      [order[early], order[late]] = [order[late] as IncidentEvent, order[early] as IncidentEvent];

      const received = await deliver(
        events,
        order,
        order.map(() => true),
      );

      const told = (group: string, what: string) =>
        received.filter((name) => name.startsWith(group) && name.endsWith(what));
      expect(told('keep-satisfied', 'resolution from the start')).toEqual([
        'keep-satisfied email Casey Customer (demo) resolution from the start',
      ]);
      expect(told('manage-closely', 'resolution from the start')).toHaveLength(2);
      expect(told('keep-satisfied', 'declaration from the start')).toHaveLength(1);
      expect(told('manage-closely', 'declaration from the start')).toHaveLength(2);
      expect([...received].sort()).toEqual(
        [
          ...(await deliver(
            events,
            events,
            events.map(() => true),
          )),
        ].sort(),
      );
    },
  );

  it('announces a resolution again after a reopen within the minute, folded event by event', async () => {
    const inc = incident('10001', { priority: 'High' });
    const at = (minutes: number, seconds = 0) => minutes + seconds / 60;
    const events = [
      inc.created(),
      inc.move(1, at(2), 'Detected', 'Declared'),
      inc.move(2, at(10), 'Declared', 'Resolved'),
      inc.move(3, at(10, 30), 'Resolved', 'Investigating'),
      inc.move(4, at(40), 'Investigating', 'Resolved'),
    ];

    const received = await deliver(
      events,
      events,
      events.map(() => true),
    );

    expect(
      received.filter((name) => name.startsWith('keep-satisfied') && name.includes(' resolution from ')),
    ).toEqual([
      'keep-satisfied email Casey Customer (demo) resolution from the start',
      'keep-satisfied email Casey Customer (demo) resolution from 10.5',
    ]);
  });
});
