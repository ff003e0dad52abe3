import {
  maskEmail,
  parseSubscriptionRequest,
  type SubscriptionAnswer,
} from '../domain/subscription-request.ts';
import { UpstreamUnavailableError } from '../errors.ts';
import type { Log, Subscriptions } from '../ports.ts';

/**
 * A reader's "get updates by email" form: the address checked, then subscribed; what to tell the reader
 * comes back. SNS saying "not now" is an answer ('unavailable'); any other failure is thrown.
 */
export async function subscribeToUpdates(
  form: URLSearchParams,
  deps: { readonly subscriptions: Subscriptions; readonly log: Log },
): Promise<SubscriptionAnswer> {
  const request = parseSubscriptionRequest(form);
  if (request.kind === 'invalid') return { kind: 'refused', message: request.problem.message };
  try {
    const outcome = await deps.subscriptions.subscribe(request.email);
    deps.log.info('subscription requested', { email: maskEmail(request.email), outcome });
    return { kind: outcome };
  } catch (error) {
    if (!(error instanceof UpstreamUnavailableError)) throw error;
    deps.log.warn('subscription not taken now', { email: maskEmail(request.email), error: error.message });
    return { kind: 'unavailable' };
  }
}
