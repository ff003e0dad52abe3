import { describe, expect, it } from 'vitest';
import { buildStatusPage } from '#shared/domain/status-page-model.ts';
import { publicComments, publicUpdates, scrubPublicText } from '#shared/domain/status-page-updates.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { incident, MINUTE, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';

const settings = settingsWith();
const options = settings.statusPage;
const minutesOf = (ms: number) => (ms - T0) / MINUTE;

describe('the customer-facing updates of an incident', () => {
  it('tells a reopened incident’s life in the keep-satisfied emails’ words, from its confirmation on', () => {
    const state = foldIncident(reopenedLifecycle(), settings);

    const updates = state ? publicUpdates(state, [], options) : [];

    expect(updates.map((update) => [minutesOf(update.atMs), update.phase, update.text])).toEqual([
      [4, 'investigating', 'We have confirmed the problem and are responding.'],
      [9, 'investigating', 'We are assessing the impact.'],
      [15, 'investigating', 'We are investigating the cause.'],
      [41, 'identified', 'A fix is being rolled out.'],
      [58, 'resolved', 'The service has been restored.'],
      [75, 'investigating', 'The problem has come back. We are investigating the cause.'],
      [95, 'identified', 'A fix is being rolled out.'],
      [112, 'resolved', 'The service has been restored.'],
    ]);
  });

  it('follows the team’s mapping of stages to phases', () => {
    const monitoring = settingsWith({ statusPage: { phases: { mitigation: 'monitoring' } } });
    const state = foldIncident(reopenedLifecycle(), monitoring);

    const phases = state ? publicUpdates(state, [], monitoring.statusPage).map((update) => update.phase) : [];

    expect(phases).toContain('monitoring');
    expect(phases).not.toContain('identified');
  });

  it('publishes only the comments that start with the prefix, as last edited, without the prefix', () => {
    const inc = incident('10001');
    const edited = inc.comment(503, 30, 'Status update: Payments recover slowly.');
    const events = [
      inc.comment(501, 20, 'Mia: DB primary is at 100% CPU, see https://acme.atlassian.net/browse/OPS-9'),
      inc.comment(502, 25, '  status UPDATE: Card payments fail for some customers.'),
      inc.comment(503, 28, 'Status update: Payments recvoer slowly.'),
      { ...edited, eventId: 'comment#503#edit', updatedMs: T0 + 31 * MINUTE },
      inc.comment(504, 35, 'Status update: we will post again soon.'),
      {
        kind: 'comment-deleted' as const,
        commentId: '504',
        eventId: 'comment#504#deleted',
        issueId: '10001',
        atMs: T0 + 36 * MINUTE,
        seq: 504,
        actor: null,
        issue: { key: 'INC-1' },
      },
    ];

    const comments = publicComments(events, 'Status update:');

    expect(comments.map((comment) => [comment.commentId, comment.text])).toEqual([
      ['502', 'Card payments fail for some customers.'],
      ['503', 'Payments recover slowly.'],
    ]);
  });

  it.each([
    ['prefix only (the default)', false, ['501']],
    ['with JSM’s public comments', true, ['501', '502']],
  ])('publishes comments shared with customers in JSM only when the team says so: %s', (_, jsm, shown) => {
    const inc = incident('10001');
    const shared = (id: number, minutes: number, body: string, jsdPublic: boolean) => ({
      ...inc.comment(id, minutes, body),
      jsdPublic,
    });
    const events = [
      shared(501, 20, 'Status update: Card payments fail for some customers.', true),
      shared(502, 25, 'We are moving traffic to the standby.', true),
      shared(503, 30, 'Status update: DB primary at 100% CPU (an internal note)', false),
      shared(504, 35, 'Mia: failing over now', false),
    ];

    const comments = publicComments(events, 'Status update:', jsm);

    expect(comments.map((comment) => comment.commentId)).toEqual(shown);
    expect(comments.map((comment) => comment.text).join(' ')).not.toContain('CPU');
  });

  it('keeps every comment of a project that is not a service project internal, though Jira marks it public', () => {
    const inc = incident('10001');
    const events = [{ ...inc.comment(501, 20, 'Mia: DB primary at 100% CPU'), jsdPublic: true }];

    expect(publicComments(events, 'Status update:')).toEqual([]);
  });

  it('drops mentions and links from a public comment, keeping a link’s words', () => {
    const text = scrubPublicText(
      'Thanks [~accountid:5b10a2844c20165700ede21g], see [the runbook|https://acme.atlassian.net/wiki/x] or https://notion.so/abc\n\n\n\nMore soon.',
    );

    expect(text).toBe('Thanks , see the runbook or\n\nMore soon.');
  });

  it('places a public comment among the stage updates in the phase of its moment', () => {
    const inc = incident('10001');
    const events = [...reopenedLifecycle(), inc.comment(600, 45, 'Status update: Most payments work again.')];
    const state = foldIncident(events, settings);

    const page = buildStatusPage({
      incidents: state ? [{ state, events }] : [],
      options,
      board: settings.board,
      timeZone: 'UTC',
      nowMs: T0 + 200 * MINUTE,
    });

    const updates = page.past[0]?.updates ?? [];
    expect(updates.map((update) => [minutesOf(update.atMs), update.phase, update.source])).toContainEqual([
      45,
      'identified',
      'comment',
    ]);
    expect(updates.map((update) => update.text)).not.toContain('error rate 30%');
  });
});
