import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { type AttributeValue, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ensureEventTable } from '#shared/adapters/dynamo-table.ts';
import { createLocalDynamoClient, startLocalDynamo } from '#shared/adapters/local-dynamo.ts';
import type { Log } from '#shared/ports.ts';
import { resolveSettings } from '#shared/settings.ts';
import { demoLifecycle } from '../bin/demo-lifecycle.ts';
import { startLocalServer } from '../bin/local-server.ts';
import { batchChannel, type LocalBatchMessage } from '../bin/local-stream.ts';
import type { SenderAnswer, SenderJob, SenderResult } from './jira-sender-thread.ts';
import { measureNotifyLatency } from './notify.ts';
import { percentile } from './stats.ts';

/**
 * One timed pass: each request's latency, the time until the last answer, the wall time until the
 * work the pass caused was done, the DynamoDB calls made, and the local processor's batches and
 * folds (one per incident per batch).
 */
export interface Sample {
  readonly latenciesMs: number[];
  readonly answeredMs: number;
  readonly elapsedMs: number;
  readonly dynamoCalls: Record<string, number>;
  readonly batches: number;
  readonly folds: number;
}

export interface Throughput {
  readonly count: number;
  readonly elapsedMs: number;
  /** Requests answered per second: the first request sent to the last answer received. */
  readonly perSecond: number;
  /** Requests per second until everything they caused was done (the processor's folds included). */
  readonly settledPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** DynamoDB calls by operation, per request sent. */
  readonly dynamoCallsPerRequest: Record<string, number>;
  /** Incidents the local processor folded, per request sent (0 on a path without one). */
  readonly foldsPerRequest: number;
  /** Batches the local processor was handed, per request sent. */
  readonly batchesPerRequest: number;
}

/** Passes of one path pooled: total count over total time, percentiles over every request. */
export function summarize(samples: readonly Sample[]): Throughput {
  const latenciesMs = samples.flatMap((sample) => sample.latenciesMs);
  const elapsedMs = samples.reduce((sum, sample) => sum + sample.elapsedMs, 0);
  const answeredMs = samples.reduce((sum, sample) => sum + sample.answeredMs, 0);
  const folds = samples.reduce((sum, sample) => sum + sample.folds, 0);
  const batches = samples.reduce((sum, sample) => sum + sample.batches, 0);
  const calls: Record<string, number> = {};
  for (const sample of samples) {
    for (const [operation, count] of Object.entries(sample.dynamoCalls)) {
      calls[operation] = (calls[operation] ?? 0) + count;
    }
  }
  return {
    count: latenciesMs.length,
    elapsedMs,
    perSecond: latenciesMs.length / (answeredMs / 1000),
    settledPerSecond: latenciesMs.length / (elapsedMs / 1000),
    p50Ms: percentile(latenciesMs, 0.5),
    p99Ms: percentile(latenciesMs, 0.99),
    dynamoCallsPerRequest: Object.fromEntries(
      Object.entries(calls).map(([operation, count]) => [operation, count / latenciesMs.length]),
    ),
    foldsPerRequest: folds / latenciesMs.length,
    batchesPerRequest: batches / latenciesMs.length,
  };
}

const increment = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** How a pass sent its requests: each answer's latency, and absolute times (timeOrigin + now). */
interface Driven {
  readonly latenciesMs: number[];
  readonly startedAtMs: number;
  readonly lastAnswerAtMs: number;
}

const absoluteNow = (): number => performance.timeOrigin + performance.now();

/**
 * Sends groups with `concurrency` workers in this thread; a worker takes a whole group and sends it in
 * order, as Jira delivers one issue's webhooks one after another.
 */
async function sendGroupsHere<T>(
  groups: readonly (readonly T[])[],
  concurrency: number,
  send: (item: T) => Promise<void>,
): Promise<Driven> {
  const latenciesMs: number[] = [];
  let next = 0;
  let lastAnswerAtMs = 0;
  const worker = async (): Promise<void> => {
    for (let group = next++; group < groups.length; group = next++) {
      for (const item of groups[group] ?? []) {
        const startedMs = performance.now();
        await send(item);
        lastAnswerAtMs = absoluteNow();
        latenciesMs.push(performance.now() - startedMs);
      }
    }
  };
  const startedAtMs = absoluteNow();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latenciesMs, startedAtMs, lastAnswerAtMs };
}

/**
 * One measured pass: `drive` sends the requests, then `settle` waits until the work they caused is
 * done; the DynamoDB calls this thread made and the local processor's batches are counted meanwhile.
 */
