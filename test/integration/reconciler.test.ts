import fc from 'fast-check';
import { createCloudClient } from 'jira.js';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createDynamoReconcileLedger } from '#shared/adapters/dynamo-reconcile-ledger.ts';
import { createJiraIncidentSource } from '#shared/adapters/jira-incident-source.ts';
import { foldIncident, type IncidentState } from '#shared/domain/timeline.ts';
import type { EventStore, ReconcileLedger } from '#shared/ports.ts';
import { reconcileIncidents } from '#shared/use-cases/reconcile-incidents.ts';
import type { ReconcileDeps } from '#shared/use-cases/sweep-issues.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { createInMemoryReconcileLedger } from '../fakes/in-memory-reconcile-ledger.ts';
import {
  createSeededRandom,
  generateIncidentHistories,
  type SimulatedIssueHistory,
  type WebhookDelivery,
} from '../simulators/jira-history.ts';
import type { JiraSimulator } from '../simulators/jira-simulator.ts';
import { freshDynamoStore } from './dynamo.ts';
import {
  closeSimulators,
  closeSimulatorsAfterEach,
  deliver,
  jiraHolding,
  NOW,
  reading,
  START,
  settings,
} from './jira-history-world.ts';

const CREDENTIALS = { email: 'bot@example.com', apiToken: 'test-token' };

closeSimulatorsAfterEach();

function deps(jira: JiraSimulator, store: EventStore, ledger: ReconcileLedger): ReconcileDeps {
  const client = createCloudClient({ host: jira.baseUrl, auth: { type: 'basic', ...CREDENTIALS } });
  return {
    store,
    ledger,
    source: createJiraIncidentSource(client),
    reading,
    incidents: settings.incidents,
    log: silentLog,
    nowMs: () => NOW,
    concurrency: 8,
  };
}

/** The state minus the bookkeeping of how many facts were stored: the reconciler cannot see an edited
 * comment's earlier versions, a comment deleted before anyone read it, or edits of untracked fields. */
function meaning(state: IncidentState | null) {
  if (state === null) return null;
  const { eventCount: _count, lastEventAtMs: _last, ...rest } = state;
  return rest;
}

async function statesOf(store: EventStore, histories: readonly SimulatedIssueHistory[]) {
  const states = new Map<string, ReturnType<typeof meaning>>();
  for (const history of histories)
    states.set(history.issue.key, meaning(foldIncident(await store.loadEvents(history.issue.id), settings)));
  return states;
}

/** A random share of the deliveries, shuffled, some sent twice: what a flaky endpoint receives. */
function lossy(deliveries: readonly WebhookDelivery[], seed: number, share: number): WebhookDelivery[] {
  const random = createSeededRandom(seed);
  const kept = deliveries.filter(() => random.next() < share);
  const twice = kept.filter(() => random.next() < 0.1);
  const all = [...kept, ...twice];
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random.next() * (i + 1));
    [all[i], all[j]] = [all[j] as WebhookDelivery, all[i] as WebhookDelivery];
  }
  return all;
}

async function expectConvergence(histories: readonly SimulatedIssueHistory[], seed: number, share: number) {
  const complete = createInMemoryEventStore();
  await deliver(
    complete,
    histories.flatMap((history) => history.deliveries),
  );
  const repaired = createInMemoryEventStore();
  await deliver(
    repaired,
    lossy(
      histories.flatMap((history) => history.deliveries),
      seed,
      share,
    ),
  );
  const jira = await jiraHolding(histories);

  const run = await reconcileIncidents(deps(jira, repaired, createInMemoryReconcileLedger()), {
    overlapMinutes: 10,
    firstRunLookbackHours: 720,
  });

  expect(run.complete).toBe(true);
  expect(run.issuesRead).toBe(histories.length);
  const expected = await statesOf(complete, histories);
  const actual = await statesOf(repaired, histories);
  for (const history of histories)
    expect(actual.get(history.issue.key)).toEqual(expected.get(history.issue.key));
  return { run, jira };
}

