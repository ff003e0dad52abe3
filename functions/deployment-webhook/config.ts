import * as z from 'zod/mini';
import { ENV } from '#shared/deployment-names.ts';

/** Exactly the environment the deployment webhook reads. */
export const deploymentWebhookEnvSchema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(1)),
  [ENV.webhookSecretArn]: z.string().check(z.minLength(1)),
});
