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
import { incidentRecheckEnvSchema } from './config.ts';
import { makeIncidentRecheckHandler } from './incident-recheck.ts';

const env = parseEnv(incidentRecheckEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);
const { notifications, recheck } = notificationsFromEnv(process.env, settings);
if (!recheck) throw new Error('the recheck function needs its queue');

export const handler = makeIncidentRecheckHandler({
  store: createDynamoEventStore(new DynamoDBClient(awsClientConfig()), env[ENV.tableName]),
  settings,
  nowMs: Date.now,
  // Concurrent invocations may send too: a claim is abandoned only once no Lambda could still hold it.
  sender: leasedSender(randomUUID()),
  log: createPowertoolsLog('incident-recheck'),
  notifications,
  recheck,
  postmortemRequests: postmortemRequestsFromEnv(process.env),
});