describe('the reconciler against the Jira simulator', () => {
  // About 60 s on a quiet 2-core machine, up to 190 s when it is shared: the budget allows for that.
  it('converges 1,000 incidents to the state all their webhooks give, from 70% of them shuffled', async () => {
    const histories = generateIncidentHistories({ count: 1_000, seed: 7, startMs: START });

    const { run, jira } = await expectConvergence(histories, 11, 0.7);

    expect(run.eventsAdded).toBeGreaterThan(1_000);
    expect(run.repaired.length).toBeGreaterThan(900);
    // One search page per 100 issues, which embeds the histories and comments of all but the long ones:
    // every 25th issue has more than the 40 histories or the 100 comments a search page carries.
    expect(jira.requestCountByEndpoint['search/jql']).toBe(10);
    expect(jira.requestCountByEndpoint.changelog).toBeGreaterThanOrEqual(40);
    expect(jira.requestCountByEndpoint.changelog).toBeLessThan(100);
    expect(jira.requestCountByEndpoint.comment).toBeGreaterThanOrEqual(80);
    expect(jira.requestCountByEndpoint.comment).toBeLessThan(150);
  }, 300_000);

  it('converges whatever share of webhooks arrived, in any order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (historySeed, deliverySeed, share) => {
          const histories = generateIncidentHistories({ count: 25, seed: historySeed, startMs: START });
          await expectConvergence(histories, deliverySeed, share);
          await closeSimulators();
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);

  it('stores nothing when every webhook arrived, so a healthy hour repairs nothing', async () => {
    const histories = generateIncidentHistories({ count: 40, seed: 3, startMs: START });
    const store = createInMemoryEventStore();
    await deliver(
      store,
      histories.flatMap((history) => history.deliveries),
    );
    const jira = await jiraHolding(histories);
    const before = store.events.size;

    const run = await reconcileIncidents(deps(jira, store, createInMemoryReconcileLedger()), {
      overlapMinutes: 10,
      firstRunLookbackHours: 720,
    });

    expect(run.eventsAdded).toBe(0);
    expect(run.repaired).toEqual([]);
    expect(store.events.size).toBe(before);
  });

  it('asks only for what changed since the watermark (minus the overlap), and moves it to the run start', async () => {
    const histories = generateIncidentHistories({ count: 30, seed: 5, startMs: START });
    const jira = await jiraHolding(histories);
    const ledger = createInMemoryReconcileLedger();
    const lastChange = Math.max(...histories.map((history) => Date.parse(history.issue.fields.updated)));
    await ledger.saveWatermark('incidents', lastChange + 60 * 60_000);

    const run = await reconcileIncidents(deps(jira, createInMemoryEventStore(), ledger), {
      overlapMinutes: 10,
      firstRunLookbackHours: 720,
    });

    expect(run.issuesRead).toBe(0);
    expect(run.jql).toMatch(/updated >= -\d+m ORDER BY updated ASC$/);
    expect(ledger.marks.get('incidents')).toBe(NOW);
  });

  it('keeps the watermark short of a page it could not finish, and finishes it on the next run', async () => {
    const histories = generateIncidentHistories({ count: 150, seed: 9, startMs: START });
    const jira = await jiraHolding(histories);
    const ledger = createInMemoryReconcileLedger();
    const store = createInMemoryEventStore();
    const reconcile = () =>
      reconcileIncidents(deps(jira, store, ledger), { overlapMinutes: 10, firstRunLookbackHours: 720 });
    // One issue of the second page is refused (a 403 is not retried): that page is not finished.
    const first = await reconcileIncidents(
      {
        ...deps(jira, store, ledger),
        source: {
          ...deps(jira, store, ledger).source,
          historyOf: async (issue) => {
            if (issue.key === histories[140]?.issue.key) throw new Error('Jira refused (HTTP 403)');
            return deps(jira, store, ledger).source.historyOf(issue);
          },
        },
      },
      { overlapMinutes: 10, firstRunLookbackHours: 720 },
    );

    expect(first.complete).toBe(false);
    expect(first.failed.map((failure) => failure.key)).toEqual([histories[140]?.issue.key]);
    const firstPageLatest = first.processedUntilMs;
    expect(firstPageLatest).not.toBeNull();
    expect(ledger.marks.get('incidents')).toBe(firstPageLatest);
    expect(ledger.marks.get('incidents')).toBeLessThan(NOW);

    const second = await reconcile();

    expect(second.complete).toBe(true);
    expect(ledger.marks.get('incidents')).toBe(NOW);
    expect(second.repaired.map((repair) => repair.key)).toContain(histories[140]?.issue.key);
  });

  it('slows down through a 429 storm and 5xx answers, and still finishes', async () => {
    const histories = generateIncidentHistories({ count: 20, seed: 13, startMs: START });
    const jira = await jiraHolding(histories);
    const store = createInMemoryEventStore();
    jira.rateLimitStorm(1_500);
    const started = performance.now();

    const run = await reconcileIncidents(
      {
        ...deps(jira, store, createInMemoryReconcileLedger()),
        source: createJiraIncidentSource(
          createCloudClient({ host: jira.baseUrl, auth: { type: 'basic', ...CREDENTIALS } }),
          { initialBackoffMs: 20 },
        ),
      },
      { overlapMinutes: 10, firstRunLookbackHours: 720 },
    );

    expect(run.complete).toBe(true);
    expect(run.issuesRead).toBe(20);
    expect(jira.rateLimitedCount).toBeGreaterThan(0);
    // It waited out Retry-After (whole seconds) instead of hammering: few 429s for many requests.
    expect(jira.rateLimitedCount).toBeLessThan(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
  }, 30_000);

  it('retries 5xx answers with backoff and loses nothing', async () => {
    const histories = generateIncidentHistories({ count: 10, seed: 17, startMs: START });
    const jira = await jiraHolding(histories);
    const store = createInMemoryEventStore();
    jira.failNext(6, 503);

    const run = await reconcileIncidents(
      {
        ...deps(jira, store, createInMemoryReconcileLedger()),
        source: createJiraIncidentSource(
          createCloudClient({ host: jira.baseUrl, auth: { type: 'basic', ...CREDENTIALS } }),
          { initialBackoffMs: 10 },
        ),
      },
      { overlapMinutes: 10, firstRunLookbackHours: 720 },
    );

    expect(run.complete).toBe(true);
    expect(run.repaired).toHaveLength(10);
  });

  it('works on the DynamoDB store and ledger (dynalite)', async () => {
    const histories = generateIncidentHistories({ count: 30, seed: 21, startMs: START });
    const { client, tableName, store } = await freshDynamoStore();
    await deliver(
      store,
      lossy(
        histories.flatMap((history) => history.deliveries),
        2,
        0.5,
      ),
    );
    const jira = await jiraHolding(histories);
    const ledger = createDynamoReconcileLedger(client, tableName);

    const run = await reconcileIncidents(deps(jira, store, ledger), {
      overlapMinutes: 10,
      firstRunLookbackHours: 720,
    });

    expect(run.complete).toBe(true);
    expect(await ledger.watermark('incidents')).toBe(NOW);
    const complete = createInMemoryEventStore();
    await deliver(
      complete,
      histories.flatMap((history) => history.deliveries),
    );
    expect(await statesOf(store, histories)).toEqual(await statesOf(complete, histories));
  }, 60_000);
});
