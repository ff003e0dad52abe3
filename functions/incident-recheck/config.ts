import * as z from 'zod/mini';
import { ENV } from '#shared/deployment-names.ts';

/** Exactly the environment the recheck function reads, beside the notification settings. */
export const incidentRecheckEnvSchema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(1)),
  [ENV.settings]: z.optional(z.string()),
});
