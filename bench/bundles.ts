import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { ENV } from '#shared/deployment-names.ts';
import { resolveSettings } from '#shared/settings.ts';
import { ESM_REQUIRE_SHIM, LAZY_MODULES } from '../infra/constructs/incident-function.ts';
import type { FunctionJob } from '../infra/function-sizing.ts';
import { percentile } from './stats.ts';

const run = promisify(execFile);

export interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  /** Bytes in the output by npm package (own code under "(own)"), from esbuild's metafile. */
  readonly packages: Record<string, number>;
  /** The files it loads on first use, bundled beside it (LAZY_MODULES); not counted in its bytes. */
  readonly lazyModules?: readonly Bundle[];
}

/** Packages a function must never bundle: the Jira and Notion clients stay out of the hot paths. */
export const FORBIDDEN_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  'jira-webhook': ['jira.js', '@notionhq/client'],
  'incident-processor': ['jira.js', '@notionhq/client'],
};

/** Clients a function loads on first use only, from a file of its own (LAZY_MODULES), never on a cold start. */
export const DEFERRED_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  'incident-processor': ['@aws-sdk/client-sns', '@aws-sdk/client-sqs', '@aws-sdk/client-ssm'],
  'incident-recheck': ['@aws-sdk/client-sns', '@aws-sdk/client-sqs', '@aws-sdk/client-ssm'],
};

/** The scheduled functions that load jira.js: their import time is reported, with no target. */
export const JIRA_FUNCTIONS = ['follow-up-reminder', 'postmortem-sync', 'reconciler', 'ci-webhook'] as const;

/** Packages a function does not use and must not bundle (found in the metafile, by name). */
export const UNUSED_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  'follow-up-reminder': ['@notionhq/client', '@aws-sdk/client-sqs', '@aws-sdk/client-ssm'],
  reconciler: ['@notionhq/client', '@aws-sdk/client-sns', '@aws-sdk/client-sqs', '@aws-sdk/client-ssm'],
  'postmortem-sync': ['@aws-sdk/client-sns', '@aws-sdk/client-sqs', '@aws-sdk/client-ssm'],
  'ci-webhook': ['@notionhq/client', '@aws-sdk/client-sns', '@aws-sdk/client-sqs', '@aws-sdk/client-ssm'],
};

const OWN_CODE = '(own)';

/** Bytes in the bundle by npm package, from esbuild's metafile; our own files count as "(own)". */
export function packagesOf(metafile: Metafile): Record<string, number> {
  const bytes: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? OWN_CODE;
      bytes[name] = (bytes[name] ?? 0) + bytesInOutput;
    }
  }
  return bytes;
}

/** The forbidden, deferred or unused packages a bundle holds anyway; empty when it is lean. */
export function unwantedPackages(bundle: Pick<Bundle, 'name' | 'packages'>): string[] {
  const unwanted = [
    ...(FORBIDDEN_PACKAGES[bundle.name] ?? []),
    ...(DEFERRED_PACKAGES[bundle.name] ?? []),
    ...(UNUSED_PACKAGES[bundle.name] ?? []),
  ];
  return unwanted.filter((name) => (bundle.packages[name] ?? 0) > 0);
}

export const BASELINE_NAME = 'bare client-dynamodb';

