import type { IssueTracker, PostmortemWriter } from '../ports.ts';
import type { Settings } from '../settings.ts';
import type { PublishPostmortemDeps } from '../use-cases/publish-postmortem.ts';
import { builtPerSecret } from './built-per-secret.ts';
import { jiraClientFor, jiraSecretReader } from './jira-client.ts';
import { notionClientFor, notionSecretReader } from './notion-client.ts';

/** The secrets of the postmortem function, as its config read them. */
export interface PostmortemSecrets {
  readonly notionSecretArn: string;
  /** Absent, the postmortem is not linked from the incident's Jira issue. */
  readonly jiraSecretArn?: string | undefined;
}

/**
 * The Notion postmortem writer of a deployed function, and the Jira tracker that links it, when the
 * settings name a database. Their clients are built on the first postmortem (keeping both off every
 * cold start) and again only when a token is rotated.
 */
export function createNotionPostmortems(
  secrets: PostmortemSecrets,
  settings: Settings,
): Pick<PublishPostmortemDeps, 'writer' | 'ownAccountId' | 'tracker'> | undefined {
  const notion = settings.postmortem.notion;
  if (!notion) return undefined;
  const writer = builtPerSecret(
    notionSecretReader(secrets.notionSecretArn),
    async (secret): Promise<PostmortemWriter> => {
      const [client, { createNotionPostmortemWriter }] = await Promise.all([
        notionClientFor(secret),
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
    },
  );
  const ownAccountId = settings.postmortem.ownJiraAccountId ?? null;
  const tracker = secrets.jiraSecretArn
    ? builtPerSecret(jiraSecretReader(secrets.jiraSecretArn), async (secret): Promise<IssueTracker> => {
        const [client, { createJiraIssueTracker }] = await Promise.all([
          jiraClientFor(secret),
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
