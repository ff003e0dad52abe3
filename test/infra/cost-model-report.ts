/** Prints the cost model for docs/operations.md: `node test/infra/cost-model-report.ts`. */
import { rmSync } from 'node:fs';
import { startLocalDynamo } from '#shared/adapters/local-dynamo.ts';
import { renderCostModel, type TemplateJson } from '../../infra/cost-model.ts';
import { measureIncidentUsage } from './incident-usage.ts';
import { synthesizeStack } from './synthesize-stack.ts';

const { template, outdir } = synthesizeStack({ bundle: false });
const dynamo = await startLocalDynamo({ port: 0 });
try {
  const json = template.toJSON() as TemplateJson;
  const usage = await measureIncidentUsage(dynamo.endpoint, json);
  process.stdout.write(
    `<!-- cost-model:start -->\n${renderCostModel(json, usage)}\n<!-- cost-model:end -->\n`,
  );
} finally {
  await dynamo.close();
  rmSync(outdir, { recursive: true, force: true });
}
