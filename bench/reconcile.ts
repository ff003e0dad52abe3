import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createCloudClient } from 'jira.js';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createDynamoReconcileLedger } from '#shared/adapters/dynamo-reconcile-ledger.ts';
import { ensureEventTable } from '#shared/adapters/dynamo-table.ts';
import { createJiraIncidentSource } from '#shared/adapters/jira-incident-source.ts';
import { createLocalDynamoClient, startLocalDynamo } from '#shared/adapters/local-dynamo.ts';
import { jiraWebhookSchema, readingOf } from '#shared/jira/jira-webhook.ts';
import type { EventStore } from '#shared/ports.ts';
import { resolveSettings } from '#shared/settings.ts';
import { ingestJiraWebhook } from '#shared/use-cases/ingest-jira-webhook.ts';
import { reconcileIncidents } from '#shared/use-cases/reconcile-incidents.ts';
import { incidentJql, sweep } from '#shared/use-cases/sweep-issues.ts';
import {
  createSeededRandom,
  generateIncidentHistories,
  HISTORY_SPAN_DAYS,
  type SimulatedIssueHistory,
} from '../test/simulators/jira-history.ts';
import {
  JIRA_ENDPOINTS,
  type JiraEndpoint,
  type JiraSimulator,
  startJiraSimulator,
} from '../test/simulators/jira-simulator.ts';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2026, 9, 1);
/** Just after the generated window, so every issue is settled and within the first run's lookback. */
const NOW_MS = START_MS + (HISTORY_SPAN_DAYS + 1) * DAY_MS;
const HISTORY_SEED = 7;
const WARM_UP_ISSUES = 30;
const DELIVERY_WORKERS = 8;
/** High enough that the simulator never answers 429: the figures are the code's cost, not Jira's limit. */
export const SIMULATOR_REQUESTS_PER_SECOND = 100_000;
/** About what Jira Cloud lets one integration sustain; used only for the labelled estimate. */
export const CLOUD_REQUESTS_PER_SECOND = 10;
export const RECONCILE_CONCURRENCY = 4;
export const RECONCILE_OPTIONS = { overlapMinutes: 10, firstRunLookbackHours: 720 } as const;

/** How a measured pass finds the store: after which share of the webhooks, and whether read before. */
export interface ReconcilePassSpec {
  readonly label: string;
  readonly deliveredShare: number;
  /** An earlier pass read every issue first (unmeasured), as the previous hourly runs would have. */
  readonly readBefore?: boolean;
}

/** One pass of the reconciler over every generated issue, after `deliveredShare` of their webhooks. */
export interface ReconcilePass {
  readonly label: string;
  readonly deliveredShare: number;
  readonly readBefore: boolean;
  readonly deliveriesStored: number;
  readonly issueCount: number;
  readonly issuesRead: number;
  readonly eventsAdded: number;
  readonly issuesRepaired: number;
  readonly failedCount: number;
  readonly complete: boolean;
  readonly elapsedMs: number;
  readonly issuesPerSecond: number;
  /** The requests the simulator received during the pass, by endpoint (zero endpoints left out). */
  readonly jiraRequests: Partial<Record<JiraEndpoint, number>>;
  readonly jiraRequestCount: number;
  /** The requests the source says it made (its `onRequest`), to check against what the simulator saw. */
  readonly sourceRequestCount: number;
  readonly dynamoCalls: Record<string, number>;
}

const increment = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Counts the client's DynamoDB commands by name until reset. */
function countCommands(client: DynamoDBClient): { calls: Record<string, number>; reset: () => void } {
  let calls: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => (args) => {
      increment(calls, String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'benchCountCommands' },
  );
  return {
    get calls() {
      return calls;
    },
    reset: () => {
      calls = {};
    },
  };
}

/** Runs `work` over the items with `limit` workers. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const difference = (
  after: Readonly<Record<JiraEndpoint, number>>,
  before: Readonly<Record<JiraEndpoint, number>>,
): Partial<Record<JiraEndpoint, number>> =>
  Object.fromEntries(
    JIRA_ENDPOINTS.map((endpoint) => [endpoint, after[endpoint] - before[endpoint]]).filter(
      ([, count]) => count !== 0,
    ),
  );

/**
 * The reconciler over real HTTP against the Jira simulator, on the DynamoDB adapters over dynalite:
 * one timed pass per share of webhooks delivered beforehand (0 is a cold, backfill-like pass; 1 the
 * common hourly case where nothing needs repair). Each pass gets a fresh table, so a fresh watermark.
 */
