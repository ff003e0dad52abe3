import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { createJiraTicketTracker } from '#shared/adapters/jira-ticket-tracker.ts';
import { createNotionPostmortemPages } from '#shared/adapters/notion-postmortem-pages.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { ENV } from '#shared/deployment-names.ts';
import type { ItemOwner } from '#shared/domain/follow-ups.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { jiraClientFromSecret, jiraSiteFromSecret } from '#shared/lambda/jira-client.ts';
import { notionClientFromSecret } from '#shared/lambda/notion-client.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { cachedAccounts, syncFollowUps } from '#shared/use-cases/sync-follow-ups.ts';
import { postmortemSyncEnvSchema } from './config.ts';
import { makePostmortemSyncHandler } from './postmortem-sync.ts';

const env = parseEnv(postmortemSyncEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);
const dynamo = new DynamoDBClient(awsClientConfig());
const followUps = createDynamoFollowUpStore(dynamo, env[ENV.tableName], settings.timeZone);
const log = createPowertoolsLog('postmortem-sync');
// The owner lookups are kept while the function stays warm.
let accounts: ((owner: ItemOwner) => Promise<string | null>) | undefined;

export const handler = makePostmortemSyncHandler({
  log,
  async sync() {
    const [jira, notion, site] = await Promise.all([
      jiraClientFromSecret(env[ENV.jiraSecretArn]),
      notionClientFromSecret(env[ENV.notionSecretArn]),
      jiraSiteFromSecret(env[ENV.jiraSecretArn]),
    ]);
    const tracker = createJiraTicketTracker(jira, {
      issueType: settings.followUps.issueType,
      linkType: settings.followUps.linkType,
      siteUrl: site,
    });
    const pages = createNotionPostmortemPages(notion, { jiraBaseUrl: settings.report.jiraBaseUrl ?? site });
    accounts ??= cachedAccounts(pages, tracker);
    return syncFollowUps({ followUps, tracker, pages, settings, nowMs: Date.now, log, accountOf: accounts });
  },
});
