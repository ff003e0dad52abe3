import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { header } from './http.ts';
import { isValidSharedSecret, isValidSignature, type WebhookSecrets } from './webhook-signature.ts';

/** Grafana's optional HMAC header on webhook contact points (hex SHA-256 of the body). */
export const GRAFANA_SIGNATURE_HEADER = 'x-grafana-alerting-signature';

/** The secret an Authorization header carries: a bearer token, or basic auth's password. */
function secretOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const [scheme, ...rest] = authorization.trim().split(/\s+/);
  const value = rest.join(' ');
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // The user name is free (Alertmanager's basic_auth needs one); the password is the secret.
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/**
 * True when an alerting tool authenticated as it can: `Authorization: Bearer <secret>` or basic
 * auth with the secret as password (Alertmanager's http_config, Grafana's contact point), or Grafana's
 * HMAC signature of the raw body. Compared in constant time against the current and previous secret.
 */
export function isAuthorizedAlert(
  event: APIGatewayProxyEventV2,
  rawBody: Buffer,
  secrets: WebhookSecrets,
): boolean {
  const signature = header(event, GRAFANA_SIGNATURE_HEADER);
  if (signature !== undefined) {
    const normalised = signature.includes('=') ? signature : `sha256=${signature}`;
    return isValidSignature(rawBody, normalised, secrets);
  }
  return isValidSharedSecret(secretOf(header(event, 'authorization')), secrets);
}
