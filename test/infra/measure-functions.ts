/**
 * Sizes the functions from what can be measured without AWS: each bundle, built as the stack builds
 * it, runs in a fresh node with the memory Lambda would give it, against dynalite and a stand-in
 * Secrets Manager, over the demo lifecycle. Prints cold import, per-invocation time and peak RSS.
 * `node test/infra/measure-functions.ts [--incidents 20]`
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { ensureEventTable } from '#shared/adapters/dynamo-table.ts';
import { createLocalDynamoClient, startLocalDynamo } from '#shared/adapters/local-dynamo.ts';
import { ENV, TABLE } from '#shared/deployment-names.ts';
import { resolveSettings } from '#shared/settings.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { ESM_REQUIRE_SHIM } from '../../infra/constructs/incident-function.ts';
import { FUNCTION_SIZING } from '../../infra/function-sizing.ts';

const root = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { incidents: { type: 'string', default: '20' } } });
const incidentCount = Number(values.incidents);
const scratch = mkdtempSync(join(tmpdir(), 'incident-flow-measure-'));
const secret = 'measure-secret-measure-secret-0123456789';
const tableName = 'measure';

async function bundle(job: string): Promise<string> {
  const outfile = join(scratch, `${job}.mjs`);
  await build({
    entryPoints: [join(root, 'functions', job, 'handler.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_SHIM },
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/** Answers every GetSecretValue as Secrets Manager would, with the webhook secret. */
async function startSecretsStandIn(): Promise<{ endpoint: string; close: () => void }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(
        JSON.stringify({
          ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:measure-AbCdEf',
          Name: 'measure',
          VersionId: '1',
          SecretString: JSON.stringify({ current: secret }),
        }),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close() };
}

// The child imports the bundle (timed: the cold start's init), then invokes it once per event in turn.
const DRIVER = `
import { readFileSync } from 'node:fs';
const [bundlePath, eventsPath] = process.argv.slice(2);
const events = JSON.parse(readFileSync(eventsPath, 'utf8'));
const context = { functionName: 'measure', awsRequestId: 'measure', getRemainingTimeInMillis: () => 30000 };
const t0 = performance.now();
const { handler } = await import(bundlePath);
const importMs = performance.now() - t0;
const invocationsMs = [];
for (const event of events) {
  const t = performance.now();
  const result = await handler(event, context);
  invocationsMs.push(performance.now() - t);
  if (result?.statusCode >= 400 || result?.batchItemFailures?.length) throw new Error(JSON.stringify(result));
}
process.stdout.write(JSON.stringify({ importMs, invocationsMs, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
`;

interface Measurement {
  readonly importMs: number;
  readonly invocationsMs: number[];
  readonly maxRssMb: number;
}

async function invoke(job: keyof typeof FUNCTION_SIZING, events: unknown[], env: NodeJS.ProcessEnv) {
  const file = await bundle(job);
  const eventsPath = join(scratch, `${job}-events.json`);
  writeFileSync(eventsPath, JSON.stringify(events));
  const driverPath = join(scratch, 'driver.mjs');
  writeFileSync(driverPath, DRIVER);
  // Lambda caps the heap by the memory size; give node the same ceiling so a too-small size shows.
  const heapMb = Math.floor(FUNCTION_SIZING[job].memorySizeMb * 0.8);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, driverPath, pathToFileURL(file).href, eventsPath],
    { env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout.slice(stdout.lastIndexOf('{"importMs"'))) as Measurement;
}

function webhookEvent(delivery: { body: string; headers: Record<string, string> }) {
  const headers = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/jira',
    rawPath: '/webhooks/jira',
    rawQueryString: '',
    headers,
    isBase64Encoded: false,
    body: delivery.body,
    requestContext: { http: { method: 'POST', path: '/webhooks/jira', sourceIp: '127.0.0.1' } },
  };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
};

const dynamo = await startLocalDynamo({ port: 0 });
const secrets = await startSecretsStandIn();
try {
  const client = createLocalDynamoClient(dynamo.endpoint);
  await ensureEventTable(client, tableName);
  const settings = resolveSettings([]);
  if (!settings.ok) throw new Error(settings.message);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    [ENV.tableName]: tableName,
    [ENV.webhookSecretArn]: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:measure-AbCdEf',
    [ENV.settings]: JSON.stringify(settings.settings),
    // The processor's notification wiring, with no group topic: nothing is published.
    [ENV.notifyTopicArns]: '{}',
    [ENV.recheckQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/000000000000/measure-recheck',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };

  const deliveries = Array.from({ length: incidentCount }, (_, i) =>
    demoLifecycle(
      { issueId: String(20_000 + i), key: `INC-${i + 1}`, openedAtMs: Date.UTC(2026, 0, 5) + i * 3_600_000 },
      secret,
    ),
  ).flat();
  const webhook = await invoke('jira-webhook', deliveries.map(webhookEvent), env);

  const page = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: undefined,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
      ExpressionAttributeValues: { ':pk': { S: 'INCIDENT#20000' }, ':events': { S: TABLE.eventPrefix } },
    }),
  );
  const records = Array.from({ length: incidentCount }, (_, i) =>
    (page.Items ?? []).map((item) => ({
      eventID: `measure-${i}-${item.sk?.S}`,
      eventName: 'INSERT',
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/measure/stream/x',
      dynamodb: { Keys: { pk: { S: `INCIDENT#${20_000 + i}` }, sk: item.sk } },
    })),
  ).flat();
  // One record per invocation, the stream's worst case: every new event refolds its whole incident.
  const processor = await invoke(
    'incident-processor',
    records.map((record) => ({ Records: [record] })),
    env,
  );

  process.stdout.write(
    `node ${process.version}, ${incidentCount} demo incidents (${deliveries.length} deliveries, ${records.length} stream records)\n`,
  );
  for (const [job, m] of [
    ['jira-webhook', webhook],
    ['incident-processor', processor],
  ] as const) {
    const warm = m.invocationsMs.slice(1);
    process.stdout.write(
      `${job}: import ${m.importMs.toFixed(0)} ms, first invocation ${m.invocationsMs[0]?.toFixed(0)} ms, ` +
        `warm p50 ${percentile(warm, 0.5).toFixed(1)} ms p99 ${percentile(warm, 0.99).toFixed(1)} ms max ${Math.max(...warm).toFixed(1)} ms, ` +
        `peak RSS ${m.maxRssMb.toFixed(0)} MB (configured ${FUNCTION_SIZING[job].memorySizeMb} MB, timeout ${FUNCTION_SIZING[job].timeoutSeconds} s)\n`,
    );
  }
} finally {
  secrets.close();
  await dynamo.close();
  rmSync(scratch, { recursive: true, force: true });
}
