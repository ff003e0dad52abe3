import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { createJiraTicketTracker } from '#shared/adapters/jira-ticket-tracker.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createSnsNotifier } from '#shared/adapters/sns-notifier.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { parseTopicArns } from '#shared/lambda/topic-arns.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { remindFollowUps } from '#shared/use-cases/remind-follow-ups.ts';
import { builtPerSecret } from '#shared/wiring/built-per-secret.ts';
import { jiraClientFor, jiraSecretReader, jiraSiteOf } from '#shared/wiring/jira-client.ts';
import { followUpReminderEnvSchema } from './config.ts';
import { makeFollowUpReminderHandler } from './follow-up-reminder.ts';

const env = parseEnv(followUpReminderEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);
const dynamo = new DynamoDBClient(awsClientConfig());
const log = createPowertoolsLog('follow-up-reminder');
const followUps = createDynamoFollowUpStore(dynamo, env[ENV.tableName], settings.timeZone);
const overdueList = {
  notifier: createSnsNotifier(new SNSClient(awsClientConfig()), {
    topicArns: parseTopicArns(env[ENV.notifyTopicArns]),
    nowMs: Date.now,
  }),
  deliveries: createDynamoEventStore(dynamo, env[ENV.tableName]),
};
const tracker = builtPerSecret(jiraSecretReader(env[ENV.jiraSecretArn]), async (secret) =>
  createJiraTicketTracker(await jiraClientFor(secret), {
    issueType: settings.followUps.issueType,
    linkType: settings.followUps.linkType,
    siteUrl: jiraSiteOf(secret),
  }),
);

export const handler = makeFollowUpReminderHandler({
  log,
  async remind() {
    return remindFollowUps({
      followUps,
      tracker: await tracker(),
      settings,
      nowMs: Date.now,
      log,
      overdueList,
    });
  },
});
