import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, loadavg, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  BASELINE_NAME,
  buildBundles,
  FORBIDDEN_PACKAGES,
  JIRA_FUNCTIONS,
  measureImportTrials,
  unwantedPackages,
} from './bundles.ts';
import { GOALS } from './goals.ts';
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
import { measureReportScale, WINDOW_INCIDENTS_PER_WEEK } from './report.ts';
import { percentile, round } from './stats.ts';
import { type GoalResult, judge, resultJson, spreadOf, verdictLine } from './verdicts.ts';

const WEBHOOK_FUNCTION = 'jira-webhook';
const PROCESSOR_FUNCTION = 'incident-processor';
const SECTIONS = ['imports', 'ingest', 'notify', 'report', 'reconcile'] as const;
type Section = (typeof SECTIONS)[number];

const { values: options } = parseArgs({
  options: {
    incidents: { type: 'string', default: '150' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    trials: { type: 'string', default: '3' },
    imports: { type: 'string', default: '10' },
    sections: { type: 'string', default: SECTIONS.join(',') },
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
const importTrials = positive('trials');
const sections = new Set(
  (options.sections ?? '').split(',').map((name) => {
    if (!(SECTIONS as readonly string[]).includes(name))
      throw new Error(`--sections takes ${SECTIONS.join(', ')}, got ${name}`);
    return name as Section;
  }),
);
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
const tally = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([key, count]) => `${key} × ${count}`)
    .join(', ') || 'none';

const cpuModel = cpus()[0]?.model.trim() ?? 'unknown cpu';
/** The 1, 5 and 15 minute load averages: a figure measured on a busy machine says so. */
const load = (): number[] => loadavg().map((value) => round(value, 2));
const loadBefore = load();
out(
  `Incident Flow bench: node ${process.version}, ${platform()} ${arch()}, ${availableParallelism()} cpus (${cpuModel}); load average before ${loadBefore.join(' ')}`,
);
out();

const goals: GoalResult[] = [];
const loadBySection: Record<string, number[]> = {};
const results: Record<string, unknown> = {};
const verdicts = (...judged: GoalResult[]): void => {
  for (const result of judged) {
    goals.push(result);
    out(`  ${verdictLine(result)}`);
  }
};

// Bundles and cold imports first, while no server is competing for the cpus.
if (sections.has('imports')) {
  loadBySection.imports = load();
  const bundles = await buildBundles(root, outDir);
  const trials = await measureImportTrials(bundles, importTrials, importRounds);
  const baseline = bundles.find((bundle) => bundle.name === BASELINE_NAME);
  const bundleResults = bundles.map((bundle) => {
    const samples = trials.samples.get(bundle.name) ?? [];
    const cpu = spreadOf(trials.cpuRatios.get(bundle.name) ?? []);
    const wall = spreadOf(trials.wallRatios.get(bundle.name) ?? []);
    return {
      name: bundle.name,
      bytes: bundle.bytes,
      sizeRatio: bundle.bytes / (baseline?.bytes ?? Number.NaN),
      cpuMedianMs: percentile(
        samples.map((sample) => sample.cpuMs),
        0.5,
      ),
      wallMedianMs: percentile(
        samples.map((sample) => sample.wallMs),
        0.5,
      ),
      cpu,
      wall,
      packages: bundle.packages,
      unwanted: unwantedPackages(bundle),
    };
  });
  out(
    `Bundles: esbuild, minified one-file ESM for node24, AWS SDK bundled (as infra/constructs/incident-function.ts); cold import = await import() in a fresh node, ${importTrials} trials × ${importRounds} rounds, round-robin with the baseline; ratio = median ratio of the trials' medians (min–max)`,
  );
  table([
    [
      'bundle',
      'size KB',
      '× bare',
      'cpu p50 ms',
      'wall p50 ms',
      '× bare cpu',
      'min–max',
      '× bare wall',
      'unwanted',
    ],
    ...bundleResults.map((result) => [
      JIRA_FUNCTIONS.includes(result.name as (typeof JIRA_FUNCTIONS)[number])
        ? `${result.name} (jira.js, no target)`
        : result.name,
      fixed(result.bytes / 1024),
      fixed(result.sizeRatio, 2),
      fixed(result.cpuMedianMs),
      fixed(result.wallMedianMs),
      fixed(result.cpu.median, 2),
      `${fixed(result.cpu.min, 2)}–${fixed(result.cpu.max, 2)}`,
      fixed(result.wall.median, 2),
      result.unwanted.join(', ') || '—',
    ]),
  ]);
  out(
    '  CPU time = user + system time of the importing process, all threads: what the import costs, less swayed than the wall clock by what else runs on the machine',
  );
  const ratioOf = (name: string) => bundleResults.find((result) => result.name === name)?.cpu ?? null;
  const forbidden = bundleResults
    .filter((result) => result.name in FORBIDDEN_PACKAGES)
    .reduce(
      (sum, result) =>
        sum + result.unwanted.filter((name) => FORBIDDEN_PACKAGES[result.name]?.includes(name)).length,
      0,
    );
  verdicts(
    judge(GOALS.webhookImport, ratioOf(WEBHOOK_FUNCTION)),
    judge(GOALS.processorImport, ratioOf(PROCESSOR_FUNCTION)),
    judge(GOALS.leanBundles, forbidden),
  );
  const unused = bundleResults.filter((result) => result.unwanted.length > 0);
  for (const result of unused)
    out(`  ${result.name} bundles what it does not use: ${result.unwanted.join(', ')}`);
  if (unused.length > 0) process.exitCode = 1;
  results.bundles = bundleResults.map((result) => ({
    ...result,
    sizeRatio: round(result.sizeRatio, 3),
    cpuMedianMs: round(result.cpuMedianMs),
    wallMedianMs: round(result.wallMedianMs),
    cpu: {
      median: round(result.cpu.median, 3),
      min: round(result.cpu.min, 3),
      max: round(result.cpu.max, 3),
    },
    wall: {
      median: round(result.wall.median, 3),
      min: round(result.wall.min, 3),
      max: round(result.wall.max, 3),
    },
    importSamples: (trials.samples.get(result.name) ?? []).map((sample) => ({
      cpuMs: round(sample.cpuMs),
      wallMs: round(sample.wallMs),
    })),
  }));
  out();
}

if (sections.has('ingest')) {
  loadBySection.ingest = load();
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
    // Each round's ratio against the bare round beside it: the spread is the noise between rounds.
    const perRound = (
      ratio: (webhook: ReturnType<typeof summarize>, bare: ReturnType<typeof summarize>) => number,
    ) =>
      webhookSamples.map((sample, r) => {
        const bareSample = bareSamples[r];
        return bareSample ? ratio(summarize([sample]), summarize([bareSample])) : Number.NaN;
      });
    // Held to what was done, not just answered: a pass ends when the processor has folded all it caused.
    const doneRatios = spreadOf(perRound((w, b) => w.settledPerSecond / b.settledPerSecond));
    const p99Ratios = spreadOf(perRound((w, b) => w.p99Ms / b.p99Ms));
    const report = await webhook.report();
    const failed = Object.entries(report.statuses).filter(([status]) => !['200', '202'].includes(status));
    // Counted by the local stream itself (its batch channel), not inferred from Query calls.
    const foldsPerWebhook = webhookFigures.foldsPerRequest;

    out(
      `Ingest: ${incidentCount} incidents × ${perIncident} deliveries = ${webhookFigures.count} requests per path, concurrency ${concurrency}, ${rounds} alternating rounds after a warm-up`,
    );
    table([
      ['path', 'answered/s', 'done/s', 'p50 ms', 'p99 ms'],
      [
        'bare dynalite conditional PutItem',
        fixed(bareFigures.perSecond, 0),
        fixed(bareFigures.settledPerSecond, 0),
        fixed(bareFigures.p50Ms, 2),
        fixed(bareFigures.p99Ms, 2),
      ],
      [
        'signed webhook → local server → dynalite',
        fixed(webhookFigures.perSecond, 0),
        fixed(webhookFigures.settledPerSecond, 0),
        fixed(webhookFigures.p50Ms, 2),
        fixed(webhookFigures.p99Ms, 2),
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
      '  answered/s: requests over the time to the last answer; done/s: over the time until the processor had folded everything too (the goal is on done/s); latencies are to the answer',
    );
    out(`  bare items ${bare.itemBytes} bytes of JSON; bare put errors: ${tally(bare.errors)}`);
    out(
      `  webhook statuses (warm-up included): ${tally(report.statuses)}; answers: ${tally(report.outcomes)}`,
    );
    out(`  server warnings and errors: ${tally(report.complaints)}`);
    out(`  incidents listed by GET /incidents: ${report.incidentsListed} of ${report.incidentsSent} sent`);
    for (const failure of report.failures) out(`  failure: ${failure}`);
    if (failed.length > 0) process.exitCode = 1;
    verdicts(
      judge(GOALS.ingestDone, doneRatios),
      judge(GOALS.ingestP99, p99Ratios),
      judge(GOALS.foldsPerWebhook, foldsPerWebhook),
    );
    results.ingest = {
      deliveriesPerIncident: perIncident,
      bareConditionalPut: { ...roundFigures(bareFigures), itemBytes: bare.itemBytes, errors: bare.errors },
      webhook: { ...roundFigures(webhookFigures), ...report },
      rounds: webhookSamples.map((sample, r) => ({
        webhook: roundFigures(summarize([sample])),
        bare: bareSamples[r] ? roundFigures(summarize([bareSamples[r]])) : null,
      })),
    };
  } finally {
    await webhook.close();
    await bare.close();
  }
  out();
}

if (sections.has('notify')) {
  loadBySection.notify = load();
  const notify = await measureNotifyLatency(20);
  out(
    `Webhook to message in the outbox (local server, demo lifecycles one after another): ${notify.notifyingWebhooks} of ${notify.webhooks} webhooks notified, ${notify.messages} messages; p50 ${fixed(notify.p50Ms)} ms, p99 ${fixed(notify.p99Ms)} ms`,
  );
  verdicts(judge(GOALS.notifyP99, notify.p99Ms));
  results.notifyLatency = notify;
  out();
}

if (sections.has('report')) {
  loadBySection.report = load();
  out(
    `Weekly report as history grows around the same weeks: the report of 2026-W47 and the seven weeks before it hold ${WINDOW_INCIDENTS_PER_WEEK} incidents each at every size, the rest of two years holds the others. warm = a Monday report (the week by index plus the stored summaries of the weeks before); cold = the very first report, which also computes and stores those seven summaries`,
  );
  const reportFigures = await measureReportScale(reportSizes);
  table([
    ['stored incidents', 'in the week', 'cold items read', 'cold ms', 'warm items read', 'warm ms'],
    ...reportFigures.map((figure) => [
      String(figure.storedIncidents),
      String(figure.weekIncidents),
      String(figure.coldItemsRead),
      fixed(figure.coldMs, 0),
      String(figure.warmItemsRead),
      fixed(figure.warmMs, 0),
    ]),
  ]);
  if (new Set(reportFigures.map((figure) => figure.weekIncidents)).size > 1) {
    out('  the week held different incidents at different sizes: the items-read comparison is void');
    process.exitCode = 1;
  }
  const smallest = reportFigures[0];
  const largest = reportFigures.at(-1);
  const itemsRatio =
    smallest && largest
      ? Math.max(
          largest.warmItemsRead / smallest.warmItemsRead,
          largest.coldItemsRead / smallest.coldItemsRead,
        )
      : null;
  verdicts(
    judge(GOALS.reportItems, reportFigures.length > 1 ? itemsRatio : null),
    judge(GOALS.reportWarm, largest?.warmMs ?? null),
    judge(GOALS.reportCold, largest?.coldMs ?? null),
  );
  results.weeklyReport = reportFigures.map((figure) => ({
    ...figure,
    coldMs: round(figure.coldMs),
    warmMs: round(figure.warmMs),
  }));
  out();
}

if (sections.has('reconcile')) {
  loadBySection.reconcile = load();
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
  const requestsPerIssue = (label: string | undefined) => {
    const pass = reconcilePasses.find((candidate) => candidate.label === label);
    return pass ? pass.jiraRequestCount / pass.issueCount : null;
  };
  verdicts(
    judge(GOALS.reconcileSteady, requestsPerIssue(RECONCILE_PASSES[1].label)),
    judge(GOALS.reconcileCold, requestsPerIssue(RECONCILE_PASSES[0].label)),
  );
  results.reconciler = {
    concurrency: RECONCILE_CONCURRENCY,
    simulatorRequestsPerSecond: SIMULATOR_REQUESTS_PER_SECOND,
    passes: reconcilePasses.map((pass) => ({
      ...pass,
      elapsedMs: round(pass.elapsedMs),
      issuesPerSecond: round(pass.issuesPerSecond, 1),
      estimatedCloudSeconds: round(cloudSeconds(pass), 1),
    })),
  };
  out();
}

out('Verdicts:');
for (const result of goals) out(`  ${verdictLine(result)}`);
writeFileSync(
  join(outDir, 'results.json'),
  `${JSON.stringify(
    {
      measuredAt: new Date().toISOString(),
      machine: {
        node: process.version,
        platform: platform(),
        arch: arch(),
        cpuCount: availableParallelism(),
        cpuModel,
        loadAverageBefore: loadBefore,
        loadAverageBySection: loadBySection,
        loadAverageAfter: load(),
      },
      parameters: {
        sections: [...sections],
        incidentCount,
        concurrency,
        rounds,
        importTrials,
        importRounds,
        itemBytes,
        reportSizes,
        reconcileIssues,
      },
      goals: goals.map(resultJson),
      ...results,
    },
    null,
    2,
  )}\n`,
);
out();
out(
  `Figures written to ${join('bench', '.out', 'results.json')}; npm run bench:readme puts them in docs/performance.md`,
);

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
