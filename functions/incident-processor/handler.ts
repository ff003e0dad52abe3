import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { parseTopicArns } from '#shared/lambda/topic-arns.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { leasedSender } from '#shared/use-cases/notify-stakeholders.ts';
import { createLazyAwsNotifications } from '#shared/wiring/notifications.ts';
import { createLazySqsPostmortemRequests } from '#shared/wiring/postmortem-requests.ts';
import { incidentProcessorEnvSchema } from './config.ts';
import { makeIncidentProcessorHandler } from './incident-processor.ts';

const env = parseEnv(incidentProcessorEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);
const targets = {
  topicArns: parseTopicArns(env[ENV.notifyTopicArns]),
  recheckQueueUrl: env[ENV.recheckQueueUrl],
};

export const handler = makeIncidentProcessorHandler({
  store: createDynamoEventStore(new DynamoDBClient(awsClientConfig()), env[ENV.tableName]),
  settings,
  nowMs: Date.now,
  // Concurrent invocations may send too: a claim is abandoned only once no Lambda could still hold it.
  sender: leasedSender(randomUUID()),
  log: createPowertoolsLog('incident-processor'),
  ...createLazyAwsNotifications(targets, settings),
  postmortemRequests: createLazySqsPostmortemRequests(env[ENV.postmortemQueueUrl]),
});
