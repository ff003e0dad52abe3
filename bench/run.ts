import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BASELINE_NAME, buildBundles, measureColdImports } from './bundles.ts';
import { type Sample, startBareConditionalPut, startWebhookIngest, summarize } from './ingest.ts';
import { measureNotifyLatency } from './notify.ts';
import {
  CLOUD_REQUESTS_PER_SECOND,
  measureReconciler,
  RECONCILE_CONCURRENCY,
  RECONCILE_OPTIONS,
  RECONCILE_PASSES,
  type ReconcilePass,
  SIMULATOR_REQUESTS_PER_SECOND,
} from './reconcile.ts';
import { measureReportScale } from './report.ts';
import { percentile, round } from './stats.ts';

const TARGETS = { webhookImportRatio: 1.25, ingestShareOfBare: 0.5 } as const;
const WEBHOOK_FUNCTION = 'jira-webhook';

const { values: options } = parseArgs({
  options: {
    incidents: { type: 'string', default: '150' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
    imports: { type: 'string', default: '20' },
    'item-bytes': { type: 'string', default: '1500' },
    'report-sizes': { type: 'string', default: '1000,10000,100000' },
    'reconcile-issues': { type: 'string', default: '300' },
  },
});
const positive = (name: keyof typeof options): number => {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, got ${options[name]}`);
  return value;
};
const incidentCount = positive('incidents');
const concurrency = positive('concurrency');
const rounds = positive('rounds');
const importRounds = positive('imports');
const itemBytes = positive('item-bytes');
const reconcileIssues = positive('reconcile-issues');
const reportSizes = (options['report-sizes'] ?? '').split(',').map((size) => {
  const value = Number(size);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--report-sizes takes whole numbers, got ${size}`);
  return value;
});

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outDir = join(root, 'bench', '.out');
mkdirSync(outDir, { recursive: true });

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
/** Left-aligns the first column and right-aligns the rest. */
const table = (rows: readonly (readonly string[])[]): void => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of rows)
    out(
      `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('   ')}`,
    );
};
const fixed = (value: number, digits = 1): string => value.toFixed(digits);
const verdict = (met: boolean): string => (met ? 'met' : 'NOT MET');
const tally = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([key, count]) => `${key} × ${count}`)
    .join(', ') || 'none';

const cpuModel = cpus()[0]?.model.trim() ?? 'unknown cpu';
out(
  `Incident Flow bench: node ${process.version}, ${platform()} ${arch()}, ${availableParallelism()} cpus (${cpuModel})`,
);
out();

// Bundles and cold imports first, while no server is competing for the cpus.
const bundles = await buildBundles(root, outDir);
const importsMs = await measureColdImports(bundles, importRounds);
const baseline = bundles.find((bundle) => bundle.name === BASELINE_NAME);
const baselineMedianMs = percentile(importsMs.get(BASELINE_NAME) ?? [], 0.5);
const bundleResults = bundles.map((bundle) => {
  const samples = importsMs.get(bundle.name) ?? [];
  const medianMs = percentile(samples, 0.5);
  return {
    name: bundle.name,
    bytes: bundle.bytes,
    sizeRatio: bundle.bytes / (baseline?.bytes ?? Number.NaN),
    importMedianMs: medianMs,
    importP90Ms: percentile(samples, 0.9),
    importRatio: medianMs / baselineMedianMs,
    importSamplesMs: samples.map((ms) => round(ms)),
  };
});
const webhookBundle = bundleResults.find((result) => result.name === WEBHOOK_FUNCTION);
const webhookImportMet =
  webhookBundle !== undefined && webhookBundle.importRatio <= TARGETS.webhookImportRatio;

out(
  `Bundles: esbuild, minified ESM for node24, AWS SDK bundled; cold import = await import() in a fresh node, ${importRounds} runs each, round-robin`,
);
table([
  ['bundle', 'size KB', '× bare', 'import p50 ms', 'p90 ms', '× bare p50', 'target'],
  ...bundleResults.map((result) => [
    result.name,
    fixed(result.bytes / 1024),
    fixed(result.sizeRatio, 2),
    fixed(result.importMedianMs),
    fixed(result.importP90Ms),
    fixed(result.importRatio, 2),
    result.name === WEBHOOK_FUNCTION ? `≤ ${TARGETS.webhookImportRatio}×: ${verdict(webhookImportMet)}` : '',
  ]),
]);
out();