const BASELINE_SOURCE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export const client = new DynamoDBClient({});
`;

// The options the function construct gives NodejsFunction: ESM for node24, minified, SDK bundled.
export const LAMBDA_BUILD: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_SHIM },
  logLevel: 'warning',
  metafile: true,
};

/** Every functions/<job> folder with a Lambda entry (handler.ts). */
export function findFunctionEntries(root: string): { name: string; entry: string }[] {
  const functionsDir = join(root, 'functions');
  return readdirSync(functionsDir, { withFileTypes: true })
    .filter((dirent) => dirent.isDirectory() && existsSync(join(functionsDir, dirent.name, 'handler.ts')))
    .map((dirent) => ({ name: dirent.name, entry: join(functionsDir, dirent.name, 'handler.ts') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Bundles the baseline and each function as the CDK would, into outDir; the baseline comes first. */
export async function buildBundles(root: string, outDir: string): Promise<Bundle[]> {
  const baselineFile = join(outDir, 'bare-client-dynamodb.mjs');
  const baselineBuild = await build({
    ...LAMBDA_BUILD,
    stdin: {
      contents: BASELINE_SOURCE,
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'bare-client-dynamodb.ts',
    },
    outfile: baselineFile,
  });
  const bundles: Bundle[] = [
    {
      name: BASELINE_NAME,
      file: baselineFile,
      bytes: statSync(baselineFile).size,
      packages: packagesOf(baselineBuild.metafile ?? { inputs: {}, outputs: {} }),
    },
  ];
  const lazyModules = new Map<string, Bundle>();
  for (const { name, entry } of findFunctionEntries(root)) {
    const bundle = await buildFunctionBundle(name, entry, outDir);
    bundles.push(bundle);
    for (const lazy of bundle.lazyModules ?? []) lazyModules.set(lazy.name, lazy);
  }
  // Measured alone, a lazy module's import is what the first fold that sends adds to its invocation.
  return [...bundles, ...lazyModules.values()];
}

/**
 * One function bundled as the CDK would, with its packages from the metafile; the modules it loads
 * on first use are bundled beside it, as the function construct does, and not counted in it.
 */
export async function buildFunctionBundle(name: string, entry: string, outDir: string): Promise<Bundle> {
  const file = join(outDir, `${name}.mjs`);
  const result = await build({ ...LAMBDA_BUILD, entryPoints: [entry], outfile: file });
  return {
    name,
    file,
    bytes: statSync(file).size,
    packages: packagesOf(result.metafile ?? { inputs: {}, outputs: {} }),
    lazyModules: await buildLazyModules(name, dirname(dirname(dirname(entry))), outDir),
  };
}

/** The modules a function loads on first use (LAZY_MODULES), each bundled into outDir under its own name. */
export async function buildLazyModules(name: string, root: string, outDir: string): Promise<Bundle[]> {
  const lazyModules: Bundle[] = [];
  for (const [lazyFile, lazyEntry] of Object.entries(LAZY_MODULES[name as FunctionJob] ?? {})) {
    const file = join(outDir, lazyFile);
    const result = await build({ ...LAMBDA_BUILD, entryPoints: [join(root, lazyEntry)], outfile: file });
    lazyModules.push({
      name: `${lazyFile} (loaded on first use)`,
      file,
      bytes: statSync(file).size,
      packages: packagesOf(result.metafile ?? { inputs: {}, outputs: {} }),
    });
  }
  return lazyModules;
}

// What Lambda would set (see functions/*/config.ts); no settings JSON, so the defaults apply.
/** The environment the stack gives a function, settings included as the synth resolved them. */
function lambdaLikeEnv(): NodeJS.ProcessEnv {
  // The settings a team with a Notion postmortem database, CI webhooks and a status page deploys, so
  // every function can start.
  const settings = resolveSettings([
    {
      source: 'bench',
      value: {
        postmortem: { notion: { databaseId: 'e8a73c8a58db4ab7b0d2690d24025a01' } },
        ci: { projectKey: 'OPS' },
        statusPage: { enabled: true },
      },
    },
  ]);
  if (!settings.ok) throw new Error(settings.message);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [ENV.tableName]: 'bench',
    [ENV.webhookSecretArn]: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench',
    [ENV.settings]: JSON.stringify(settings.settings),
    [ENV.reportTopicArn]: 'arn:aws:sns:us-east-1:000000000000:weekly-report',
    [ENV.notifyTopicArns]: JSON.stringify({
      'manage-closely': 'arn:aws:sns:us-east-1:000000000000:manage-closely',
    }),
    [ENV.recheckQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/000000000000/recheck',
    [ENV.postmortemQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/000000000000/postmortems',
    [ENV.notionSecretArn]: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:notion',
    [ENV.jiraSecretArn]: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:jira',
    [ENV.statusSiteBucket]: 'bench-status-site',
    [ENV.statusSiteUrl]: 'https://status.example.com',
    [ENV.subscribeTopicArn]: 'arn:aws:sns:us-east-1:000000000000:keep-satisfied',
    [ENV.statusSubscribeUrl]: 'https://api.example.com/status/subscribe',
    AWS_REGION: 'us-east-1',
  };
  delete env.NODE_OPTIONS;
  return env;
}

/** One cold import's cost: wall-clock time, and the CPU time the process spent on it (all its threads). */
export interface ImportCost {
  readonly wallMs: number;
  readonly cpuMs: number;
}

async function importOnce(file: string, env: NodeJS.ProcessEnv): Promise<ImportCost> {
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const w = performance.now() - t; const u = process.cpuUsage(c); console.log(JSON.stringify({ wallMs: w, cpuMs: (u.user + u.system) / 1000 }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env,
    timeout: 30_000,
  });
  const cost = JSON.parse(stdout.trim()) as ImportCost;
  if (!Number.isFinite(cost.wallMs) || !Number.isFinite(cost.cpuMs))
    throw new Error(`importing ${file} printed ${JSON.stringify(stdout)}`);
  return cost;
}

/**
 * Cold import costs per bundle: a fresh node per import, bundles taken round-robin so that the
 * machine's noise falls on all of them alike; one unrecorded round first warms the file cache.
 */
export async function measureColdImports(
  bundles: readonly Bundle[],
  rounds: number,
): Promise<Map<string, ImportCost[]>> {
  const env = lambdaLikeEnv();
  const samples = new Map(bundles.map((bundle) => [bundle.name, [] as ImportCost[]]));
  for (let round = -1; round < rounds; round++) {
    for (const bundle of bundles) {
      const cost = await importOnce(bundle.file, env);
      if (round >= 0) samples.get(bundle.name)?.push(cost);
    }
  }
  return samples;
}

/** Each bundle's cold import against the baseline's, as ratios of medians: one per trial. */
export interface ImportTrials {
  /** Per bundle, each trial's median ratio to the baseline, on CPU time and on wall-clock time. */
  readonly cpuRatios: Map<string, number[]>;
  readonly wallRatios: Map<string, number[]>;
  /** Every sample of every trial, per bundle. */
  readonly samples: Map<string, ImportCost[]>;
}

/**
 * Three (or `trials`) separate measurements of every bundle, each interleaved with the baseline, so
 * that a ratio comes with its spread. CPU time is the figure judged: on a shared machine the wall
 * clock mostly measures the other processes; wall-clock ratios are kept beside it.
 */
export async function measureImportTrials(
  bundles: readonly Bundle[],
  trials: number,
  roundsPerTrial: number,
): Promise<ImportTrials> {
  const cpuRatios = new Map(bundles.map((bundle) => [bundle.name, [] as number[]]));
  const wallRatios = new Map(bundles.map((bundle) => [bundle.name, [] as number[]]));
  const all = new Map(bundles.map((bundle) => [bundle.name, [] as ImportCost[]]));
  for (let trial = 0; trial < trials; trial++) {
    const costs = await measureColdImports(bundles, roundsPerTrial);
    const median = (name: string, of: keyof ImportCost) =>
      percentile(
        (costs.get(name) ?? []).map((cost) => cost[of]),
        0.5,
      );
    for (const bundle of bundles) {
      cpuRatios.get(bundle.name)?.push(median(bundle.name, 'cpuMs') / median(BASELINE_NAME, 'cpuMs'));
      wallRatios.get(bundle.name)?.push(median(bundle.name, 'wallMs') / median(BASELINE_NAME, 'wallMs'));
      all.get(bundle.name)?.push(...(costs.get(bundle.name) ?? []));
    }
  }
  return { cpuRatios, wallRatios, samples: all };
}
