import { NetworkError } from 'jira.js';
import type { Client, SendRequestOptions } from 'jira.js/core';

/**
 * The jira.js transport with a time limit on each request: jira.js v6 has no timeout option and passes
 * no abort signal to fetch, so a Jira that accepts the connection and never answers would hold the call
 * until the Lambda times out. Past `timeoutMs` the call fails as a transient NetworkError (ETIMEDOUT),
 * which the adapters retry and finally report as UpstreamUnavailableError. The abandoned fetch is left
 * to undici's own timeouts.
 */
export function withRequestTimeout(transport: Client, timeoutMs: number): Client {
  return {
    sendRequest<T>(options: SendRequestOptions<T>): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const reason = `Jira did not answer within ${timeoutMs} ms`;
          reject(new NetworkError(reason, { code: 'ETIMEDOUT', transient: true, cause: undefined }));
        }, timeoutMs);
      });
      return Promise.race([transport.sendRequest<T>(options), timeout]).finally(() => clearTimeout(timer));
    },
  };
}
