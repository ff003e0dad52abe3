import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { Client } from '@notionhq/client';
import * as z from 'zod/mini';
import { SettingsError } from '../errors.ts';
import { awsClientConfig, OUTBOUND_TIMEOUTS } from '../outbound-timeouts.ts';

const notionSecretSchema = z.object({
  token: z.string().check(z.minLength(1, 'put the integration token in the secret')),
});

/** Cached like the other secrets: a rotated token reaches warm functions within five minutes. */
const MAX_AGE_SECONDS = 300;

/**
 * A Notion client (API version 2025-09-03) for the integration token in the Notion secret, paced at
 * Notion's ~3 requests a second per integration; the client and the secret are loaded on first use.
 * The secrets provider is imported statically: a dynamic import would bundle every Secrets Manager command.
 */
export async function notionClientFromSecret(notionSecretArn: string): Promise<Client> {
  const [{ Client }, { createRateLimiter, rateLimitedFetch }] = await Promise.all([
    import('@notionhq/client'),
    import('../adapters/notion-rate-limiter.ts'),
  ]);
  const secret = notionSecretSchema.safeParse(
    await new SecretsProvider({ clientConfig: awsClientConfig() }).get(notionSecretArn, {
      transform: 'json',
      maxAge: MAX_AGE_SECONDS,
    }),
  );
  if (!secret.success)
    throw new SettingsError(`the Notion secret ${notionSecretArn}: ${z.prettifyError(secret.error)}`);
  return new Client({
    auth: secret.data.token,
    notionVersion: '2025-09-03',
    timeoutMs: OUTBOUND_TIMEOUTS.notionRequestMs,
    fetch: rateLimitedFetch(createRateLimiter({ requestsPerSecond: 3 })),
  });
}
