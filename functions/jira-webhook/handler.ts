import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoEventJournal } from '#shared/adapters/dynamo-event-journal.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createSecretsManagerWebhookSecrets } from '#shared/adapters/secrets-manager-webhook-secrets.ts';
import { ENV } from '#shared/deployment-names.ts';
import { ingestSettingsFromJson, parseEnv } from '#shared/lambda/config.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { sameTransportAs } from '#shared/wiring/shared-aws-transport.ts';
import { jiraWebhookEnvSchema } from './config.ts';
import { makeJiraWebhookHandler } from './jira-webhook.ts';

const env = parseEnv(jiraWebhookEnvSchema, process.env);
const client = new DynamoDBClient(awsClientConfig());

export const handler = makeJiraWebhookHandler({
  store: createDynamoEventJournal(client, env[ENV.tableName]),
  settings: ingestSettingsFromJson(env[ENV.settings]),
  secrets: createSecretsManagerWebhookSecrets(env[ENV.webhookSecretArn], sameTransportAs(client)),
  log: createPowertoolsLog('jira-webhook'),
});
