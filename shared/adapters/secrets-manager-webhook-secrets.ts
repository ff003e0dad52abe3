import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { SettingsError } from '../errors.ts';
import type { WebhookSecrets } from '../lambda/webhook-signature.ts';
import { awsClientConfig } from '../outbound-timeouts.ts';

const webhookSecretsSchema = z.object({
  current: z.string().check(z.minLength(16)),
  previous: z.optional(z.string()),
});

/** Cached per cold start for five minutes, so a rotation reaches warm functions without a deploy. */
const MAX_AGE_SECONDS = 300;

/**
 * The webhook secrets from a Secrets Manager secret holding {"current": "...", "previous": "..."}.
 * Parameters is imported statically: every request needs the secret, and in a one-file bundle a
 * dynamic import would only defer loading it to the first request, while bundling the whole client.
 */
export function createSecretsManagerWebhookSecrets(
  secretId: string,
  clientConfig: SecretsManagerClientConfig = awsClientConfig(),
): () => Promise<WebhookSecrets> {
  const secrets = new SecretsProvider({ clientConfig });
  return async () => {
    const value = await secrets.get(secretId, { transform: 'json', maxAge: MAX_AGE_SECONDS });
    const parsed = webhookSecretsSchema.safeParse(value);
    if (!parsed.success) {
      throw new SettingsError(
        `the webhook secret must be JSON {"current": "<at least 16 characters>", "previous"?: "..."}: ${z.prettifyError(parsed.error)}`,
      );
    }
    return parsed.data;
  };
}