export async function measureReconciler(
  issueCount: number,
  passes: readonly ReconcilePassSpec[],
): Promise<ReconcilePass[]> {
  const resolved = resolveSettings([]);
  if (!resolved.ok) throw new Error(resolved.message);
  const settings = resolved.settings;
  const reading = readingOf(settings);
  const histories = generateIncidentHistories({ count: issueCount, seed: HISTORY_SEED, startMs: START_MS });
  const warmUpHistories = generateIncidentHistories({
    count: WARM_UP_ISSUES,
    seed: HISTORY_SEED + 1,
    startMs: START_MS,
  });
  const simulatorOptions = {
    requestsPerSecond: SIMULATOR_REQUESTS_PER_SECOND,
    burst: SIMULATOR_REQUESTS_PER_SECOND,
    nowMs: () => NOW_MS,
  };
  const jira = await startJiraSimulator(simulatorOptions);
  const warmUpJira = await startJiraSimulator(simulatorOptions);
  for (const history of histories) jira.seedIssue(history);
  for (const history of warmUpHistories) warmUpJira.seedIssue(history);
  const dynamo = await startLocalDynamo({ port: 0 });
  const client = createLocalDynamoClient(dynamo.endpoint);
  const counter = countCommands(client);
  let tables = 0;

  const deliver = async (store: EventStore, held: readonly SimulatedIssueHistory[], share: number) => {
    const random = createSeededRandom(HISTORY_SEED);
    // Jira sends one issue's webhooks one after another; issues go side by side.
    const perIssue = held.map((history) => history.deliveries.filter(() => random.next() < share));
    await inPool(perIssue, DELIVERY_WORKERS, async (deliveries) => {
      for (const delivery of deliveries)
        await ingestJiraWebhook(jiraWebhookSchema.parse(delivery.payload), {
          store,
          reading,
          incidents: settings.incidents,
        });
    });
    return perIssue.reduce((sum, deliveries) => sum + deliveries.length, 0);
  };

  const runPass = async (
    simulator: JiraSimulator,
    held: readonly SimulatedIssueHistory[],
    { label, deliveredShare, readBefore = false }: ReconcilePassSpec,
  ): Promise<ReconcilePass> => {
    tables += 1;
    const tableName = `reconcile-bench-${tables}`;
    await ensureEventTable(client, tableName);
    const store = createDynamoEventStore(client, tableName);
    const deliveriesStored = await deliver(store, held, deliveredShare);
    let sourceRequestCount = 0;
    const source = createJiraIncidentSource(
      createCloudClient({
        host: simulator.baseUrl,
        auth: { type: 'basic', email: 'bot@example.com', apiToken: 'test-token' },
      }),
      { onRequest: () => (sourceRequestCount += 1) },
    );
    const ledger = createDynamoReconcileLedger(client, tableName);
    const deps = {
      store,
      ledger,
      readMarks: ledger,
      source,
      reading,
      incidents: settings.incidents,
      log: silentLog,
      nowMs: () => NOW_MS,
      concurrency: RECONCILE_CONCURRENCY,
    };
    // The earlier pass leaves the watermark alone, so the measured one is still a first run over all.
    if (readBefore) await sweep(deps, { jql: incidentJql(settings.incidents) });
    const before = simulator.requestCountByEndpoint;
    sourceRequestCount = 0;
    counter.reset();
    const startedMs = performance.now();
    const run = await reconcileIncidents(deps, RECONCILE_OPTIONS);
    const elapsedMs = performance.now() - startedMs;
    const jiraRequests = difference(simulator.requestCountByEndpoint, before);
    return {
      label,
      deliveredShare,
      readBefore,
      deliveriesStored,
      issueCount: held.length,
      issuesRead: run.issuesRead,
      eventsAdded: run.eventsAdded,
      issuesRepaired: run.repaired.length,
      failedCount: run.failed.length,
      complete: run.complete,
      elapsedMs,
      issuesPerSecond: run.issuesRead / (elapsedMs / 1000),
      jiraRequests,
      jiraRequestCount: Object.values(jiraRequests).reduce((sum, count) => sum + count, 0),
      sourceRequestCount,
      dynamoCalls: { ...counter.calls },
    };
  };

  try {
    // Warm-up on other issues: JIT, the HTTP agent and dynalite, so the first pass measured pays no more.
    await runPass(warmUpJira, warmUpHistories, { label: 'warm-up', deliveredShare: 0.5 });
    const results: ReconcilePass[] = [];
    for (const pass of passes) results.push(await runPass(jira, histories, pass));
    return results;
  } finally {
    client.destroy();
    await dynamo.close();
    await jira.close();
    await warmUpJira.close();
  }
}

/** The passes `npm run bench` measures; run on its own, this file prints their Jira requests per issue. */
export const RECONCILE_PASSES = [
  { label: 'cold: empty store, as a backfill', deliveredShare: 0 },
  {
    label: 'steady: all webhooks delivered, issues read by an earlier pass',
    deliveredShare: 1,
    readBefore: true,
  },
  { label: 'all webhooks delivered, first pass ever', deliveredShare: 1 },
  { label: '70% of webhooks delivered', deliveredShare: 0.7 },
] as const satisfies readonly ReconcilePassSpec[];

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const issueCount = Number(process.argv[2] ?? 300);
  if (!Number.isInteger(issueCount) || issueCount < 1)
    throw new Error(`give the number of issues as a positive integer, got ${process.argv[2]}`);
  for (const pass of await measureReconciler(issueCount, RECONCILE_PASSES)) {
    const perIssue = (count = 0) => (count / pass.issueCount).toFixed(3);
    const byEndpoint = Object.entries(pass.jiraRequests)
      .map(([endpoint, count]) => `${endpoint} ${perIssue(count)}`)
      .join(', ');
    process.stdout.write(
      `${pass.label}: ${perIssue(pass.jiraRequestCount)} Jira requests per issue (${byEndpoint}); ${pass.jiraRequestCount} requests for ${pass.issueCount} issues, ${pass.eventsAdded} events added, ${pass.issuesRepaired} issues repaired, ${(pass.elapsedMs / 1000).toFixed(2)} s\n`,
    );
    if (!pass.complete || pass.issuesRead !== pass.issueCount) process.exitCode = 1;
  }
}