async function measurePass(
  drive: () => Promise<Driven>,
  settle: () => Promise<unknown> = async () => {},
): Promise<Sample> {
  const dynamoCalls: Record<string, number> = {};
  // Every SDK call is one HTTP request naming its operation; passes run one at a time, so all are ours.
  const countCall = (message: unknown): void => {
    const target = (message as { request: { getHeader(name: string): unknown } }).request.getHeader(
      'x-amz-target',
    );
    if (typeof target === 'string') increment(dynamoCalls, target.replace(/^DynamoDB_\d+\./, ''));
  };
  let batches = 0;
  let folds = 0;
  const countBatch = (message: unknown): void => {
    batches += 1;
    folds += (message as LocalBatchMessage).incidents;
  };
  subscribe('http.client.request.start', countCall);
  batchChannel.subscribe(countBatch);
  try {
    const driven = await drive();
    // The pass ends when the work it caused is done, not when the last answer came back.
    await settle();
    return {
      latenciesMs: driven.latenciesMs,
      answeredMs: driven.lastAnswerAtMs - driven.startedAtMs,
      elapsedMs: absoluteNow() - driven.startedAtMs,
      dynamoCalls,
      batches,
      folds,
    };
  } finally {
    unsubscribe('http.client.request.start', countCall);
    batchChannel.unsubscribe(countBatch);
  }
}

/** Jira's side of a pass, sent from a thread of its own (bench/jira-sender-thread.ts). */
async function sendFromThread(job: SenderJob): Promise<SenderResult> {
  const thread = new Worker(new URL('./jira-sender-thread.ts', import.meta.url), { workerData: job });
  try {
    return await new Promise<SenderResult>((resolve, reject) => {
      thread.once('message', resolve);
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`the sender thread ended (exit code ${code}) early`)));
    });
  } finally {
    await thread.terminate();
  }
}

/** A log that prints nothing but counts what the server warned or complained about. */
function createCountingLog(): { log: Log; complaints: Record<string, number> } {
  const complaints: Record<string, number> = {};
  return {
    log: {
      info: () => {},
      warn: (message) => increment(complaints, `warn: ${message}`),
      error: (message) => increment(complaints, `error: ${message}`),
    },
    complaints,
  };
}

const FIRST_OPENED_MS = Date.UTC(2026, 0, 5, 9);

/** What the webhook path answered over every pass, warm-up included. */
export interface IngestReport {
  readonly statuses: Record<string, number>;
  readonly outcomes: Record<string, number>;
  readonly failures: string[];
  readonly complaints: Record<string, number>;
  readonly incidentsSent: number;
  readonly incidentsListed: number;
}

/** The local server (dynalite in memory, the real handlers) fed signed demo lifecycles over fetch. */
export async function startWebhookIngest(concurrency: number) {
  const secret = randomBytes(24).toString('base64url');
  const settings = resolveSettings([]);
  if (!settings.ok) throw new Error(settings.message);
  const { log, complaints } = createCountingLog();
  // The table in memory, as the bare loop's; the processor's journal on disk, as `npm start` keeps it.
  const journalDir = mkdtempSync(join(tmpdir(), 'incident-flow-bench-journal-'));
  const server = await startLocalServer({
    port: 0,
    dynamoPort: 0,
    dataDir: undefined,
    settings: settings.settings,
    webhookSecrets: { current: secret },
    log,
    processorJournalPath: join(journalDir, 'unfolded-incidents.txt'),
  });
  const endpoint = `${server.url}/webhooks/jira`;
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const failures: string[] = [];
  let incidentsSent = 0;

  const tally = (answer: SenderAnswer): void => {
    if (answer.status === 0) {
      increment(statuses, 'network error');
      if (failures.length < 5) failures.push(`${answer.label}: ${answer.text}`);
      return;
    }
    increment(statuses, String(answer.status));
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(answer.text) as Record<string, unknown>;
    } catch {}
    increment(outcomes, ['stored', 'duplicate', 'ignored'].find((kind) => kind in parsed) ?? 'other');
    if (answer.status >= 400 && failures.length < 5)
      failures.push(`${answer.status} ${answer.label}: ${answer.text}`);
  };

  const liveFromMs = Date.now() - 3 * 3_600_000;
  return {
    /** Sends the lifecycles of `incidentCount` new incidents; signing happens before the clock starts. */
    async run(incidentCount: number): Promise<Sample> {
      const lifecycles = Array.from({ length: incidentCount }, () => {
        const n = incidentsSent++;
        // Live traffic: incidents of the last hours, as a team's webhooks arrive (a late event of a week
        // already over costs the processor one more write, to forget that week's summary).
        return demoLifecycle(
          { issueId: String(10_000 + n), key: `INC-${n + 1}`, openedAtMs: liveFromMs - n * 60_000 },
          secret,
        );
      });
      return measurePass(
        async () => {
          const sent = await sendFromThread({ endpoint, concurrency, groups: lifecycles });
          for (const answer of sent.answers) tally(answer);
          return {
            latenciesMs: sent.answers.map((answer) => answer.latencyMs),
            startedAtMs: sent.startedAtMs,
            lastAnswerAtMs: sent.lastAnswerAtMs,
          };
        },
        () => server.drain(),
      );
    },
    deliveriesPerIncident: demoLifecycle({ issueId: '1', key: 'INC-0', openedAtMs: FIRST_OPENED_MS }).length,
    async report(): Promise<IngestReport> {
      const response = await fetch(`${server.url}/incidents`);
      const listed = ((await response.json()) as { incidents?: unknown[] }).incidents?.length ?? 0;
      return { statuses, outcomes, failures, complaints, incidentsSent, incidentsListed: listed };
    },
    async close(): Promise<void> {
      await server.close();
      rmSync(journalDir, { recursive: true, force: true });
    },
  };
}

