import { UpstreamUnavailableError } from '../errors.ts';

/** SNS's refusals that say "not now": its throttling under each name, and its own faults. */
const RETRYABLE = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'InternalError',
  'InternalErrorException',
  'ServiceUnavailable',
]);

/** The SDK's error name (for codes the SNS model defines, the exception name: InternalErrorException). */
export const snsErrorName = (error: unknown): string => (error as { name?: string } | null)?.name ?? '';

/** Runs one SNS call; a refusal that says "not now" becomes UpstreamUnavailableError, for the caller to retry. */
export async function callSns<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
    const name = snsErrorName(error);
    // SNS sends no Retry-After, so when to come back is not known.
    if (RETRYABLE.has(name) || status === 429 || status >= 500) {
      throw new UpstreamUnavailableError(`SNS refused the request now (${name || status})`, null, {
        cause: error,
      });
    }
    throw error;
  }
}