const webhook = await startWebhookIngest(concurrency);
const bare = await startBareConditionalPut(concurrency, itemBytes);
const perIncident = webhook.deliveriesPerIncident;
try {
  // Warm-up: JIT, connection pools and both tables, then alternate so noise falls on both paths.
  await bare.run(Math.max(concurrency, 5), perIncident);
  await webhook.run(Math.max(concurrency, 5));
  const bareSamples: Sample[] = [];
  const webhookSamples: Sample[] = [];
  for (let r = 0; r < rounds; r++) {
    const roundIncidents = Math.floor(incidentCount / rounds) + (r < incidentCount % rounds ? 1 : 0);
    bareSamples.push(await bare.run(roundIncidents, perIncident));
    webhookSamples.push(await webhook.run(roundIncidents));
  }
  const bareFigures = summarize(bareSamples);
  const webhookFigures = summarize(webhookSamples);
  // Held to what was done, not just answered: a pass ends when the processor has folded all it caused.
  const shareOfBare = webhookFigures.settledPerSecond / bareFigures.settledPerSecond;
  const report = await webhook.report();
  const failed = Object.entries(report.statuses).filter(([status]) => !['200', '202'].includes(status));

  out(
    `Ingest: ${incidentCount} incidents × ${perIncident} deliveries = ${webhookFigures.count} requests per path, concurrency ${concurrency}, ${rounds} alternating rounds after a warm-up`,
  );
  table([
    ['path', 'answered/s', 'done/s', 'p50 ms', 'p99 ms', '× bare done/s', 'target'],
    [
      'bare dynalite conditional PutItem',
      fixed(bareFigures.perSecond, 0),
      fixed(bareFigures.settledPerSecond, 0),
      fixed(bareFigures.p50Ms, 2),
      fixed(bareFigures.p99Ms, 2),
      '1.00',
      '',
    ],
    [
      'signed webhook → local server → dynalite',
      fixed(webhookFigures.perSecond, 0),
      fixed(webhookFigures.settledPerSecond, 0),
      fixed(webhookFigures.p50Ms, 2),
      fixed(webhookFigures.p99Ms, 2),
      fixed(shareOfBare, 2),
      `≥ ${TARGETS.ingestShareOfBare}×: ${verdict(shareOfBare >= TARGETS.ingestShareOfBare)}`,
    ],
  ]);
  const perRequest = (calls: Record<string, number>): string =>
    Object.entries(calls)
      .map(([operation, count]) => `${operation} ${fixed(count, 2)}`)
      .join(', ') || 'none';
  out(
    `  dynamo calls per request: bare ${perRequest(bareFigures.dynamoCallsPerRequest)}; webhook ${perRequest(webhookFigures.dynamoCallsPerRequest)}`,
  );
  out(
    '  answered/s: requests over the time to the last answer; done/s: over the time until the processor had folded everything too (the target is on done/s); latencies are to the answer',
  );
  out(
    `  the processor folds after answering, at once when idle and in batches under load: ${fixed(webhookFigures.foldsPerRequest, 3)} folds per webhook here, where each incident's webhooks come back to back`,
  );
  out(`  bare items ${bare.itemBytes} bytes of JSON; bare put errors: ${tally(bare.errors)}`);
  out(`  webhook statuses (warm-up included): ${tally(report.statuses)}; answers: ${tally(report.outcomes)}`);
  out(`  server warnings and errors: ${tally(report.complaints)}`);
  out(`  incidents listed by GET /incidents: ${report.incidentsListed} of ${report.incidentsSent} sent`);
  for (const failure of report.failures) out(`  failure: ${failure}`);
  if (failed.length > 0) process.exitCode = 1;

  out();
  const notify = await measureNotifyLatency(20);
  out(
    `Webhook to message in the outbox (local server, demo lifecycles one after another): ${notify.notifyingWebhooks} of ${notify.webhooks} webhooks notified, ${notify.messages} messages; p50 ${fixed(notify.p50Ms)} ms, p99 ${fixed(notify.p99Ms)} ms`,
  );

  out();
  out(
    'Weekly report as history grows: incidents spread over two years, report of 2026-W47. warm = a Monday report: the week read by index plus the stored summaries of the weeks before (the target applies); cold = the very first report, which also computes and stores those seven summaries',
  );
  const reportFigures = await measureReportScale(reportSizes);
  table([
    ['stored incidents', 'in the week', 'cold items read', 'cold ms', 'warm items read', 'warm ms', 'target'],
    ...reportFigures.map((figure) => [
      String(figure.storedIncidents),
      String(figure.weekIncidents),
      String(figure.coldItemsRead),
      fixed(figure.coldMs, 0),
      String(figure.warmItemsRead),
      fixed(figure.warmMs, 0),
      figure.storedIncidents >= 100_000 ? `warm < 2000 ms: ${verdict(figure.warmMs < 2000)}` : '',
    ]),
  ]);

  out();
  out(
    `Reconciler: ${reconcileIssues} generated incidents in the Jira simulator over HTTP (rate limit ${SIMULATOR_REQUESTS_PER_SECOND} req/s, so never hit: the figures are the code's cost), DynamoDB adapters on dynalite, concurrency ${RECONCILE_CONCURRENCY}, first run (${RECONCILE_OPTIONS.firstRunLookbackHours} h lookback), after a warm-up pass`,
  );
  const reconcilePasses = await measureReconciler(reconcileIssues, RECONCILE_PASSES);
  const perIssue = (pass: ReconcilePass, count = 0): string => fixed(count / pass.issueCount, 2);
  /** Jira Cloud's pace, not measured: every request of the pass at about 10 a second. */
  const cloudSeconds = (pass: ReconcilePass): number => pass.jiraRequestCount / CLOUD_REQUESTS_PER_SECOND;
  table([
    [
      'pass',
      'webhooks delivered',
      'events added',
      's',
      'issues/s',
      'Jira req/issue',
      'search/jql',
      'changelog',
      'comment',
      `est. s at ${CLOUD_REQUESTS_PER_SECOND} req/s`,
      'est. issues/s',
    ],
    ...reconcilePasses.map((pass) => [
      pass.label,
      String(pass.deliveriesStored),
      String(pass.eventsAdded),
      fixed(pass.elapsedMs / 1000, 2),
      fixed(pass.issuesPerSecond, 0),
      perIssue(pass, pass.jiraRequestCount),
      perIssue(pass, pass.jiraRequests['search/jql']),
      perIssue(pass, pass.jiraRequests.changelog),
      perIssue(pass, pass.jiraRequests.comment),
      fixed(cloudSeconds(pass), 0),
      fixed(pass.issueCount / cloudSeconds(pass), 1),
    ]),
  ]);
  out(
    `  est. = an estimate, not measured: Jira requests per issue × issues / ${CLOUD_REQUESTS_PER_SECOND}, as if Jira Cloud held this client to about ${CLOUD_REQUESTS_PER_SECOND} requests a second`,
  );
  for (const pass of reconcilePasses) {
    const perIssueCalls = Object.fromEntries(
      Object.entries(pass.dynamoCalls).map(([command, count]) => [command, count / pass.issueCount]),
    );
    out(
      `  ${pass.label}: Jira requests ${tally(pass.jiraRequests)}; DynamoDB calls per issue ${
        Object.entries(perIssueCalls)
          .map(([command, count]) => `${command} ${fixed(count, 2)}`)
          .join(', ') || 'none'
      }; ${pass.issuesRepaired} issues repaired, ${pass.issuesRead} read, ${pass.failedCount} failed`,
    );
    if (pass.sourceRequestCount !== pass.jiraRequestCount)
      out(
        `  ${pass.label}: the source counted ${pass.sourceRequestCount} requests but the simulator saw ${pass.jiraRequestCount}`,
      );
    if (!pass.complete || pass.issuesRead !== pass.issueCount) process.exitCode = 1;
  }

  const results = {
    measuredAt: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: platform(),
      arch: arch(),
      cpuCount: availableParallelism(),
      cpuModel,
    },
    parameters: {
      incidentCount,
      concurrency,
      rounds,
      importRounds,
      itemBytes,
      deliveriesPerIncident: perIncident,
      reconcileIssues,
    },
    targets: TARGETS,
    bundles: bundleResults.map((result) => ({
      ...result,
      sizeRatio: round(result.sizeRatio, 3),
      importMedianMs: round(result.importMedianMs),
      importP90Ms: round(result.importP90Ms),
      importRatio: round(result.importRatio, 3),
    })),
    webhookImportTargetMet: webhookImportMet,
    notifyLatency: notify,
    weeklyReport: reportFigures.map((figure) => ({
      ...figure,
      coldMs: round(figure.coldMs),
      warmMs: round(figure.warmMs),
    })),
    reconciler: {
      concurrency: RECONCILE_CONCURRENCY,
      simulatorRequestsPerSecond: SIMULATOR_REQUESTS_PER_SECOND,
      passes: reconcilePasses.map((pass) => ({
        ...pass,
        elapsedMs: round(pass.elapsedMs),
        issuesPerSecond: round(pass.issuesPerSecond, 1),
        estimatedCloudSeconds: round(cloudSeconds(pass), 1),
      })),
    },
    ingest: {
      bareConditionalPut: { ...roundFigures(bareFigures), itemBytes: bare.itemBytes, errors: bare.errors },
      webhook: { ...roundFigures(webhookFigures), ...report },
      shareOfBare: round(shareOfBare, 3),
      targetMet: shareOfBare >= TARGETS.ingestShareOfBare,
    },
  };
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  out();
  out(`Figures written to ${join('bench', '.out', 'results.json')}`);
} finally {
  await webhook.close();
  await bare.close();
}

function roundFigures(figures: ReturnType<typeof summarize>) {
  return {
    count: figures.count,
    elapsedMs: round(figures.elapsedMs, 0),
    perSecond: round(figures.perSecond, 1),
    settledPerSecond: round(figures.settledPerSecond, 1),
    p50Ms: round(figures.p50Ms),
    p99Ms: round(figures.p99Ms),
    dynamoCallsPerRequest: Object.fromEntries(
      Object.entries(figures.dynamoCallsPerRequest).map(([operation, count]) => [operation, round(count, 3)]),
    ),
  };
}
