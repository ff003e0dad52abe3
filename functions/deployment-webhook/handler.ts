import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDeploymentStore } from '#shared/adapters/dynamo-deployment-store.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createSecretsManagerWebhookSecrets } from '#shared/adapters/secrets-manager-webhook-secrets.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { sameTransportAs } from '#shared/wiring/shared-aws-transport.ts';
import { deploymentWebhookEnvSchema } from './config.ts';
import { makeDeploymentWebhookHandler } from './deployment-webhook.ts';

const env = parseEnv(deploymentWebhookEnvSchema, process.env);
const client = new DynamoDBClient(awsClientConfig());

export const handler = makeDeploymentWebhookHandler({
  deployments: createDynamoDeploymentStore(client, env[ENV.tableName]),
  secrets: createSecretsManagerWebhookSecrets(env[ENV.webhookSecretArn], sameTransportAs(client)),
  log: createPowertoolsLog('deployment-webhook'),
});