const isNewEvent = 'attribute_not_exists(sk)';
const BARE_TABLE = 'bench-bare';

/** An item shaped like a stored status change, padded to about `bytes` of JSON. */
export function eventLikeItem(
  incident: number,
  index: number,
  bytes: number,
): Record<string, AttributeValue> {
  const issueId = String(10_000 + incident);
  const eventId = `${issueId}-changelog-${index}`;
  const item: Record<string, AttributeValue> = {
    pk: { S: `INCIDENT#${issueId}` },
    sk: { S: `EVENT#${eventId}` },
    event: {
      M: {
        kind: { S: 'status-changed' },
        eventId: { S: eventId },
        issueId: { S: issueId },
        atMs: { N: String(FIRST_OPENED_MS + index * 60_000) },
        from: { M: { id: { S: '10103' }, name: { S: 'Investigating' } } },
        to: { M: { id: { S: '10104' }, name: { S: 'Mitigating' } } },
        issue: {
          M: {
            key: { S: `INC-${incident + 1}` },
            summary: { S: 'Checkout payments failing for card customers' },
            issueType: { S: 'Incident' },
            priority: { S: 'Highest' },
            labels: { L: [{ S: 'incident' }, { S: 'payments' }] },
            components: { L: [{ S: 'checkout-api' }] },
            assignee: {
              M: { accountId: { S: '5b10a2844c20165700ede21g' }, displayName: { S: 'Mia Commander' } },
            },
          },
        },
      },
    },
  };
  const padding = Math.max(0, bytes - JSON.stringify(item).length - 20);
  item.note = { S: 'x'.repeat(padding) };
  return item;
}

/** A separate in-memory dynalite taking conditional PutItems of event-sized items: the ceiling. */
export async function startBareConditionalPut(concurrency: number, itemBytes: number) {
  const dynamo = await startLocalDynamo({ port: 0, dataDir: undefined });
  const client = createLocalDynamoClient(dynamo.endpoint);
  await ensureEventTable(client, BARE_TABLE);
  const errors: Record<string, number> = {};
  let groupsSent = 0;

  const put = async (item: Record<string, AttributeValue>): Promise<void> => {
    try {
      await client.send(
        new PutItemCommand({ TableName: BARE_TABLE, Item: item, ConditionExpression: isNewEvent }),
      );
    } catch (error) {
      increment(errors, (error as Error).name);
    }
  };

  return {
    itemBytes: JSON.stringify(eventLikeItem(0, 0, itemBytes)).length,
    /** Puts `groupCount` groups of `groupSize` new items, each group in order like one incident's events. */
    async run(groupCount: number, groupSize: number): Promise<Sample> {
      const groups = Array.from({ length: groupCount }, () => {
        const incident = groupsSent++;
        return Array.from({ length: groupSize }, (_, index) => eventLikeItem(incident, index, itemBytes));
      });
      return measurePass(() => sendGroupsHere(groups, concurrency, put));
    },
    errors,
    async close(): Promise<void> {
      client.destroy();
      await dynamo.close();
    },
  };
}

/** What batching only under load must give (issue 15), each against what the same run measured. */
export const INGEST_GOALS = {
  /** Webhook → message in the outbox, one lifecycle at a time. */
  notifyP99Ms: 50,
  /** Webhooks done per second (folds included) under the burst, as a share of the bare put loop's. */
  doneShareOfBare: 0.75,
  /** The webhook's answer p99 under the burst, as a multiple of the bare put's p99. */
  answerP99OfBare: 2,
  /** Incidents folded per webhook under the burst: no more than the 250 ms poll cost. */
  foldsPerWebhook: 0.11,
} as const;

