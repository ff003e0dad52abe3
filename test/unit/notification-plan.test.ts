import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  causesOf,
  coalesce,
  type NotificationCause,
  type PlannedNotification,
  planNotifications,
} from '#shared/domain/notification-plan.ts';
import { DEFAULT_POLICY } from '#shared/domain/notification-policy.ts';
import { incident, MINUTE, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';

const settings = settingsWith();
const SECOND = 1000;
/** An id with its moment written in minutes after T0, as people read the lifecycle. */
const inMinutes = (id: string): string =>
  id.replace(/@(\d+)/, (_, ms: string) => `@${(Number(ms) - T0) / MINUTE}m`);

describe('causesOf', () => {
  it('announces a reopened lifecycle from its declaration on', () => {
    const causes = causesOf(reopenedLifecycle(), settings);

    expect(
      causes.map(({ kind, atMs, status, severity }) => [kind, (atMs - T0) / MINUTE, status, severity]),
    ).toEqual([
      ['declaration', 4, 'Declared', 'SEV2'],
      ['stage-change', 4, 'Declared', 'SEV2'],
      ['severity-change', 6, 'Declared', 'SEV1'],
      ['stage-change', 9, 'Triaged', 'SEV1'],
      ['stage-change', 15, 'Investigating', 'SEV1'],
      ['stage-change', 41, 'Mitigating', 'SEV1'],
      ['mitigation', 41, 'Mitigating', 'SEV1'],
      ['stage-change', 58, 'Resolved', 'SEV1'],
      ['resolution', 58, 'Resolved', 'SEV1'],
      ['stage-change', 75, 'Investigating', 'SEV1'],
      ['reopen', 75, 'Investigating', 'SEV1'],
      ['stage-change', 95, 'Mitigating', 'SEV1'],
      ['mitigation', 95, 'Mitigating', 'SEV1'],
      ['stage-change', 112, 'Resolved', 'SEV1'],
      ['resolution', 112, 'Resolved', 'SEV1'],
      ['stage-change', 150, 'Postmortem', 'SEV1'],
    ]);
  });

  it('names the Jira event behind each cause and the severity before a change', () => {
    const causes = causesOf(reopenedLifecycle(), settings);

    expect(causes.find((cause) => cause.kind === 'severity-change')).toEqual({
      kind: 'severity-change',
      eventId: 'changelog#2#priority',
      atMs: T0 + 6 * MINUTE,
      stage: 'declaration',
      status: 'Declared',
      severity: 'SEV1',
      previousSeverity: 'SEV2',
      components: ['checkout-api'],
      subject: 'SEV1',
      slot: { startMs: T0 + 6 * MINUTE, endMs: null },
    });
  });

  it.each([
    {
      name: 'announces nothing before declaration',
      build: (inc: ReturnType<typeof incident>) => [inc.created(), inc.priority(1, 2, 'Highest')],
      kinds: [],
    },
    {
      name: 'declares an incident created in the declared status with its creation',
      build: (inc: ReturnType<typeof incident>) => [inc.created('Declared')],
      kinds: ['declaration'],
    },
    {
      name: 'declares once, at the first stage at or after acknowledgement, even when skipping ahead',
      build: (inc: ReturnType<typeof incident>) => [
        inc.created(),
        inc.move(1, 3, 'Detected', 'Investigating'),
        inc.move(2, 5, 'Investigating', 'Declared'),
      ],
      kinds: ['declaration', 'stage-change', 'stage-change'],
    },
    {
      name: 'does not announce a priority change that keeps the same severity',
      build: (inc: ReturnType<typeof incident>) => [
        inc.created('Declared'),
        inc.priority(1, 2, 'Highest'),
        inc.priority(2, 3, 'Highest'),
      ],
      kinds: ['declaration', 'severity-change'],
    },
    {
      name: 'does not announce a move to another status of the same stage',
      build: (inc: ReturnType<typeof incident>) => [
        inc.created('Declared'),
        inc.move(1, 3, 'Declared', 'Investigating'),
        inc.move(2, 4, 'Investigating', 'investigating'),
      ],
      kinds: ['declaration', 'stage-change'],
    },
    {
      name: 'resolves an incident that goes straight to resolved, declaring it on the way',
      build: (inc: ReturnType<typeof incident>) => [inc.created(), inc.move(1, 3, 'Detected', 'Resolved')],
      kinds: ['declaration', 'stage-change', 'resolution'],
    },
    {
      name: 'does not resolve again when moving from resolved to postmortem',
      build: (inc: ReturnType<typeof incident>) => [
        inc.created('Mitigating'),
        inc.move(1, 3, 'Mitigating', 'Resolved'),
        inc.move(2, 9, 'Resolved', 'Postmortem'),
      ],
      kinds: ['declaration', 'stage-change', 'resolution', 'stage-change'],
    },
  ])('$name', ({ build, kinds }) => {
    const events = build(incident());

    const causes = causesOf(events, settings);

    expect(causes.map((cause) => cause.kind)).toEqual(kinds);
  });
});

describe('planNotifications', () => {
  it('plans one notification per group and Jira event, the most telling trigger winning', () => {
    const causes = causesOf(reopenedLifecycle(), settings);

    const planned = planNotifications('10001', causes, DEFAULT_POLICY);

    // Named by what they announce and its moment (minutes after T0), not by the event carrying it.
    expect(planned.map((notification) => inMinutes(notification.id))).toEqual([
      '10001#declaration@4m#manage-closely',
      '10001#declaration@4m#keep-satisfied',
      '10001#stage-change:declared@4m#keep-informed',
      '10001#severity-change:SEV1@6m#manage-closely',
      '10001#stage-change:triaged@9m#manage-closely',
      '10001#stage-change:triaged@9m#keep-informed',
      '10001#stage-change:investigating@15m#manage-closely',
      '10001#stage-change:investigating@15m#keep-informed',
      '10001#stage-change:mitigating@41m#manage-closely',
      '10001#mitigation:mitigating@41m#keep-satisfied',
      '10001#stage-change:mitigating@41m#keep-informed',
      '10001#resolution@58m#manage-closely',
      '10001#resolution@58m#keep-satisfied',
      '10001#stage-change:resolved@58m#keep-informed',
      '10001#stage-change:investigating@75m#manage-closely',
      '10001#stage-change:investigating@75m#keep-informed',
      '10001#stage-change:mitigating@95m#manage-closely',
      '10001#mitigation:mitigating@95m#keep-satisfied',
      '10001#stage-change:mitigating@95m#keep-informed',
      '10001#resolution@112m#manage-closely',
      '10001#resolution@112m#keep-satisfied',
      '10001#stage-change:resolved@112m#keep-informed',
      '10001#stage-change:postmortem@150m#manage-closely',
      '10001#stage-change:postmortem@150m#keep-informed',
    ]);
    expect(planned[0]?.channels).toEqual(['sms', 'email']);
  });

  it('tells manage-closely of stage changes only from SEV2 up', () => {
    const inc = incident('10002', { priority: 'Medium' });
    const causes = causesOf([inc.created('Declared'), inc.move(1, 5, 'Declared', 'Investigating')], settings);

    const planned = planNotifications('10002', causes, DEFAULT_POLICY);

    expect(planned.map((notification) => `${notification.cause.kind} ${notification.group}`)).toEqual([
      'declaration manage-closely',
      'declaration keep-satisfied',
      'stage-change keep-informed',
    ]);
  });

  it('gives the same causes and plan for any order and duplication of the same events', () => {
    const events = reopenedLifecycle();
    const expectedCauses = causesOf(events, settings);
    const expectedPlan = planNotifications('10001', expectedCauses, DEFAULT_POLICY);

    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.constantFrom(...events), { maxLength: 6 }),
        (shuffled, duplicates) => {
          const delivered = [...shuffled, ...duplicates];

          const causes = causesOf(delivered, settings);

          expect(causes).toEqual(expectedCauses);
          expect(planNotifications('10001', causes, DEFAULT_POLICY)).toEqual(expectedPlan);
        },
      ),
    );
  });
});

