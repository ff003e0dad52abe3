import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { createDynamoAlertStore } from '#shared/adapters/dynamo-alert-store.ts';
import { createDynamoCiActivityLog } from '#shared/adapters/dynamo-ci-activity-log.ts';
import { createDynamoDeploymentStore } from '#shared/adapters/dynamo-deployment-store.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { createDynamoReportLedger } from '#shared/adapters/dynamo-report-ledger.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createSesReportMailer } from '#shared/adapters/ses-report-mailer.ts';
import { createSnsReportPublisher } from '#shared/adapters/sns-report-publisher.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { weeklyReportEnvSchema } from './config.ts';
import { makeWeeklyReportHandler } from './weekly-report.ts';

const env = parseEnv(weeklyReportEnvSchema, process.env);
const dynamo = new DynamoDBClient(awsClientConfig());
const settings = settingsFromJson(env[ENV.settings]);
const email = settings.report.email;

export const handler = makeWeeklyReportHandler({
  store: createDynamoEventStore(dynamo, env[ENV.tableName]),
  deployments: createDynamoDeploymentStore(dynamo, env[ENV.tableName]),
  alerts: createDynamoAlertStore(dynamo, env[ENV.tableName]),
  ciActivity: createDynamoCiActivityLog(dynamo, env[ENV.tableName]),
  ledger: createDynamoReportLedger(dynamo, env[ENV.tableName]),
  publisher: createSnsReportPublisher(new SNSClient(awsClientConfig()), env[ENV.reportTopicArn]),
  settings,
  // Follow-ups exist where postmortems are written to Notion (their action items become tickets).
  ...(settings.postmortem.notion
    ? { followUps: createDynamoFollowUpStore(dynamo, env[ENV.tableName], settings.timeZone) }
    : {}),
  // The HTML email goes out through SES where the settings name a sender (a verified identity) and readers.
  ...(email ? { mailer: createSesReportMailer(new SESv2Client({}), email, Date.now) } : {}),
  nowMs: Date.now,
  log: createPowertoolsLog('weekly-report'),
});
