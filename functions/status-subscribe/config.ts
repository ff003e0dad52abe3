import * as z from 'zod/mini';
import { ENV } from '#shared/deployment-names.ts';

/** Exactly the environment the status page's subscribe function reads. */
export const statusSubscribeEnvSchema = z.object({
  [ENV.settings]: z.optional(z.string()),
  [ENV.subscribeTopicArn]: z.string().check(z.startsWith('arn:aws')),
  /** The distribution's address, where the answers link back when statusPage.baseUrl is unset. */
  [ENV.statusSiteUrl]: z.string().check(z.startsWith('https://')),
});
