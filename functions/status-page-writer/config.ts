import * as z from 'zod/mini';
import { ENV } from '#shared/deployment-names.ts';

/** Exactly the environment the status page writer reads. */
export const statusPageWriterEnvSchema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(1)),
  [ENV.settings]: z.optional(z.string()),
  [ENV.statusSiteBucket]: z.string().check(z.minLength(3)),
  /** The distribution's address, for the feed's and the JSON's links when statusPage.baseUrl is unset. */
  [ENV.statusSiteUrl]: z.string().check(z.startsWith('https://')),
  /** The HTTP API's subscribe route, which the front page's form posts to. */
  [ENV.statusSubscribeUrl]: z.string().check(z.startsWith('https://')),
});