function note(
  kind: NotificationCause['kind'],
  atSeconds: number,
  status: string,
  group: PlannedNotification['group'] = 'keep-informed',
): PlannedNotification {
  const cause: NotificationCause = {
    kind,
    eventId: `changelog#${atSeconds}#status`,
    atMs: T0 + atSeconds * SECOND,
    stage: status.toLowerCase(),
    status,
    severity: 'SEV1',
    subject: status.toLowerCase(),
    slot: { startMs: T0 + atSeconds * SECOND, endMs: null },
  };
  return {
    id: `10001#${cause.eventId}#${kind}#${group}`,
    issueId: '10001',
    group,
    channels: ['email'],
    cause,
  };
}

const statusesOf = (notifications: readonly PlannedNotification[]) =>
  notifications.map((notification) => `${notification.cause.kind} ${notification.cause.status}`);

describe('coalesce', () => {
  const burst = [
    note('stage-change', 0, 'Triaged'),
    note('stage-change', 20, 'Investigating'),
    note('stage-change', 45, 'Mitigating'),
  ];

  it('holds a burst of three stage changes as one, until the window after the last has passed', () => {
    const result = coalesce(burst, { windowMs: 60 * SECOND, nowMs: T0 + 50 * SECOND });

    expect(result.send).toEqual([]);
    expect(statusesOf(result.superseded)).toEqual(['stage-change Triaged', 'stage-change Investigating']);
    expect(result.holdUntilMs).toBe(T0 + 105 * SECOND);
  });

  it('sends the burst once as its last stage when the window has passed', () => {
    const result = coalesce(burst, { windowMs: 60 * SECOND, nowMs: T0 + 105 * SECOND });

    expect(statusesOf(result.send)).toEqual(['stage-change Mitigating']);
    expect(result.holdUntilMs).toBeNull();
  });

  it.each([
    {
      name: 'sends a resolution inside a burst at once, superseding the stage changes before it',
      planned: [...burst.slice(0, 2), note('resolution', 30, 'Resolved', 'keep-informed')],
      send: ['resolution Resolved'],
      superseded: ['stage-change Triaged', 'stage-change Investigating'],
      holdUntilMs: null,
    },
    {
      name: 'never holds a declaration or a reopen',
      planned: [note('declaration', 0, 'Declared'), note('reopen', 10, 'Investigating')],
      send: ['declaration Declared', 'reopen Investigating'],
      superseded: [],
      holdUntilMs: null,
    },
    {
      name: 'keeps groups apart: one group’s update does not supersede another’s',
      planned: [
        note('stage-change', 0, 'Triaged', 'manage-closely'),
        note('mitigation', 10, 'Mitigating', 'keep-satisfied'),
      ],
      send: ['stage-change Triaged', 'mitigation Mitigating'],
      superseded: [],
      holdUntilMs: null,
    },
    {
      name: 'sends stage changes further apart than the window separately',
      planned: [note('stage-change', 0, 'Triaged'), note('stage-change', 120, 'Investigating')],
      send: ['stage-change Triaged'],
      superseded: [],
      holdUntilMs: T0 + 180 * SECOND,
    },
  ])('$name', ({ planned, send, superseded, holdUntilMs }) => {
    const result = coalesce(planned, { windowMs: 60 * SECOND, nowMs: T0 + 130 * SECOND });

    expect(statusesOf(result.send)).toEqual(send);
    expect(statusesOf(result.superseded)).toEqual(superseded);
    expect(result.holdUntilMs).toBe(holdUntilMs);
  });

  it('decides the same whatever order the plan lists a burst in', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(burst, { minLength: 3, maxLength: 3 }), (shuffled) => {
        const result = coalesce(shuffled, { windowMs: 60 * SECOND, nowMs: T0 + 200 * SECOND });

        expect(statusesOf(result.send)).toEqual(['stage-change Mitigating']);
      }),
    );
  });
});
