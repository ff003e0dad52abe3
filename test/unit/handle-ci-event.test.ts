import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createLocalTicketTracker } from '#shared/adapters/local-ticket-tracker.ts';
import { createTicketIncidentOpener } from '#shared/adapters/ticket-incident-opener.ts';
import type { CiRun } from '#shared/domain/ci-events.ts';
import type { TicketTracker } from '#shared/ports.ts';
import { type CiEventDeps, handleCiEvent } from '#shared/use-cases/handle-ci-event.ts';
import { settingsWith } from '../builders.ts';
import { createInMemoryCiActivityLog } from '../fakes/in-memory-ci-activity-log.ts';
import { createInMemoryCiStore } from '../fakes/in-memory-ci-store.ts';
import { createInMemoryDeploymentStore } from '../fakes/in-memory-deployment-store.ts';
import { handIncidents } from '../hand-week.ts';

const failed = (changes: Partial<CiRun> = {}): CiRun => ({
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

describe('handleCiEvent', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function world(settings: unknown = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'handle-ci-'));
    dirs.push(dir);
    const tickets = createLocalTicketTracker(join(dir, 'tickets.json'), () => 0);
    const store = createInMemoryCiStore();
    const activity = createInMemoryCiActivityLog();
    const deps = (premortems: TicketTracker = tickets): CiEventDeps => ({
      settings: settingsWith({ ci: settings }).ci,
      streaks: store,
      premortems,
      incidents: createTicketIncidentOpener(tickets, {
        projectKey: 'OPS',
        detectedStatus: 'Detected',
        labels: ['incident'],
      }),
      deployments: createInMemoryDeploymentStore(),
      fixes: store,
      activity,
      incidentStates: { getStateByKey: async () => null },
      log: silentLog,
    });
    return { tickets, deps, activity };
  }

  it('makes one ticket when a crash came between creating it and recording it', async () => {
    const { tickets, deps } = world();
    const crashing: TicketTracker = {
      ...tickets,
      async createTicket(ticket) {
        await tickets.createTicket(ticket);
        throw new Error('the process died before the streak recorded the ticket');
      },
    };
    await expect(handleCiEvent(failed(), deps(crashing))).rejects.toThrow('process died');

    const retried = await handleCiEvent(failed(), deps());

    expect(retried).toEqual({ kind: 'premortem-opened', ticket: 'LOCAL-1' });
    expect(tickets.tickets()).toHaveLength(1);
  });

  it('makes one ticket when two failures of the workflow arrive at once', async () => {
    const { tickets, deps } = world();

    const outcomes = await Promise.all([
      handleCiEvent(failed(), deps()),
      handleCiEvent(failed({ runId: '2#1', finishedAtMs: 1_000_001 }), deps()),
    ]);

    expect(tickets.tickets()).toHaveLength(1);
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['ignored', 'premortem-opened']);
  });

  it('moves the premortem to the done status when green again, if the settings say so', async () => {
    const { tickets, deps } = world({ closeWhenGreen: true, doneStatus: 'Closed' });
    await handleCiEvent(failed(), deps());

    await handleCiEvent(failed({ runId: '2#1', outcome: 'success', finishedAtMs: 2_000_000 }), deps());

    expect(tickets.tickets()[0]?.status).toBe('Closed');
  });

  it("records a streak's opening and its green again, timed from the first failure, for the weekly report", async () => {
    const { deps, activity } = world();
    await handleCiEvent(failed(), deps());
    await handleCiEvent(failed({ runId: '2#1', finishedAtMs: 1_500_000 }), deps());

    await handleCiEvent(failed({ runId: '3#1', outcome: 'success', finishedAtMs: 4_600_000 }), deps());

    const streak = {
      streakKey: 'github:acme/shop:CI:main',
      generation: 1,
      repository: 'acme/shop',
      workflow: 'CI',
      branch: 'main',
    };
    expect(await activity.activityBetween(0, 10_000_000)).toEqual([
      { kind: 'failure-opened', ...streak, atMs: 1_000_000 },
      { kind: 'green-again', ...streak, failingSinceMs: 1_000_000, atMs: 4_600_000 },
    ]);
  });

  it('records an opening once when a crash made the failure come again', async () => {
    const { tickets, deps, activity } = world();
    const crashing: TicketTracker = {
      ...tickets,
      async createTicket() {
        throw new Error('the process died before the ticket was made');
      },
    };
    await expect(handleCiEvent(failed(), deps(crashing))).rejects.toThrow('process died');

    await handleCiEvent(failed(), deps());

    expect(activity.records().map((record) => record.kind)).toEqual(['failure-opened']);
  });

  it('records a merged fix of an incident, and not an opened one', async () => {
    const { deps, activity } = world();
    const change = {
      kind: 'change',
      source: 'github',
      repository: 'acme/shop',
      changeId: 'github:acme/shop#12',
      title: 'Raise the pool size (OPS-7)',
      body: '',
      branch: 'fix-pool',
      author: 'sam',
      url: 'https://github.com/acme/shop/pull/12',
    } as const;
    const known = { ...deps(), incidentStates: { getStateByKey: async () => handIncidents[0] ?? null } };
    await handleCiEvent({ ...change, action: 'opened', atMs: 1_000_000 }, known);

    await handleCiEvent({ ...change, action: 'merged', atMs: 2_000_000 }, known);

    expect(activity.records()).toEqual([
      {
        kind: 'fix-merged',
        incidentKey: 'OPS-7',
        changeId: 'github:acme/shop#12',
        title: 'Raise the pool size (OPS-7)',
        author: 'sam',
        url: 'https://github.com/acme/shop/pull/12',
        atMs: 2_000_000,
      },
    ]);
  });
});
