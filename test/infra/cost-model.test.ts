import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import {
  type IncidentUsage,
  infrastructureCost,
  renderCostModel,
  TARGET_PER_THOUSAND_USD,
  type TemplateJson,
} from '../../infra/cost-model.ts';
import { measureIncidentUsage } from './incident-usage.ts';
import { synthesizeStack } from './synthesize-stack.ts';

const deployGuide = join(import.meta.dirname, '../../docs/operations.md');
let template: TemplateJson;
let usage: IncidentUsage;
let outdir: string;

beforeAll(async () => {
  const synthesized = synthesizeStack({ bundle: false });
  outdir = synthesized.outdir;
  template = synthesized.template.toJSON() as TemplateJson;
  usage = await measureIncidentUsage(inject('dynamoEndpoint'), template);
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it('counts one request, one webhook invocation and one processor run per stored event', () => {
  expect(usage.deliveries).toBeGreaterThanOrEqual(10);
  expect(usage.invocations['jira-webhook']).toBe(usage.deliveries);
  expect(usage.invocations['incident-processor']).toBeGreaterThanOrEqual(usage.deliveries - 1);
  expect(usage.writeUnits).toBeGreaterThan(usage.invocations['incident-processor'] ?? 0);
});

it('keeps the infrastructure of 1,000 incidents within the target', () => {
  const totalUsd = infrastructureCost(template, usage).reduce((total, line) => total + line.usd, 0);

  expect(totalUsd).toBeLessThanOrEqual(TARGET_PER_THOUSAND_USD);
});

it('is the cost model docs/operations.md shows (refresh it with node test/infra/cost-model-report.ts)', () => {
  const guide = readFileSync(deployGuide, 'utf8');
  const shown = guide.match(/<!-- cost-model:start -->\n([\s\S]*?)\n<!-- cost-model:end -->/)?.[1];

  expect(shown).toBe(renderCostModel(template, usage));
});
