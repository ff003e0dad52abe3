import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { createJiraTicketTracker } from '#shared/adapters/jira-ticket-tracker.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createSnsNotifier } from '#shared/adapters/sns-notifier.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { jiraClientFromSecret, jiraSiteFromSecret } from '#shared/lambda/jira-client.ts';
import { parseTopicArns } from '#shared/lambda/notifications.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { remindFollowUps } from '#shared/use-cases/remind-follow-ups.ts';
import { followUpReminderEnvSchema } from './config.ts';
import { makeFollowUpReminderHandler } from './follow-up-reminder.ts';

const env = parseEnv(followUpReminderEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);
const dynamo = new DynamoDBClient(awsClientConfig());
const log = createPowertoolsLog('follow-up-reminder');
const notifier = createSnsNotifier(new SNSClient(awsClientConfig()), {
  topicArns: parseTopicArns(env[ENV.notifyTopicArns]),
  nowMs: Date.now,
});

export const handler = makeFollowUpReminderHandler({
  log,
  async remind() {
    const [jira, site] = await Promise.all([
      jiraClientFromSecret(env[ENV.jiraSecretArn]),
      jiraSiteFromSecret(env[ENV.jiraSecretArn]),
    ]);
    return remindFollowUps({
      followUps: createDynamoFollowUpStore(dynamo, env[ENV.tableName], settings.timeZone),
      tracker: createJiraTicketTracker(jira, {
        issueType: settings.followUps.issueType,
        linkType: settings.followUps.linkType,
        siteUrl: site,
      }),
      settings,
      nowMs: Date.now,
      log,
      overdueList: { notifier, deliveries: createDynamoEventStore(dynamo, env[ENV.tableName]) },
    });
  },
});
