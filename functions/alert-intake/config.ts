import * as z from 'zod/mini';
import { ENV } from '#shared/deployment-names.ts';

/** Exactly the environment the alert intake reads. */
export const alertIntakeEnvSchema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(1)),
  [ENV.settings]: z.optional(z.string()),
  [ENV.webhookSecretArn]: z.string().check(z.minLength(1)),
  [ENV.jiraSecretArn]: z.string().check(z.minLength(1)),
});
