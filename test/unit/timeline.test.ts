import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldIncident, timeInStage } from '#shared/domain/timeline.ts';
import { incident, MINUTE, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';

const settings = settingsWith();

describe('foldIncident', () => {
  it('times a reopened incident from its creation to its last resolution', () => {
    const state = foldIncident(reopenedLifecycle(), settings);

    expect(state).toMatchObject({
      key: 'INC-1',
      severity: 'SEV1',
      status: 'Postmortem',
      stage: 'analysis',
      openedAtMs: T0,
      acknowledgedAtMs: T0 + 4 * MINUTE,
      resolvedAtMs: T0 + 112 * MINUTE,
      timeToAcknowledgeMs: 4 * MINUTE,
      timeToResolveMs: 112 * MINUTE,
      reopenCount: 1,
      commentCount: 1,
      deleted: false,
    });
    expect(state?.closedStageDurationsMs).toEqual({
      detection: 4 * MINUTE,
      declaration: 5 * MINUTE,
      categorization: 6 * MINUTE,
      diagnosis: (26 + 20) * MINUTE,
      mitigation: (17 + 17) * MINUTE,
      resolution: (17 + 38) * MINUTE,
    });
  });

  it('lists every visit with the status it was in', () => {
    const state = foldIncident(reopenedLifecycle(), settings);

    expect(state?.visits.map((visit) => visit.status)).toEqual([
      'Detected',
      'Declared',
      'Triaged',
      'Investigating',
      'Mitigating',
      'Resolved',
      'Investigating',
      'Mitigating',
      'Resolved',
      'Postmortem',
    ]);
    expect(state?.visits.at(-1)).toEqual({
      stage: 'analysis',
      status: 'Postmortem',
      enteredAtMs: T0 + 150 * MINUTE,
      leftAtMs: null,
    });
  });

  it('starts the first visit at the issue creation even when the creation webhook never came', () => {
    const inc = incident();
    const state = foldIncident([inc.move(1, 10, 'Detected', 'Declared')], settings);

    expect(state?.visits).toEqual([
      { stage: 'detection', status: 'Detected', enteredAtMs: T0, leftAtMs: T0 + 10 * MINUTE },
      { stage: 'declaration', status: 'Declared', enteredAtMs: T0 + 10 * MINUTE, leftAtMs: null },
    ]);
    expect(state?.timeToAcknowledgeMs).toBe(10 * MINUTE);
  });

  it('acknowledges an incident that skips the acknowledging stage at the first later stage', () => {
    const inc = incident();
    const state = foldIncident([inc.created(), inc.move(1, 7, 'Detected', 'Investigating')], settings);

    expect(state?.acknowledgedAtMs).toBe(T0 + 7 * MINUTE);
  });

  it('keeps a status the board does not map under its own name, without acknowledging or resolving', () => {
    const inc = incident();
    const state = foldIncident(
      [
        inc.created(),
        inc.move(1, 3, 'Detected', 'Waiting for vendor'),
        inc.move(2, 20, 'Waiting for vendor', 'Declared'),
      ],
      settings,
    );

    expect(state?.visits.map((visit) => visit.stage)).toEqual([
      'detection',
      'Waiting for vendor',
      'declaration',
    ]);
    expect(state?.closedStageDurationsMs['Waiting for vendor']).toBe(17 * MINUTE);
    expect(state?.acknowledgedAtMs).toBe(T0 + 20 * MINUTE);
  });

  it('does not count a move from resolution into an unmapped status as a reopen', () => {
    const inc = incident();
    const state = foldIncident(
      [inc.created(), inc.move(1, 5, 'Detected', 'Resolved'), inc.move(2, 9, 'Resolved', 'On hold')],
      settings,
    );

    expect(state?.reopenCount).toBe(0);
    expect(state?.resolvedAtMs).toBe(T0 + 5 * MINUTE);
  });

  it('leaves an incident unresolved while it is back in an earlier stage', () => {
    const inc = incident();
    const state = foldIncident(
      [inc.created(), inc.move(1, 5, 'Detected', 'Resolved'), inc.move(2, 9, 'Resolved', 'Mitigating')],
      settings,
    );

    expect(state?.resolvedAtMs).toBeNull();
    expect(state?.timeToResolveMs).toBeNull();
    expect(state?.reopenCount).toBe(1);
  });

  it('keeps the first resolution when the incident moves on to the postmortem and closes', () => {
    const inc = incident();
    const state = foldIncident(
      [
        inc.created(),
        inc.move(1, 30, 'Detected', 'Resolved'),
        inc.move(2, 60, 'Resolved', 'Postmortem'),
        inc.move(3, 90, 'Postmortem', 'Done'),
      ],
      settings,
    );

    expect(state?.resolvedAtMs).toBe(T0 + 30 * MINUTE);
    expect(state?.reopenCount).toBe(0);
    expect(state?.stage).toBe('closed');
  });

  it('resolves an incident closed without passing through the resolving status', () => {
    const inc = incident();
    const state = foldIncident([inc.created(), inc.move(1, 45, 'Detected', 'Done')], settings);

    expect(state?.resolvedAtMs).toBe(T0 + 45 * MINUTE);
  });

  it('marks an incident deleted in Jira and keeps its history', () => {
    const inc = incident();
    const state = foldIncident(
      [inc.created(), inc.move(1, 5, 'Detected', 'Declared'), inc.deleted(30)],
      settings,
    );

    expect(state?.deleted).toBe(true);
    expect(state?.deletedAtMs).toBe(T0 + 30 * MINUTE);
    expect(state?.visits).toHaveLength(2);
  });

  it('ignores a second report of a move to the status the incident is already in', () => {
    const inc = incident();
    const state = foldIncident(
      [inc.created(), inc.move(1, 5, 'Detected', 'Declared'), inc.move(2, 6, 'Detected', 'Declared')],
      settings,
    );

    expect(state?.visits).toHaveLength(2);
    expect(state?.acknowledgedAtMs).toBe(T0 + 5 * MINUTE);
  });

  it('honours a team board that maps its own status names and ids', () => {
    const team = settingsWith({
      board: {
        statuses: [
          { name: 'Open', stage: 'detection' },
          { name: 'Acknowledged', id: '3', stage: 'declaration' },
          { name: 'Fixed', stage: 'resolution' },
        ],
        acknowledgeStage: 'declaration',
      },
    });
    const inc = incident();
    const events = [
      inc.created('Open'),
      inc.move(1, 2, 'Open', 'Ack renamed', '3'),
      inc.move(2, 9, 'Ack renamed', 'FIXED'),
    ];

    const state = foldIncident(events, team);

    expect(state?.visits.map((visit) => visit.stage)).toEqual(['detection', 'declaration', 'resolution']);
    expect(state?.timeToAcknowledgeMs).toBe(2 * MINUTE);
    expect(state?.timeToResolveMs).toBe(9 * MINUTE);
  });

  it('reads severity from a custom field when the team says so', () => {
    const team = settingsWith({
      severity: { source: 'field', field: 'customfield_10070', fieldValues: { Critical: 'SEV1' } },
    });
    const inc = incident('1', { severityField: 'critical' });

    expect(foldIncident([inc.created()], team)?.severity).toBe('SEV1');
  });

  it('returns nothing for an incident without events', () => {
    expect(foldIncident([], settings)).toBeNull();
  });
});

describe('timeInStage', () => {
  it.each([
    ['an open visit runs until now', null, 30 * MINUTE],
    ['a closed visit stops when it was left', T0 + 10 * MINUTE, 10 * MINUTE],
  ])('%s', (_name, leftAtMs, expected) => {
    const visits = [{ stage: 'diagnosis', status: 'Investigating', enteredAtMs: T0, leftAtMs }];

    expect(timeInStage(visits, T0 + 30 * MINUTE).diagnosis).toBe(expected);
  });
});

describe('foldIncident under any delivery order', () => {
  it('gives the same state for any order, duplication or interleaving of the same events', () => {
    const events = reopenedLifecycle();
    const expected = foldIncident(events, settings);
    const deliveries = fc
      .array(fc.nat(events.length - 1), { minLength: 0, maxLength: events.length * 2 })
      .chain((extra) =>
        fc.shuffledSubarray([...events.keys(), ...extra], { minLength: events.length + extra.length }),
      );

    fc.assert(
      fc.property(deliveries, (order) => {
        const delivered = order.flatMap((i) => (events[i] ? [events[i]] : []));

        expect(foldIncident(delivered, settings)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives each of two interleaved incidents the state it has alone', () => {
    const first = reopenedLifecycle('1');
    const second = reopenedLifecycle('2').slice(0, 6);

    fc.assert(
      fc.property(
        fc.shuffledSubarray([...first, ...second], { minLength: first.length + second.length }),
        (mixed) => {
          expect(
            foldIncident(
              mixed.filter((event) => event.issueId === '1'),
              settings,
            ),
          ).toEqual(foldIncident(first, settings));
          expect(
            foldIncident(
              mixed.filter((event) => event.issueId === '2'),
              settings,
            ),
          ).toEqual(foldIncident(second, settings));
        },
      ),
      { numRuns: 100 },
    );
  });
});
