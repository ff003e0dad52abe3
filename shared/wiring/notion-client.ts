import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { Client } from '@notionhq/client';
import * as z from 'zod/mini';
import { SettingsError } from '../errors.ts';
import { awsClientConfig, OUTBOUND_TIMEOUTS } from '../outbound-timeouts.ts';

const notionSecretSchema = z.object({
  token: z.string().check(z.minLength(1, 'put the integration token in the secret')),
});

/** The Notion secret's content. */
export type NotionSecret = z.infer<typeof notionSecretSchema>;

/** Cached like the other secrets: a rotated token reaches warm functions within five minutes. */
const MAX_AGE_SECONDS = 300;

/**
 * The Notion secret, read through one provider per cold start that caches it for five minutes: call
 * it on every invocation, it asks Secrets Manager at most once per five minutes. The provider is
 * imported statically: a dynamic import would bundle every Secrets Manager command.
 */
export function notionSecretReader(notionSecretArn: string): () => Promise<NotionSecret> {
  let secrets: SecretsProvider | undefined;
  return async () => {
    secrets ??= new SecretsProvider({ clientConfig: awsClientConfig() });
    const secret = notionSecretSchema.safeParse(
      await secrets.get(notionSecretArn, { transform: 'json', maxAge: MAX_AGE_SECONDS }),
    );
    if (!secret.success)
      throw new SettingsError(`the Notion secret ${notionSecretArn}: ${z.prettifyError(secret.error)}`);
    return secret.data;
  };
}

/**
 * A Notion client (API version 2025-09-03) for the integration token in the Notion secret, paced at
 * Notion's ~3 requests a second per integration; the client is loaded on first use.
 */
export async function notionClientFor(secret: NotionSecret): Promise<Client> {
  const [{ Client }, { createRateLimiter, rateLimitedFetch }] = await Promise.all([
    import('@notionhq/client'),
    import('../adapters/notion-rate-limiter.ts'),
  ]);
  return new Client({
    auth: secret.token,
    notionVersion: '2025-09-03',
    timeoutMs: OUTBOUND_TIMEOUTS.notionRequestMs,
    fetch: rateLimitedFetch(createRateLimiter({ requestsPerSecond: 3 })),
  });
}
