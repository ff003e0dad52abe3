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

/** The Jira secret's content. */
export type JiraSecret = z.infer<typeof jiraSecretSchema>;

/** Cached like the other secrets: a rotated token reaches warm functions within five minutes. */
const MAX_AGE_SECONDS = 300;

/**
 * The Jira secret, read through one provider per cold start that caches it for five minutes: call it
 * on every invocation, it asks Secrets Manager at most once per five minutes.
 */
export function jiraSecretReader(jiraSecretArn: string): () => Promise<JiraSecret> {
  // Imported statically: a dynamic import would bundle every Secrets Manager command (25 KB, not 13).
  let secrets: SecretsProvider | undefined;
  return async () => {
    secrets ??= new SecretsProvider({ clientConfig: awsClientConfig() });
    const secret = jiraSecretSchema.safeParse(
      await secrets.get(jiraSecretArn, { transform: 'json', maxAge: MAX_AGE_SECONDS }),
    );
    if (!secret.success)
      throw new SettingsError(`the Jira secret ${jiraSecretArn}: ${z.prettifyError(secret.error)}`);
    return secret.data;
  };
}

/** The Jira site the secret names (https://your-team.atlassian.net), for links to issues. */
export function jiraSiteOf(secret: JiraSecret): string {
  return secret.site.replace(/\/$/, '');
}

/**
 * A jira.js v6 client for the account in the Jira secret, each request limited to
 * OUTBOUND_TIMEOUTS.jiraRequestMs; jira.js is loaded on first use.
 */
export async function jiraClientFor(secret: JiraSecret): Promise<CloudClient> {
  const [{ createCloudClient }, { createClient }] = await Promise.all([
    import('jira.js'),
    import('jira.js/core'),
  ]);
  const transport = createClient({
    host: secret.site,
    auth: { type: 'basic', email: secret.email, apiToken: secret.apiToken },
  });
  return createCloudClient(withRequestTimeout(transport, OUTBOUND_TIMEOUTS.jiraRequestMs));
}
