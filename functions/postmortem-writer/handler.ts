import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDynamoAlertStore } from '#shared/adapters/dynamo-alert-store.ts';
import { createDynamoCiStore } from '#shared/adapters/dynamo-ci-store.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createSqsRetryDelay } from '#shared/adapters/sqs-postmortem-requests.ts';
import { ENV } from '#shared/deployment-names.ts';
import { SettingsError } from '#shared/errors.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { createNotionPostmortems } from '#shared/wiring/postmortems.ts';
import { postmortemWriterEnvSchema } from './config.ts';
import { makePostmortemWriterHandler } from './postmortem-writer.ts';

const env = parseEnv(postmortemWriterEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);
const postmortems = createNotionPostmortems(
  { notionSecretArn: env[ENV.notionSecretArn], jiraSecretArn: env[ENV.jiraSecretArn] },
  settings,
);
if (!postmortems)
  throw new SettingsError('postmortem.notion is not set: the stack deploys this function only when it is');

const client = new DynamoDBClient(awsClientConfig());

export const handler = makePostmortemWriterHandler({
  store: createDynamoEventStore(client, env[ENV.tableName]),
  fixes: createDynamoCiStore(client, env[ENV.tableName]),
  alertSources: createDynamoAlertStore(client, env[ENV.tableName]),
  settings,
  nowMs: Date.now,
  log: createPowertoolsLog('postmortem-writer'),
  delayRetry: createSqsRetryDelay(new SQSClient(awsClientConfig()), env[ENV.postmortemQueueUrl]),
  ...postmortems,
});