/**
 * `node bench/ingest.ts`: the burst against the bare loop and the notification latency at low load,
 * side by side, with a verdict for each goal and the machine's load before and after.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      incidents: { type: 'string', default: '150' },
      concurrency: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '2' },
      'item-bytes': { type: 'string', default: '1500' },
      'notify-incidents': { type: 'string', default: '20' },
    },
  });
  const whole = (name: keyof typeof values): number => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  const [incidentCount, concurrency, rounds] = [whole('incidents'), whole('concurrency'), whole('rounds')];
  const out = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  const load = (): string =>
    loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
  const fixed = (value: number, digits = 1): string => value.toFixed(digits);
  const verdict = (met: boolean): string => (met ? 'met' : 'NOT MET');
  out(`node ${process.version}, ${availableParallelism()} cpus, load average before: ${load()}`);

  const webhook = await startWebhookIngest(concurrency);
  const bare = await startBareConditionalPut(concurrency, whole('item-bytes'));
  let bareFigures: Throughput;
  let webhookFigures: Throughput;
  try {
    // Warm-up, then alternating rounds so that the machine's noise falls on both paths alike.
    await bare.run(Math.max(concurrency, 5), webhook.deliveriesPerIncident);
    await webhook.run(Math.max(concurrency, 5));
    const bareSamples: Sample[] = [];
    const webhookSamples: Sample[] = [];
    for (let r = 0; r < rounds; r++) {
      const roundIncidents = Math.floor(incidentCount / rounds) + (r < incidentCount % rounds ? 1 : 0);
      bareSamples.push(await bare.run(roundIncidents, webhook.deliveriesPerIncident));
      webhookSamples.push(await webhook.run(roundIncidents));
    }
    bareFigures = summarize(bareSamples);
    webhookFigures = summarize(webhookSamples);
    const report = await webhook.report();
    if (Object.keys(report.statuses).some((status) => !['200', '202'].includes(status))) {
      out(`webhook statuses: ${JSON.stringify(report.statuses)}; ${report.failures.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await webhook.close();
    await bare.close();
  }
  const notify = await measureNotifyLatency(whole('notify-incidents'));

  const doneShare = webhookFigures.settledPerSecond / bareFigures.settledPerSecond;
  const p99OfBare = webhookFigures.p99Ms / bareFigures.p99Ms;
  out(
    `Burst: ${webhookFigures.count} signed webhooks (${incidentCount} lifecycles) and as many bare conditional puts, concurrency ${concurrency}, ${rounds} alternating rounds`,
  );
  out(
    `  bare put:  done/s ${fixed(bareFigures.settledPerSecond, 0)}, answer p50 ${fixed(bareFigures.p50Ms, 2)} ms, p99 ${fixed(bareFigures.p99Ms, 2)} ms`,
  );
  out(
    `  webhook:   done/s ${fixed(webhookFigures.settledPerSecond, 0)} (answered/s ${fixed(webhookFigures.perSecond, 0)}), answer p50 ${fixed(webhookFigures.p50Ms, 2)} ms, p99 ${fixed(webhookFigures.p99Ms, 2)} ms; ${fixed(1 / webhookFigures.batchesPerRequest, 1)} webhooks per batch`,
  );
  const perRequest = (calls: Record<string, number>): string =>
    Object.entries(calls)
      .map(([operation, count]) => `${operation} ${fixed(count, 2)}`)
      .join(', ') || 'none';
  out(
    `  DynamoDB calls per request: bare ${perRequest(bareFigures.dynamoCallsPerRequest)}; webhook ${perRequest(webhookFigures.dynamoCallsPerRequest)} (folds included)`,
  );
  out(
    `Low load: ${notify.notifyingWebhooks} of ${notify.webhooks} webhooks notified, one lifecycle at a time; webhook → outbox p50 ${fixed(notify.p50Ms)} ms, p99 ${fixed(notify.p99Ms)} ms`,
  );
  const goals: [string, string, boolean][] = [
    [
      'webhook → outbox p99, low load',
      `${fixed(notify.p99Ms)} ms ≤ ${INGEST_GOALS.notifyP99Ms} ms`,
      notify.p99Ms <= INGEST_GOALS.notifyP99Ms,
    ],
    [
      'burst done/s vs bare put',
      `${fixed(doneShare, 2)}× ≥ ${INGEST_GOALS.doneShareOfBare}×`,
      doneShare >= INGEST_GOALS.doneShareOfBare,
    ],
    [
      'burst answer p99 vs bare put p99',
      `${fixed(p99OfBare, 2)}× ≤ ${INGEST_GOALS.answerP99OfBare}×`,
      p99OfBare <= INGEST_GOALS.answerP99OfBare,
    ],
    [
      'burst folds per webhook',
      `${fixed(webhookFigures.foldsPerRequest, 3)} ≤ ${INGEST_GOALS.foldsPerWebhook}`,
      webhookFigures.foldsPerRequest <= INGEST_GOALS.foldsPerWebhook,
    ],
  ];
  for (const [name, figure, met] of goals) out(`  ${verdict(met).padEnd(7)}  ${name}: ${figure}`);
  out(`load average after: ${load()}`);
}

if (import.meta.main) await main();
