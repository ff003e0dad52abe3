import * as z from 'zod/mini';
import { SettingsError } from '../errors.ts';
import type { WebhookSecrets } from '../lambda/webhook-signature.ts';

const webhookSecretsSchema = z.object({
  current: z.string().check(z.minLength(16)),
  previous: z.optional(z.string()),
});

/** Cached per cold start for five minutes, so a rotation reaches warm functions without a deploy. */
const MAX_AGE_SECONDS = 300;

/**
 * The webhook secrets from a Secrets Manager secret holding {"current": "...", "previous": "..."}.
 * The Secrets Manager client loads on first use, keeping it off the cold-start import path.
 */
export function createSecretsManagerWebhookSecrets(secretId: string): () => Promise<WebhookSecrets> {
  return async () => {
    const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
    const value = await getSecret(secretId, { transform: 'json', maxAge: MAX_AGE_SECONDS });
    const parsed = webhookSecretsSchema.safeParse(value);
    if (!parsed.success) {
      throw new SettingsError(
        `the webhook secret must be JSON {"current": "<at least 16 characters>", "previous"?: "..."}: ${z.prettifyError(parsed.error)}`,
      );
    }
    return parsed.data;
  };
}
