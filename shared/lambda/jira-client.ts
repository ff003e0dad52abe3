import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { CloudClient } from 'jira.js';
import * as z from 'zod/mini';
import { withRequestTimeout } from '../adapters/jira-request-timeout.ts';
import { SettingsError } from '../errors.ts';
import { awsClientConfig, OUTBOUND_TIMEOUTS } from '../outbound-timeouts.ts';

/** What the Jira secret holds: the account Incident Flow acts as, its API token, and the site. */
export const jiraSecretSchema = z.object({
  email: z.string().check(z.minLength(1, "put the Jira account's email in the secret")),
  apiToken: z.string().check(z.minLength(1, 'put a Jira API token in the secret')),
  site: z.string().check(z.startsWith('https://', 'the Jira site such as https://your-team.atlassian.net')),
});

/** Cached like the other secrets: a rotated token reaches warm functions within five minutes. */
const MAX_AGE_SECONDS = 300;

// Imported statically: a dynamic import would bundle every Secrets Manager command (25 KB, not 13).
async function jiraSecret(jiraSecretArn: string): Promise<z.infer<typeof jiraSecretSchema>> {
  const secrets = new SecretsProvider({ clientConfig: awsClientConfig() });
  const secret = jiraSecretSchema.safeParse(
    await secrets.get(jiraSecretArn, { transform: 'json', maxAge: MAX_AGE_SECONDS }),
  );
  if (!secret.success)
    throw new SettingsError(`the Jira secret ${jiraSecretArn}: ${z.prettifyError(secret.error)}`);
  return secret.data;
}

/** The Jira site the secret names (https://your-team.atlassian.net), for links to issues. */
export async function jiraSiteFromSecret(jiraSecretArn: string): Promise<string> {
  return (await jiraSecret(jiraSecretArn)).site.replace(/\/$/, '');
}

/**
 * A jira.js v6 client for the account in the Jira secret, each request limited to
 * OUTBOUND_TIMEOUTS.jiraRequestMs; jira.js and the secret are loaded on first use.
 */
export async function jiraClientFromSecret(jiraSecretArn: string): Promise<CloudClient> {
  const [secret, { createCloudClient }, { createClient }] = await Promise.all([
    jiraSecret(jiraSecretArn),
    import('jira.js'),
    import('jira.js/core'),
  ]);
  const transport = createClient({
    host: secret.site,
    auth: { type: 'basic', email: secret.email, apiToken: secret.apiToken },
  });
  return createCloudClient(withRequestTimeout(transport, OUTBOUND_TIMEOUTS.jiraRequestMs));
}
