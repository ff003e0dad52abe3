import * as z from 'zod/mini';
import { ENV } from '../deployment-names.ts';
import { SettingsError } from '../errors.ts';
import type { PostmortemWriter } from '../ports.ts';
import type { Settings } from '../settings.ts';
import type { ProcessIncidentDeps } from '../use-cases/process-incident.ts';

const notionSecretSchema = z.object({
  token: z.string().check(z.minLength(1, 'put the integration token in the secret')),
});

/** Cached like the other secrets: a rotated token reaches warm functions within five minutes. */
const MAX_AGE_SECONDS = 300;

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
  let writer: Promise<PostmortemWriter> | undefined;
  const load = async (): Promise<PostmortemWriter> => {
    const [{ getSecret }, { Client }, { createNotionPostmortemWriter }] = await Promise.all([
      import('@aws-lambda-powertools/parameters/secrets'),
      import('@notionhq/client'),
      import('../adapters/notion-postmortem-writer.ts'),
    ]);
    const secret = notionSecretSchema.safeParse(
      await getSecret(secretArn, { transform: 'json', maxAge: MAX_AGE_SECONDS }),
    );
    if (!secret.success)
      throw new SettingsError(`the Notion secret ${secretArn}: ${z.prettifyError(secret.error)}`);
    const template =
      notion.template === 'built-in'
        ? { kind: 'built-in' as const }
        : notion.template === 'default'
          ? { kind: 'default' as const }
          : { kind: 'template-id' as const, id: notion.template.templateId };
    return createNotionPostmortemWriter(
      new Client({ auth: secret.data.token, notionVersion: '2025-09-03' }),
      {
        databaseId: notion.databaseId,
        template,
      },
    );
  };
  return {
    ownAccountId: settings.postmortem.ownJiraAccountId ?? null,
    writer: {
      async write(draft) {
        // A failed load (no token yet) is tried again on the next postmortem.
        writer ??= load().catch((error: unknown) => {
          writer = undefined;
          throw error;
        });
        return (await writer).write(draft);
      },
    },
  };
}
