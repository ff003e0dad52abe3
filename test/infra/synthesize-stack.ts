import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { settingsForSynth } from '../../infra/app-settings.ts';
import { deploymentOptionsForSynth } from '../../infra/deployment-options.ts';
import { IncidentFlowStack } from '../../infra/incident-flow-stack.ts';

export interface SynthesizedStack {
  readonly stack: IncidentFlowStack;
  readonly template: Template;
  readonly outdir: string;
}

/**
 * The stack with the given settings (`context`) and deployment options (`deployment`), synthesized into
 * a fresh directory; `bundle: false` skips esbuild.
 */
export function synthesizeStack(
  options: { context?: unknown; deployment?: unknown; bundle?: boolean } = {},
): SynthesizedStack {
  const outdir = mkdtempSync(join(tmpdir(), 'incident-flow-cdk-'));
  const app = new App({
    outdir,
    context: options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {},
  });
  const stack = new IncidentFlowStack(app, 'IncidentFlow', {
    settings: settingsForSynth(options.context, {}),
    deployment: deploymentOptionsForSynth(options.deployment),
  });
  return { stack, template: Template.fromStack(stack), outdir };
}
