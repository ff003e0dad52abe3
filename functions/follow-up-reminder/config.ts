import * as z from 'zod/mini';
import { ENV } from '#shared/deployment-names.ts';

/** Exactly the environment the follow-up reminder reads. */
export const followUpReminderEnvSchema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(1)),
  [ENV.settings]: z.optional(z.string()),
  [ENV.jiraSecretArn]: z
    .string()
    .check(z.minLength(1, "the secret's ARN, or its name when the team brought its own")),
  /** The keep-informed topic, as JSON {"keep-informed": "<topic arn>"}. */
  [ENV.notifyTopicArns]: z.string().check(z.minLength(1)),
});
