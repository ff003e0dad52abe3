import { describe, expect, it } from 'vitest';
import type { CiRun } from '#shared/domain/ci-events.ts';
import { decideRun, isWatchedRun, premortemLabel, withTicket } from '#shared/domain/ci-streaks.ts';
import { settingsWith } from '../builders.ts';

const run = (changes: Partial<CiRun> = {}): CiRun => ({
  kind: 'run',
  source: 'github',
  repository: 'acme/shop',
  defaultBranch: 'main',
  workflow: 'CI',
  branch: 'main',
  runId: '1#1',
  outcome: 'failure',
  sha: '0123456789abcdef',
  commitTitle: 'Bump the cart',
  author: 'dana',
  url: 'https://github.com/acme/shop/actions/runs/1',
  failedJobs: [],
  finishedAtMs: 1_000_000,
  ...changes,
});

describe('decideRun', () => {
  it('opens a premortem for the first failure, labelled for its workflow, branch and streak', () => {
    const decision = decideRun(null, run());

    expect(decision).toMatchObject({ kind: 'open-premortem', label: premortemLabel(run(), 1) });
    expect(decision.streak).toMatchObject({
      failing: true,
      generation: 1,
      ticketKey: null,
      failingSinceMs: 1_000_000,
    });
  });

  it('opens the same streak again after a crash left it without its ticket, so the label finds the ticket', () => {
    const opened = decideRun(null, run());

    const retried = decideRun(opened.streak, run());

    expect(retried).toMatchObject({ kind: 'open-premortem', label: premortemLabel(run(), 1) });
  });

  it('leaves a premortem being opened to its delivery, unless that delivery looks dead', () => {
    const opening = decideRun(null, run()).streak;

    const meanwhile = decideRun(opening, run({ runId: '2#1', finishedAtMs: 1_060_000 }));
    const muchLater = decideRun(opening, run({ runId: '3#1', finishedAtMs: 1_000_000 + 11 * 60_000 }));

    expect(meanwhile).toMatchObject({
      kind: 'nothing',
      reason: 'the premortem is being opened by another delivery',
    });
    expect(muchLater).toMatchObject({ kind: 'open-premortem', label: premortemLabel(run(), 1) });
  });

  it('comments a further failure, then measures the next success from the first failure', () => {
    const opened = decideRun(null, run());
    const streak = withTicket(opened.streak ?? expect.fail(), run(), { key: 'OPS-9', url: 'u' });

    const again = decideRun(streak, run({ runId: '2#1', finishedAtMs: 2_000_000 }));
    const green = decideRun(again.streak, run({ runId: '3#1', outcome: 'success', finishedAtMs: 4_600_000 }));

    expect(again).toMatchObject({ kind: 'failed-again', ticketKey: 'OPS-9' });
    expect(green).toMatchObject({ kind: 'green-again', ticketKey: 'OPS-9', failingForMs: 3_600_000 });
    expect(green.streak).toMatchObject({ failing: false });
  });

  it.each([
    ['a run already handled', { runId: '1#1' }, 'run already handled'],
    ['a run older than the last one seen', { runId: '0#1', finishedAtMs: 1 }, 'older than the last run seen'],
    [
      'a cancelled run',
      { runId: '5#1', outcome: 'other' as const, finishedAtMs: 2_000_000 },
      'neither failed nor succeeded',
    ],
  ])('does nothing for %s', (_name, changes, reason) => {
    const streak = withTicket(decideRun(null, run()).streak ?? expect.fail(), run(), {
      key: 'OPS-9',
      url: 'u',
    });

    expect(decideRun(streak, run(changes))).toMatchObject({ kind: 'nothing', reason });
  });
});

describe('isWatchedRun', () => {
  it.each([
    [{}, run(), true],
    [{}, run({ branch: 'feature/x' }), false],
    [{ branches: ['release'] }, run({ branch: 'release' }), true],
    [{ branches: ['release'] }, run(), false],
    [{ workflows: ['Deploy'] }, run(), false],
    [{ workflows: ['ci'] }, run(), true],
  ])('with ci settings %j watches %o: %s', (ci, candidate, watched) => {
    expect(isWatchedRun(candidate, settingsWith({ ci }).ci)).toBe(watched);
  });
});
