import { UpstreamUnavailableError } from '../errors.ts';

/** SNS's refusals that say "not now": its throttling under each name, and its own faults. */
const RETRYABLE = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'InternalError',
  'InternalErrorException',
  'ServiceUnavailable',
  // No answer in time (the client's request or connection timeout) or a dropped connection.
  'TimeoutError',
  'RequestTimeout',
]);

/** Socket failures under Node's codes: the request may not have reached SNS, so it is worth trying again. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
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
    const code = (error as { code?: string } | null)?.code ?? '';
    // SNS sends no Retry-After, so when to come back is not known.
    if (RETRYABLE.has(name) || NETWORK_CODES.has(code) || status === 429 || status >= 500) {
      throw new UpstreamUnavailableError(
        `SNS did not take the request now (${name || code || status})`,
        null,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}
