import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type BuildOptions, build } from 'esbuild';
import { ENV } from '#shared/deployment-names.ts';
import { resolveSettings } from '#shared/settings.ts';
import { ESM_REQUIRE_SHIM } from '../infra/constructs/incident-function.ts';

const run = promisify(execFile);

export interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
}

export const BASELINE_NAME = 'bare client-dynamodb';

const BASELINE_SOURCE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export const client = new DynamoDBClient({});
`;

// The options the function construct gives NodejsFunction: ESM for node24, minified, SDK bundled.
const LAMBDA_BUILD: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_SHIM },
  logLevel: 'warning',
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
  await build({
    ...LAMBDA_BUILD,
    stdin: {
      contents: BASELINE_SOURCE,
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'bare-client-dynamodb.ts',
    },
    outfile: baselineFile,
  });
  const bundles: Bundle[] = [{ name: BASELINE_NAME, file: baselineFile, bytes: statSync(baselineFile).size }];
  for (const { name, entry } of findFunctionEntries(root)) {
    const file = join(outDir, `${name}.mjs`);
    await build({ ...LAMBDA_BUILD, entryPoints: [entry], outfile: file });
    bundles.push({ name, file, bytes: statSync(file).size });
  }
  return bundles;
}

// What Lambda would set (see functions/*/config.ts); no settings JSON, so the defaults apply.
/** The environment the stack gives a function, settings included as the synth resolved them. */
function lambdaLikeEnv(): NodeJS.ProcessEnv {
  // The settings a team with a Notion postmortem database deploys, so every function can start.
  const settings = resolveSettings([
    {
      source: 'bench',
      value: { postmortem: { notion: { databaseId: 'e8a73c8a58db4ab7b0d2690d24025a01' } } },
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
    AWS_REGION: 'us-east-1',
  };
  delete env.NODE_OPTIONS;
  return env;
}

async function importOnceMs(file: string, env: NodeJS.ProcessEnv): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env,
    timeout: 30_000,
  });
  const ms = Number(stdout.trim());
  if (!Number.isFinite(ms)) throw new Error(`importing ${file} printed ${JSON.stringify(stdout)}`);
  return ms;
}

/**
 * Cold import times in ms per bundle: a fresh node per import, bundles taken round-robin so that
 * the machine's noise falls on all of them alike; one unrecorded round first warms the file cache.
 */
export async function measureColdImports(
  bundles: readonly Bundle[],
  rounds: number,
): Promise<Map<string, number[]>> {
  const env = lambdaLikeEnv();
  const samples = new Map(bundles.map((bundle) => [bundle.name, [] as number[]]));
  for (let round = -1; round < rounds; round++) {
    for (const bundle of bundles) {
      const ms = await importOnceMs(bundle.file, env);
      if (round >= 0) samples.get(bundle.name)?.push(ms);
    }
  }
  return samples;
}
