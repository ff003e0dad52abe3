import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoCiActivityLog } from '#shared/adapters/dynamo-ci-activity-log.ts';
import { createDynamoCiStore } from '#shared/adapters/dynamo-ci-store.ts';
import { createDynamoDeploymentStore } from '#shared/adapters/dynamo-deployment-store.ts';
import { createDynamoIncidentStates } from '#shared/adapters/dynamo-incident-states.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createSecretsManagerWebhookSecrets } from '#shared/adapters/secrets-manager-webhook-secrets.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { createJiraCiTrackers } from '#shared/wiring/ci-trackers.ts';
import { makeCiWebhookHandler } from './ci-webhook.ts';
import { ciWebhookEnvSchema } from './config.ts';

const env = parseEnv(ciWebhookEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);
const client = new DynamoDBClient(awsClientConfig());
const ciStore = createDynamoCiStore(client, env[ENV.tableName]);

export const handler = makeCiWebhookHandler({
  settings: settings.ci,
  streaks: ciStore,
  deliveries: ciStore,
  fixes: ciStore,
  activity: createDynamoCiActivityLog(client, env[ENV.tableName]),
  ...createJiraCiTrackers(settings, env[ENV.jiraSecretArn]),
  deployments: createDynamoDeploymentStore(client, env[ENV.tableName]),
  incidentStates: createDynamoIncidentStates(client, env[ENV.tableName]),
  secrets: createSecretsManagerWebhookSecrets(env[ENV.webhookSecretArn]),
  nowMs: Date.now,
  log: createPowertoolsLog('ci-webhook'),
});
