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
import { createInMemoryCiStore } from '../fakes/in-memory-ci-store.ts';
import { createInMemoryDeploymentStore } from '../fakes/in-memory-deployment-store.ts';

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
      incidentStates: { getStateByKey: async () => null },
      log: silentLog,
    });
    return { tickets, deps };
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
});
