import { ENV } from '../deployment-names.ts';
import { SettingsError } from '../errors.ts';
import type { IssueTracker, PostmortemRequests, PostmortemWriter } from '../ports.ts';
import type { Settings } from '../settings.ts';
import type { ProcessIncidentDeps } from '../use-cases/process-incident.ts';
import { loadAwsSenders } from './aws-senders-loader.ts';
import { jiraClientFromSecret } from './jira-client.ts';
import { loadOnce } from './load-once.ts';
import { notionClientFromSecret } from './notion-client.ts';

/**
 * The Notion postmortem writer of a deployed function, when the settings name a database. The Notion
 * client and its token are loaded on the first postmortem, keeping both off every cold start.
 */
export function postmortemsFromEnv(
  env: Record<string, string | undefined>,
  settings: Settings,
): ProcessIncidentDeps['postmortems'] {
  const notion = settings.postmortem.notion;
  if (!notion) return undefined;
  const secretArn = env[ENV.notionSecretArn];
  if (!secretArn)
    throw new SettingsError(
      `${ENV.notionSecretArn} is missing: the stack grants the Notion secret when postmortem.notion is set`,
    );
  const writer = loadOnce(async (): Promise<PostmortemWriter> => {
    const [client, { createNotionPostmortemWriter }] = await Promise.all([
      notionClientFromSecret(secretArn),
      import('../adapters/notion-postmortem-writer.ts'),
    ]);
    const chosen = notion.template;
    const template =
      chosen === 'built-in'
        ? { kind: 'built-in' as const }
        : chosen === 'default'
          ? { kind: 'default' as const }
          : 'templateId' in chosen
            ? { kind: 'template-id' as const, id: chosen.templateId }
            : { kind: 'template-page' as const, pageId: chosen.templatePageId };
    return createNotionPostmortemWriter(client, {
      databaseId: notion.databaseId,
      template,
      timeZone: settings.timeZone,
    });
  });
  const jiraSecretArn = env[ENV.jiraSecretArn];
  const ownAccountId = settings.postmortem.ownJiraAccountId ?? null;
  const tracker = jiraSecretArn
    ? loadOnce(async (): Promise<IssueTracker> => {
        const [client, { createJiraIssueTracker }] = await Promise.all([
          jiraClientFromSecret(jiraSecretArn),
          import('../adapters/jira-issue-tracker.ts'),
        ]);
        return createJiraIssueTracker(client, ownAccountId ? { ownAccountId } : {});
      })
    : undefined;
  return {
    ownAccountId,
    writer: {
      write: async (draft) => (await writer()).write(draft),
      refreshProperties: async (postmortem, draft) => (await writer()).refreshProperties(postmortem, draft),
    },
    tracker: tracker
      ? { commentOnce: async (issueKey, comment) => (await tracker()).commentOnce(issueKey, comment) }
      : undefined,
  };
}

/** The postmortem function's queue, when the stack deployed one (postmortem.notion is set). */
export function postmortemRequestsFromEnv(
  env: Record<string, string | undefined>,
): PostmortemRequests | undefined {
  const queueUrl = env[ENV.postmortemQueueUrl];
  if (!queueUrl) return undefined;
  const requests = loadOnce(async () => (await loadAwsSenders()).createAwsPostmortemRequests(queueUrl));
  return { request: async (issueId) => (await requests()).request(issueId) };
}
