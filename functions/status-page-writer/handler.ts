import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createS3StatusSiteStore } from '#shared/adapters/s3-status-site-store.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { statusPageWriterEnvSchema } from './config.ts';
import { makeStatusPageWriterHandler } from './status-page-writer.ts';

const env = parseEnv(statusPageWriterEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);

export const handler = makeStatusPageWriterHandler({
  incidents: createDynamoEventStore(new DynamoDBClient(awsClientConfig()), env[ENV.tableName]),
  settings,
  nowMs: Date.now,
  // Module scope: its kept hashes let a warm function write only what changed.
  site: createS3StatusSiteStore(new S3Client(awsClientConfig()), env[ENV.statusSiteBucket]),
  log: createPowertoolsLog('status-page-writer'),
  baseUrl: (settings.statusPage.baseUrl ?? env[ENV.statusSiteUrl]).replace(/\/+$/, ''),
  subscribeAction: env[ENV.statusSubscribeUrl],
});
