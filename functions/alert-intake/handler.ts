import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, Context, SNSEvent } from 'aws-lambda';
import { createDynamoAlertStore } from '#shared/adapters/dynamo-alert-store.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createSecretsManagerWebhookSecrets } from '#shared/adapters/secrets-manager-webhook-secrets.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { jiraIncidentOpenerFor } from '#shared/wiring/jira-incident-opener.ts';
import { makeAlertIntakeHandler, makeAlertTopicHandler } from './alert-intake.ts';
import { alertIntakeEnvSchema } from './config.ts';

const env = parseEnv(alertIntakeEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);
const dynamo = new DynamoDBClient(awsClientConfig());
const deps = {
  alerts: createDynamoAlertStore(dynamo, env[ENV.tableName]),
  opener: jiraIncidentOpenerFor(env[ENV.jiraSecretArn], settings),
  incidents: createDynamoEventStore(dynamo, env[ENV.tableName]),
  settings,
  log: createPowertoolsLog('alert-intake'),
  nowMs: Date.now,
  newDeliveryId: randomUUID,
};
const http = makeAlertIntakeHandler({
  ...deps,
  secrets: createSecretsManagerWebhookSecrets(env[ENV.webhookSecretArn]),
});
const topic = makeAlertTopicHandler(deps);

/** The HTTP routes of the API, and the alarm-intake topic's subscription, in one function. */
export const handler = (event: APIGatewayProxyEventV2 | SNSEvent, context: Context) =>
  'Records' in event ? topic(event) : http(event, context);
