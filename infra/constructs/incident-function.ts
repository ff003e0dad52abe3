import { resolve } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '#shared/deployment-names.ts';
import type { Settings } from '#shared/settings.ts';
import { FUNCTION_SIZING, type FunctionJob } from '../function-sizing.ts';

const projectRoot = resolve(import.meta.dirname, '../..');

/** esbuild's ESM output has no `require`; bundled CommonJS dependencies still call it. */
export const ESM_REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * Modules a function loads with a dynamic import on first use, each bundled as a file of its own
 * beside index.mjs (NodejsFunction builds one file; esbuild would inline a dynamic import it can
 * follow, keeping every command of each AWS client). The name is the one the import asks for.
 */
export const LAZY_MODULES: Partial<Record<FunctionJob, Readonly<Record<string, string>>>> = {
  'incident-processor': { 'aws-senders.mjs': 'shared/wiring/aws-senders.ts' },
  'incident-recheck': { 'aws-senders.mjs': 'shared/wiring/aws-senders.ts' },
};

/** The esbuild command line that bundles a lazy module as the function itself is bundled. */
export function lazyModuleCommand(esbuild: string, entry: string, outfile: string): string {
  return [
    esbuild,
    entry,
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node24',
    '--minify',
    '--sourcemap',
    '--main-fields=module,main',
    `"--banner:js=${ESM_REQUIRE_SHIM}"`,
    '--log-level=warning',
    `--outfile=${outfile}`,
  ].join(' ');
}

export interface IncidentFunctionProps {
  /** The folder under functions/ whose handler.ts is the entry, e.g. 'jira-webhook'; it names its sizing too. */
  readonly job: FunctionJob;
  /** The validated settings, handed to the function as JSON. */
  readonly settings: Settings;
  /** A cap where a flood would cost money or overrun Jira or Notion; undefined for none. */
  readonly reservedConcurrency?: number;
}

/** A Lambda function of Incident Flow, with the defaults every one of them needs for fast cold starts. */
export class IncidentFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: IncidentFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    // Our own role writes only to this log group, instead of AWSLambdaBasicExecutionRole's logs:* on every group.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: resolve(projectRoot, 'functions', props.job, 'handler.ts'),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: resolve(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // Memory and timeout from the measurement in infra/function-sizing.ts, by the function's folder.
      timeout: Duration.seconds(FUNCTION_SIZING[props.job].timeoutSeconds),
      memorySize: FUNCTION_SIZING[props.job].memorySizeMb,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role,
      logGroup: this.logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.job,
        [ENV.settings]: JSON.stringify(props.settings),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        // The bundled SDK is tree-shaken and loads faster than the runtime's full copy.
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_SHIM,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) =>
            Object.entries(LAZY_MODULES[props.job] ?? {}).map(([file, entry]) =>
              lazyModuleCommand(
                resolve(inputDir, 'node_modules', '.bin', 'esbuild'),
                resolve(inputDir, entry),
                resolve(outputDir, file),
              ),
            ),
        },
      },
    });
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaTracing',
      reason:
        'No X-Ray tracer is instrumented yet; structured logs and REPORT lines cover latency and cold starts.',
    });
  }
}
