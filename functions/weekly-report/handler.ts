import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { createDynamoDeploymentStore } from '#shared/adapters/dynamo-deployment-store.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createDynamoReportLedger } from '#shared/adapters/dynamo-report-ledger.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createSnsReportPublisher } from '#shared/adapters/sns-report-publisher.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv, settingsFromJson } from '#shared/lambda/config.ts';
import { weeklyReportEnvSchema } from './config.ts';
import { makeWeeklyReportHandler } from './weekly-report.ts';

const env = parseEnv(weeklyReportEnvSchema, process.env);
const dynamo = new DynamoDBClient({});

export const handler = makeWeeklyReportHandler({
  store: createDynamoEventStore(dynamo, env[ENV.tableName]),
  deployments: createDynamoDeploymentStore(dynamo, env[ENV.tableName]),
  ledger: createDynamoReportLedger(dynamo, env[ENV.tableName]),
  publisher: createSnsReportPublisher(new SNSClient({}), env[ENV.reportTopicArn]),
  settings: settingsFromJson(env[ENV.settings]),
  nowMs: Date.now,
  log: createPowertoolsLog('weekly-report'),
});
