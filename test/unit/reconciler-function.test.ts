import { describe, expect, it } from 'vitest';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import type { ReconcileRun } from '#shared/use-cases/reconcile-incidents.ts';
import { makeReconcilerHandler, STOP_BEFORE_TIMEOUT_MS } from '../../functions/reconciler/reconciler.ts';
import { reconcilerCron } from '../../infra/constructs/reconciliation.ts';

const NOW = Date.parse('2026-11-24T10:00:00.000Z');

function recordingLog() {
  const lines: { level: string; message: string; details?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, details?: Record<string, unknown>) => {
    lines.push({ level, message, ...(details ? { details } : {}) });
  };
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const run = (overrides: Partial<ReconcileRun> = {}): ReconcileRun => ({
  jql: 'x',
  issuesRead: 3,
  issuesSkipped: 0,
  eventsAdded: 4,
  repaired: [{ key: 'OPS-1', added: 4 }],
  failed: [],
  complete: true,
  stoppedBy: null,
  processedUntilMs: NOW,
  watermarkMs: NOW,
  ...overrides,
});

describe('the reconciler function', () => {
  it('stops starting pages well before Lambda would time out', async () => {
    let deadline = 0;
    const { log } = recordingLog();
    const handler = makeReconcilerHandler({
      nowMs: () => NOW,
      log,
      reconcile: async (deadlineMs) => {
        deadline = deadlineMs;
        return run();
      },
    });

    await handler({}, { getRemainingTimeInMillis: () => 900_000 });

    expect(deadline).toBe(NOW + 900_000 - STOP_BEFORE_TIMEOUT_MS);
  });

  it('logs what it repaired in the line the metrics are read from', async () => {
    const { lines, log } = recordingLog();
    const handler = makeReconcilerHandler({ nowMs: () => NOW, log, reconcile: async () => run() });

    await handler({}, { getRemainingTimeInMillis: () => 900_000 });

    expect(lines).toEqual([
      {
        level: 'info',
        message: 'reconciled',
        details: expect.objectContaining({
          eventsAdded: 4,
          repairing: 1,
          issuesRepaired: 1,
          repaired: [{ key: 'OPS-1', added: 4 }],
          complete: true,
          watermark: '2026-11-24T10:00:00.000Z',
        }),
      },
    ]);
  });

  it('counts a quiet run as not repairing, and names the issues left for the next run', async () => {
    const { lines, log } = recordingLog();
    const handler = makeReconcilerHandler({
      nowMs: () => NOW,
      log,
      reconcile: async () =>
        run({ eventsAdded: 0, repaired: [], failed: [{ key: 'OPS-9', error: 'HTTP 403' }], complete: false }),
    });

    await handler({});

    expect(lines[0]?.details).toMatchObject({ repairing: 0, eventsAdded: 0, complete: false, unfinished: 1 });
    expect(lines[1]).toMatchObject({
      level: 'warn',
      details: { failed: [{ key: 'OPS-9', error: 'HTTP 403' }] },
    });
  });

  it('fails a run Jira stopped, after logging it as unfinished with the watermark it saved', async () => {
    const { lines, log } = recordingLog();
    const handler = makeReconcilerHandler({
      nowMs: () => NOW,
      log,
      reconcile: async () =>
        run({
          issuesRead: 100,
          complete: false,
          stoppedBy: { kind: 'jira-unavailable', error: 'Jira failed the search: HTTP 503' },
        }),
    });

    const failure = handler({});

    await expect(failure).rejects.toBeInstanceOf(UpstreamUnavailableError);
    await expect(failure).rejects.toThrow(
      /could not finish: Jira failed the search: HTTP 503; .*watermark 2026-11-24T10:00:00.000Z/,
    );
    expect(lines).toEqual([
      {
        level: 'info',
        message: 'reconciled',
        details: expect.objectContaining({ unfinished: 1, complete: false, issuesRead: 100 }),
      },
    ]);
  });

  it('fails a run that threw before it could reconcile, logging it as unfinished', async () => {
    const { lines, log } = recordingLog();
    const refused = new Error('Jira refused the search (HTTP 401): check the email and API token');
    const handler = makeReconcilerHandler({
      nowMs: () => NOW,
      log,
      reconcile: async () => Promise.reject(refused),
    });

    await expect(handler({})).rejects.toBe(refused);

    expect(lines).toEqual([
      {
        level: 'error',
        message: 'reconciler could not finish',
        details: { unfinished: 1, error: refused.message },
      },
    ]);
  });

  it('counts a run stopped at its deadline as finished for now: the next run goes on', async () => {
    const { lines, log } = recordingLog();
    const handler = makeReconcilerHandler({
      nowMs: () => NOW,
      log,
      reconcile: async () => run({ complete: false, stoppedBy: { kind: 'deadline' } }),
    });

    const summary = await handler({});

    expect(summary).toMatchObject({ complete: false, unfinished: 0 });
    expect(lines.map((line) => line.level)).toEqual(['info']);
  });
});

describe('the reconciler schedule', () => {
  it.each([
    [60, '0 * * * ? *'],
    [15, '0/15 * * * ? *'],
    [120, '0 0/2 * * ? *'],
    [1440, '0 0/24 * * ? *'],
  ])('runs every %i minutes as %s', (minutes, cron) => {
    expect(reconcilerCron(minutes)).toBe(cron);
  });

  it('refuses a period cron cannot say, naming the setting', () => {
    expect(() => reconcilerCron(45)).toThrow(/reconciler\.everyMinutes is 45/);
    expect(() => reconcilerCron(300)).toThrow(/whole hours dividing 24/);
  });
});
