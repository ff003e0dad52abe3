import * as z from 'zod/mini';
import { ENV } from '#shared/deployment-names.ts';

/** Exactly the environment the postmortem writer reads (the Jira secret is optional: no comment without it). */
export const postmortemWriterEnvSchema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(1)),
  [ENV.settings]: z.optional(z.string()),
  // An ARN, or a name when the team referenced its own secret (existingSecrets.notion).
  [ENV.notionSecretArn]: z.string().check(z.minLength(1)),
  [ENV.jiraSecretArn]: z.optional(z.string()),
  /** Its own queue, to set when a failed message comes back (the backoff). */
  [ENV.postmortemQueueUrl]: z.string().check(z.startsWith('https://')),
});
