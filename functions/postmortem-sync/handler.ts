import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { createJiraTicketTracker } from '#shared/adapters/jira-ticket-tracker.ts';
import { createNotionPostmortemPages } from '#shared/adapters/notion-postmortem-pages.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { cachedAccounts, syncFollowUps } from '#shared/use-cases/sync-follow-ups.ts';
import { builtPerSecret } from '#shared/wiring/built-per-secret.ts';
import { jiraClientFor, jiraSecretReader, jiraSiteOf } from '#shared/wiring/jira-client.ts';
import { notionClientFor, notionSecretReader } from '#shared/wiring/notion-client.ts';
import { postmortemSyncEnvSchema } from './config.ts';
import { makePostmortemSyncHandler } from './postmortem-sync.ts';

const env = parseEnv(postmortemSyncEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);
const dynamo = new DynamoDBClient(awsClientConfig());
const followUps = createDynamoFollowUpStore(dynamo, env[ENV.tableName], settings.timeZone);
const log = createPowertoolsLog('postmortem-sync');
const jiraSecret = jiraSecretReader(env[ENV.jiraSecretArn]);
const notionSecret = notionSecretReader(env[ENV.notionSecretArn]);
const adapters = builtPerSecret(
  async () => Promise.all([jiraSecret(), notionSecret()]),
  async ([jira, notion]) => {
    const site = jiraSiteOf(jira);
    const tracker = createJiraTicketTracker(await jiraClientFor(jira), {
      issueType: settings.followUps.issueType,
      linkType: settings.followUps.linkType,
      siteUrl: site,
    });
    const pages = createNotionPostmortemPages(await notionClientFor(notion), {
      jiraBaseUrl: settings.report.jiraBaseUrl ?? site,
    });
    // The owner lookups are kept while the function stays warm.
    return { tracker, pages, accountOf: cachedAccounts(pages, tracker) };
  },
);

export const handler = makePostmortemSyncHandler({
  log,
  async sync() {
    return syncFollowUps({ followUps, settings, nowMs: Date.now, log, ...(await adapters()) });
  },
});
