import * as z from 'zod/mini';
import { ENV } from '#shared/deployment-names.ts';

/** Exactly the environment the incident processor reads. */
export const incidentProcessorEnvSchema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(1)),
  [ENV.settings]: z.optional(z.string()),
  /** Each group's topic, as JSON {"<group>": "<topic arn>"}. */
  [ENV.notifyTopicArns]: z.string().check(z.minLength(2)),
  [ENV.recheckQueueUrl]: z.string().check(z.startsWith('https://')),
  /** The postmortem function's queue: set only when postmortem.notion is (the stack deploys it then). */
  [ENV.postmortemQueueUrl]: z.optional(z.string()),
});
