import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createCloudClient } from 'jira.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoReconcileLedger } from '#shared/adapters/dynamo-reconcile-ledger.ts';
import { createJiraIncidentSource } from '#shared/adapters/jira-incident-source.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import { RECONCILER_WATERMARK, reconcileIncidents } from '#shared/use-cases/reconcile-incidents.ts';
import { makeReconcilerHandler } from '../../functions/reconciler/reconciler.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { type MetricTransformation, metricValuesOf } from '../infra/cloudwatch-filter-pattern.ts';
import { synthesizeStack } from '../infra/synthesize-stack.ts';
import { captureLogLines } from '../log-lines.ts';
import { generateIncidentHistories } from '../simulators/jira-history.ts';
import { startJiraSimulator } from '../simulators/jira-simulator.ts';
import { freshDynamoStore } from './dynamo.ts';
import {
  closeSimulatorsAfterEach,
  jiraHolding,
  NOW,
  reading,
  START,
  settings,
} from './jira-history-world.ts';

const METRIC = 'ReconcilerUnfinishedRuns';
const CREDENTIALS = { email: 'bot@example.com', apiToken: 'test-token' };

closeSimulatorsAfterEach();

/** The metric filter and the alarm on its metric, as the synthesized stack deploys them. */
let filter: { readonly pattern: string; readonly transformation: MetricTransformation };
let alarm: { readonly threshold: number; readonly comparison: string; readonly statistic: string };
let outdir: string;

beforeAll(() => {
  const synthesized = synthesizeStack({ bundle: false });
  outdir = synthesized.outdir;
  const [metricFilter] = Object.values(
    synthesized.template.findResources('AWS::Logs::MetricFilter', {
      Properties: { MetricTransformations: [{ MetricName: METRIC }] },
    }),
  );
  const [metricAlarm] = Object.values(
    synthesized.template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: METRIC } }),
  );
  filter = {
    pattern: metricFilter?.Properties.FilterPattern,
    transformation: metricFilter?.Properties.MetricTransformations[0],
  };
  alarm = {
    threshold: metricAlarm?.Properties.Threshold,
    comparison: metricAlarm?.Properties.ComparisonOperator,
    statistic: metricAlarm?.Properties.Statistic,
  };
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

let capture: ReturnType<typeof captureLogLines> | undefined;
afterEach(() => capture?.stop());

/** The reconciler function as handler.ts wires it, against Jira at `jiraUrl`, logging with Powertools. */
async function reconcilerAgainst(jiraUrl: string, credentials = CREDENTIALS) {
  const { client, tableName } = await freshDynamoStore();
  const ledger = createDynamoReconcileLedger(client, tableName);
  const log = createPowertoolsLog('reconciler');
  const source = createJiraIncidentSource(
    createCloudClient({ host: jiraUrl, auth: { type: 'basic', ...credentials } }),
    { initialBackoffMs: 1 },
  );
  const handler = makeReconcilerHandler({
    nowMs: () => NOW,
    log,
    reconcile: (deadlineMs) =>
      reconcileIncidents(
        {
          store: createInMemoryEventStore(),
          source,
          ledger,
          reading,
          incidents: settings.incidents,
          log,
          nowMs: () => NOW,
          concurrency: 8,
        },
        { overlapMinutes: 10, firstRunLookbackHours: 720, deadlineMs },
      ),
  });
  return { handler, ledger };
}

/** What the alarm sees of one run: the filter's values for the run's log lines, summed as the alarm sums. */
function alarmSees(lines: readonly string[]) {
  const values = metricValuesOf(filter.pattern, filter.transformation, lines);
  const sum = values.reduce((total, value) => total + value, 0);
  return { datapoints: values.length, sum, breaching: sum > alarm.threshold };
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('the reconciler could-not-finish alarm', () => {
  it('sums the runs with a greater-than-zero threshold', () => {
    expect(alarm).toEqual({ threshold: 0, comparison: 'GreaterThanThreshold', statistic: 'Sum' });
  });

  it.each([
    [
      'answers 503 to every request',
      async () => {
        const jira = await jiraHolding(generateIncidentHistories({ count: 5, seed: 3, startMs: START }));
        jira.failNext(10_000, 503);
        return jira.baseUrl;
      },
    ],
    ['refuses every connection (a closed port)', closedPortUrl],
  ])('fails the run and moves the alarm when Jira %s', async (_how, jiraUrl) => {
    const { handler } = await reconcilerAgainst(await jiraUrl());
    capture = captureLogLines();

    const run = handler({});

    await expect(run).rejects.toBeInstanceOf(UpstreamUnavailableError);
    capture.stop();
    expect(capture.lines()).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'reconciled', service: 'reconciler', unfinished: 1 }),
    );
    expect(alarmSees(capture.raw)).toMatchObject({ sum: 1, breaching: true });
  });

  it('moves the alarm when a run fails before it reconciles anything (Jira refuses the token)', async () => {
    const jira = await startJiraSimulator({ nowMs: () => NOW });
    const { handler } = await reconcilerAgainst(jira.baseUrl, { ...CREDENTIALS, apiToken: 'revoked-token' });
    capture = captureLogLines();

    const run = handler({});

    await expect(run).rejects.toThrow(/HTTP 401/);
    capture.stop();
    await jira.close();
    expect(capture.lines()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'reconciler could not finish', unfinished: 1 }),
    );
    expect(alarmSees(capture.raw)).toMatchObject({ sum: 1, breaching: true });
  });

  it('brings the alarm back to OK with a run that finishes: its lines count 0', async () => {
    const jira = await jiraHolding(generateIncidentHistories({ count: 5, seed: 3, startMs: START }));
    const { handler, ledger } = await reconcilerAgainst(jira.baseUrl);
    capture = captureLogLines();

    const summary = await handler({});

    capture.stop();
    expect(summary).toMatchObject({ complete: true, unfinished: 0, issuesRead: 5 });
    expect(await ledger.watermark(RECONCILER_WATERMARK)).toBe(NOW);
    expect(alarmSees(capture.raw)).toMatchObject({ sum: 0, breaching: false });
    expect(alarmSees(capture.raw).datapoints).toBeGreaterThan(0);
  });
});
