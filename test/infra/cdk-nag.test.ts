import { rmSync } from 'node:fs';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IncidentFlowStack } from '../../infra/incident-flow-stack.ts';
import { synthesizeStack } from './synthesize-stack.ts';

let stack: IncidentFlowStack;
let outdir: string;

beforeAll(() => {
  ({ stack, outdir } = synthesizeStack({ bundle: false }));
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function findingsOf(pack: NagPack): string[] {
  return pack
    .validateScope(stack)
    .violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}`,
      ),
    );
}

it.each([
  ['AwsSolutions', new AwsSolutionsChecks()],
  ['Serverless', new ServerlessChecks()],
])('passes cdk-nag %s with every exception acknowledged and explained', (_name, pack) => {
  const findings = findingsOf(pack);

  expect(findings).toEqual([]);
});
