import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv, settingsFromJson } from '#shared/lambda/config.ts';
import { incidentProcessorEnvSchema } from './config.ts';
import { makeIncidentProcessorHandler } from './incident-processor.ts';

const env = parseEnv(incidentProcessorEnvSchema, process.env);
const client = new DynamoDBClient({});

export const handler = makeIncidentProcessorHandler({
  store: createDynamoEventStore(client, env[ENV.tableName]),
  settings: settingsFromJson(env[ENV.settings]),
  nowMs: Date.now,
  log: createPowertoolsLog('incident-processor'),
});
