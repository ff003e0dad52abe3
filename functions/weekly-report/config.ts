import * as z from 'zod/mini';
import { ENV } from '#shared/deployment-names.ts';

/** Exactly the environment the weekly report reads. */
export const weeklyReportEnvSchema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(1)),
  [ENV.settings]: z.optional(z.string()),
  [ENV.reportTopicArn]: z.string().check(z.startsWith('arn:aws')),
});
