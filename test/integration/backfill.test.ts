import { createCloudClient } from 'jira.js';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createDynamoReconcileLedger } from '#shared/adapters/dynamo-reconcile-ledger.ts';
import { createJiraIncidentSource } from '#shared/adapters/jira-incident-source.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import type { EventStore, IncidentSource } from '#shared/ports.ts';
import { backfillIncidents } from '#shared/use-cases/backfill-incidents.ts';
import { processIncident } from '#shared/use-cases/process-incident.ts';
import { refreshIncident } from '#shared/use-cases/refresh-incident.ts';
import type { ReconcileDeps } from '#shared/use-cases/sweep-issues.ts';
import { createInProcessPostmortemRequests } from '#shared/use-cases/write-postmortem-in-process.ts';
import { progressLine } from '../../bin/backfill.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { createRecordingNotifier } from '../fakes/recording-notifier.ts';
import { createRecordingPostmortemWriter } from '../fakes/recording-postmortem-writer.ts';
import { generateIncidentHistories, type SimulatedIssueHistory } from '../simulators/jira-history.ts';
import type { JiraSimulator } from '../simulators/jira-simulator.ts';
import { freshDynamoStore } from './dynamo.ts';
import {
  closeSimulatorsAfterEach,
  DAY,
  deliver,
  jiraHolding,
  NOW,
  reading,
  START,
  settings,
} from './jira-history-world.ts';

closeSimulatorsAfterEach();

const sourceOf = (jira: JiraSimulator) =>
  createJiraIncidentSource(
    createCloudClient({
      host: jira.baseUrl,
      auth: { type: 'basic', email: 'bot@example.com', apiToken: 'test-token' },
    }),
    { initialBackoffMs: 10, maxAttempts: 2 },
  );

async function dynamoTarget() {
  const { client, tableName, store } = await freshDynamoStore();
  return { store, ledger: createDynamoReconcileLedger(client, tableName) };
}

function deps(
  target: Awaited<ReturnType<typeof dynamoTarget>>,
  source: IncidentSource,
  nowMs = NOW,
): ReconcileDeps {
  return {
    ...target,
    source,
    reading,
    incidents: settings.incidents,
    log: silentLog,
    nowMs: () => nowMs,
    concurrency: 4,
    afterStore: async (issue, added) => {
      if (added === 0 && (await target.store.getStateByKey(issue.key)) !== null) return;
      await refreshIncident(issue.id, { store: target.store, settings, nowMs: () => nowMs });
    },
  };
}

async function statesFromAllWebhooks(histories: readonly SimulatedIssueHistory[]) {
  const store = createInMemoryEventStore();
  await deliver(
    store,
    histories.flatMap((history) => history.deliveries),
  );
  return statesOf(store, histories);
}

async function statesOf(store: EventStore, histories: readonly SimulatedIssueHistory[]) {
  const states = new Map<string, unknown>();
  for (const history of histories) {
    const state = foldIncident(await store.loadEvents(history.issue.id), settings);
    if (state === null) continue;
    const { eventCount: _count, lastEventAtMs: _last, effectsFromMs: _cutOff, ...meaning } = state;
    states.set(history.issue.key, meaning);
  }
  return states;
}

/** A notifier and a postmortem writer that record what they were asked to do. */
function recordingEffects(nowMs: number) {
  const notifier = createRecordingNotifier({ nowMs: () => nowMs });
  const writer = createRecordingPostmortemWriter();
  return {
    sent: notifier.sent,
    written: writer.written,
    deps: (store: EventStore) => ({
      store,
      settings,
      nowMs: () => nowMs,
      log: silentLog,
      notifications: { notifier, directory: async () => DEMO_DIRECTORY },
      postmortemRequests: createInProcessPostmortemRequests({
        store,
        settings,
        nowMs: () => nowMs,
        log: silentLog,
        writer,
        ownAccountId: null,
      }),
    }),
  };
}

