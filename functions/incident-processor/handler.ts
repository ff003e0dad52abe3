import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { notificationsFromEnv } from '#shared/lambda/notifications.ts';
import { postmortemRequestsFromEnv } from '#shared/lambda/postmortems.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { leasedSender } from '#shared/use-cases/notify-stakeholders.ts';
import { incidentProcessorEnvSchema } from './config.ts';
import { makeIncidentProcessorHandler } from './incident-processor.ts';

const env = parseEnv(incidentProcessorEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);

export const handler = makeIncidentProcessorHandler({
  store: createDynamoEventStore(new DynamoDBClient(awsClientConfig()), env[ENV.tableName]),
  settings,
  nowMs: Date.now,
  // Concurrent invocations may send too: a claim is abandoned only once no Lambda could still hold it.
  sender: leasedSender(randomUUID()),
  log: createPowertoolsLog('incident-processor'),
  ...notificationsFromEnv(process.env, settings),
  postmortemRequests: postmortemRequestsFromEnv(process.env),
});
