import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The shared secrets a webhook may be signed with: the current one and, while rotating, the previous. */
export interface WebhookSecrets {
  readonly current: string;
  readonly previous?: string | undefined;
}

// Jira Cloud signs admin webhooks WebSub-style: `X-Hub-Signature: sha256=<hex HMAC of the raw body>`.
const SUPPORTED_METHODS = { sha256: 'sha256' } as const;
const SIGNATURE_FORMAT = /^([a-z0-9-]+)=([0-9a-f]+)$/i;

function isSupported(method: string): method is keyof typeof SUPPORTED_METHODS {
  return Object.hasOwn(SUPPORTED_METHODS, method);
}

/** Signs a body as Jira does; for senders of our own (the demo, tests, benchmarks). */
export function signWebhookBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True when the header is a well-formed signature of the raw body by one of the secrets. */
export function isValidSignature(
  rawBody: Buffer,
  header: string | undefined,
  secrets: WebhookSecrets,
): boolean {
  const match = header === undefined ? null : SIGNATURE_FORMAT.exec(header.trim());
  if (!match?.[1] || !match[2]) return false;
  const method = match[1].toLowerCase();
  if (!isSupported(method)) return false;
  const received = Buffer.from(match[2], 'hex');
  const candidates = [secrets.current, secrets.previous].filter((secret) => !!secret);
  let valid = false;
  // Every secret is tried, so the time taken does not tell which one matched.
  for (const secret of candidates) {
    const expected = createHmac(SUPPORTED_METHODS[method], secret as string)
      .update(rawBody)
      .digest();
    if (expected.length === received.length && timingSafeEqual(expected, received)) valid = true;
  }
  return valid;
}

/**
 * True when a shared-secret header (Jira Automation's "Send web request" cannot sign a body) holds one
 * of the secrets. Both sides are hashed first, so the comparison takes the same time whatever the
 * lengths, and every secret is tried.
 */
export function isValidSharedSecret(header: string | undefined, secrets: WebhookSecrets): boolean {
  if (header === undefined || header.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  const received = digest(header.trim());
  let valid = false;
  for (const secret of [secrets.current, secrets.previous]) {
    if (secret && timingSafeEqual(digest(secret), received)) valid = true;
  }
  return valid;
}
