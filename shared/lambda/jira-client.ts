import type { CloudClient } from 'jira.js';
import * as z from 'zod/mini';
import { SettingsError } from '../errors.ts';

/** What the Jira secret holds: the account Incident Flow acts as, its API token, and the site. */
export const jiraSecretSchema = z.object({
  email: z.string().check(z.minLength(1, "put the Jira account's email in the secret")),
  apiToken: z.string().check(z.minLength(1, 'put a Jira API token in the secret')),
  site: z.string().check(z.startsWith('https://', 'the Jira site such as https://your-team.atlassian.net')),
});

/** Cached like the other secrets: a rotated token reaches warm functions within five minutes. */
const MAX_AGE_SECONDS = 300;

async function jiraSecret(jiraSecretArn: string): Promise<z.infer<typeof jiraSecretSchema>> {
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  const secret = jiraSecretSchema.safeParse(
    await getSecret(jiraSecretArn, { transform: 'json', maxAge: MAX_AGE_SECONDS }),
  );
  if (!secret.success)
    throw new SettingsError(`the Jira secret ${jiraSecretArn}: ${z.prettifyError(secret.error)}`);
  return secret.data;
}

/** The Jira site the secret names (https://your-team.atlassian.net), for links to issues. */
export async function jiraSiteFromSecret(jiraSecretArn: string): Promise<string> {
  return (await jiraSecret(jiraSecretArn)).site.replace(/\/$/, '');
}

/** A jira.js v6 client for the account in the Jira secret; jira.js and the secret are loaded on first use. */
export async function jiraClientFromSecret(jiraSecretArn: string): Promise<CloudClient> {
  const [secret, { createCloudClient }] = await Promise.all([jiraSecret(jiraSecretArn), import('jira.js')]);
  return createCloudClient({
    host: secret.site,
    auth: { type: 'basic', email: secret.email, apiToken: secret.apiToken },
  });
}