describe('the backfill', () => {
  it('imports a team history into the store, each incident folded, with its numbers from day one', async () => {
    const histories = generateIncidentHistories({ count: 60, seed: 31, startMs: START });
    const jira = await jiraHolding(histories);
    const target = await dynamoTarget();
    const starts: unknown[] = [];

    const result = await backfillIncidents(deps(target, sourceOf(jira)), {
      since: '2026-09-01',
      onStart: (info) => starts.push(info),
    });

    expect(result.complete).toBe(true);
    expect(starts).toEqual([{ total: 60, alreadyFinished: 0, resumed: false }]);
    expect(result.jql).toBe(
      '(issuetype in ("Incident", "[System] Incident") OR labels in ("incident")) AND created >= "2026-09-01" ORDER BY created ASC, key ASC',
    );
    expect(await statesOf(target.store, histories)).toEqual(await statesFromAllWebhooks(histories));
    const listed = await target.store.listStates();
    expect(listed).toHaveLength(60);
    expect(listed.every((state) => state.effectsFromMs === NOW)).toBe(true);
  }, 60_000);

  it('resumes after an interruption without reading finished issues again', async () => {
    const histories = generateIncidentHistories({ count: 50, seed: 37, startMs: START });
    const jira = await jiraHolding(histories);
    const target = await dynamoTarget();
    const real = sourceOf(jira);
    let read = 0;
    // Jira gives out after 20 issues (a 429 storm that outlasts the retries, a crash): the run stops.
    const failing: IncidentSource = {
      ...real,
      historyOf: async (issue) => {
        read += 1;
        if (read > 20) throw new UpstreamUnavailableError('Jira kept rate-limiting', 1_000);
        return real.historyOf(issue);
      },
    };

    const first = await backfillIncidents(deps(target, failing), { since: '2026-09-01' });
    const finishedFirst = await target.ledger.finishedIssues(first.runId);
    const readAgain: string[] = [];
    const recording: IncidentSource = {
      ...real,
      historyOf: async (issue) => {
        readAgain.push(issue.id);
        return real.historyOf(issue);
      },
    };
    const starts: { alreadyFinished: number; resumed: boolean }[] = [];
    const second = await backfillIncidents(deps(target, recording, NOW + DAY), {
      since: '2026-09-01',
      onStart: (info) => starts.push(info),
    });

    expect(first.complete).toBe(false);
    expect(starts[0]?.resumed).toBe(true);
    expect(starts[0]?.alreadyFinished).toBeGreaterThanOrEqual(17);
    expect(second.complete).toBe(true);
    expect(second.issuesSkipped).toBe(starts[0]?.alreadyFinished);
    expect(second.issuesRead).toBe(50 - (starts[0]?.alreadyFinished ?? 0));
    // Only the unfinished issues were read again.
    expect(readAgain).toHaveLength(second.issuesRead);
    expect(readAgain.filter((id) => finishedFirst.has(id))).toEqual([]);
    // The cut-off is the first start's, not the resumed run's.
    expect(second.effectsFromMs).toBe(NOW);
    expect(await statesOf(target.store, histories)).toEqual(await statesFromAllWebhooks(histories));
  }, 60_000);

  it('folds on resume an incident whose events the interrupted run stored but did not fold', async () => {
    const histories = generateIncidentHistories({ count: 12, seed: 41, startMs: START });
    const jira = await jiraHolding(histories);
    const target = await dynamoTarget();
    const stoppedAt = histories[5]?.issue.key;
    const interrupted: ReconcileDeps = {
      ...deps(target, sourceOf(jira)),
      // The process stops right after storing this issue's events, before folding them.
      afterStore: async (issue, added) => {
        if (issue.key === stoppedAt) throw new Error('interrupted between the store and the fold');
        await deps(target, sourceOf(jira)).afterStore?.(issue, added);
      },
    };

    await backfillIncidents(interrupted, { since: '2026-09-01' });
    const before = await target.store.getStateByKey(stoppedAt ?? '');
    const resumed = await backfillIncidents(deps(target, sourceOf(jira), NOW + DAY), { since: '2026-09-01' });

    expect(before).toBeNull();
    expect(resumed.complete).toBe(true);
    expect(await target.store.listStates()).toHaveLength(12);
    expect(await statesOf(target.store, histories)).toEqual(await statesFromAllWebhooks(histories));
  }, 60_000);

  it('sends no notification and starts no postmortem for what happened before its cut-off', async () => {
    const histories = generateIncidentHistories({ count: 30, seed: 41, startMs: START });
    const jira = await jiraHolding(histories);
    const target = await dynamoTarget();
    // Imported a minute after the last change: much of it is recent enough to announce, but before the cut-off.
    const importedAt =
      Math.max(...histories.map((history) => Date.parse(history.issue.fields.updated))) + 60_000;
    await backfillIncidents(deps(target, sourceOf(jira), importedAt), { since: '2026-09-01' });
    const effects = recordingEffects(importedAt);

    for (const history of histories) await processIncident(history.issue.id, effects.deps(target.store));

    expect(effects.sent).toEqual([]);
    expect(effects.written).toEqual([]);
    // The same events without the cut-off would have announced the latest changes and started postmortems.
    const control = createInMemoryEventStore();
    for (const history of histories)
      await control.append(
        (await target.store.loadEvents(history.issue.id)).map(
          ({ effectsFromMs: _cutOff, ...event }) => event,
        ),
      );
    const uncut = recordingEffects(importedAt);
    for (const history of histories) await processIncident(history.issue.id, uncut.deps(control));
    expect(uncut.sent.length).toBeGreaterThan(0);
    expect(uncut.written.length).toBeGreaterThan(10);
  }, 60_000);

  it('plans effects for what happened after a cut-off given with --effects-after', async () => {
    const histories = generateIncidentHistories({ count: 30, seed: 43, startMs: START });
    const jira = await jiraHolding(histories);
    const target = await dynamoTarget();
    const lastDay = NOW - 2 * DAY;
    await backfillIncidents(deps(target, sourceOf(jira)), { since: '2026-09-01', effectsFromMs: lastDay });
    const writer = createRecordingPostmortemWriter();
    const { written } = writer;

    for (const history of histories)
      await processIncident(history.issue.id, {
        store: target.store,
        settings,
        nowMs: () => NOW,
        log: silentLog,
        postmortemRequests: createInProcessPostmortemRequests({
          store: target.store,
          settings,
          nowMs: () => NOW,
          log: silentLog,
          writer,
          ownAccountId: null,
        }),
      });

    const states = await target.store.listStates();
    const resolvedLate = states.filter(
      (state) => state.resolvedAtMs !== null && state.resolvedAtMs >= lastDay,
    );
    expect(written.sort()).toEqual(resolvedLate.map((state) => state.key).sort());
  }, 60_000);

  it('refuses a day it cannot read and a JQL with its own ORDER BY, naming the option', async () => {
    const target = await dynamoTarget();
    const unused = {} as IncidentSource;

    await expect(backfillIncidents(deps(target, unused), { since: '1/1/2025' })).rejects.toThrow(/--since/);
    await expect(
      backfillIncidents(deps(target, unused), { since: '2025-01-01', jql: 'project = OPS ORDER BY key' }),
    ).rejects.toThrow(/--jql: leave ORDER BY out/);
  });
});

describe('the progress line', () => {
  it('shows issues done of the total, the rate and what is left', () => {
    const line = progressLine({ done: 40, skipped: 10, eventsAdded: 1234 }, 100, 0, 10_000, 0);

    // 50 issues left at 4 a second: 12.5 s, rounded up as every duration.
    expect(line).toBe('[############------------] 50/100 issues · 4.0/s · ETA 13s · 1,234 events added');
  });

  it('works without a total', () => {
    expect(progressLine({ done: 3, skipped: 0, eventsAdded: 0 }, null, 0, 1_000, 0)).toBe(
      '3 issues · 3.0/s · ETA ? · 0 events added',
    );
  });
});
