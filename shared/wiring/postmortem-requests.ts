import { loadOnce } from '../lambda/load-once.ts';
import type { PostmortemRequests } from '../ports.ts';
import { loadAwsSenders } from './aws-senders-loader.ts';

/**
 * Requests to the postmortem function's queue, when the stack deployed one (postmortem.notion is set);
 * the SQS client is loaded on the first request, with the other senders.
 */
export function createLazySqsPostmortemRequests(
  queueUrl: string | undefined,
): PostmortemRequests | undefined {
  if (!queueUrl) return undefined;
  const requests = loadOnce(async () => (await loadAwsSenders()).createAwsPostmortemRequests(queueUrl));
  return { request: async (issueId) => (await requests()).request(issueId) };
}
