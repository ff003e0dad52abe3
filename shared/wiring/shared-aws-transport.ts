import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AWS_MAX_ATTEMPTS } from '../outbound-timeouts.ts';

/**
 * The parts of a built client that a second client of the same function can reuse: its credentials
 * provider, its HTTP handler (the same timeouts, one connection pool) and its region. A client built
 * with its own defaults resolves each again, which was most of the cost of constructing the Secrets
 * Manager client on a webhook's cold start (measured in bench/bundles.ts).
 */
export function sameTransportAs(client: DynamoDBClient) {
  const { credentials, requestHandler, region } = client.config;
  return { credentials, requestHandler, region, maxAttempts: AWS_MAX_ATTEMPTS };
}
