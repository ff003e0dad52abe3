import { verify } from '@octokit/webhooks-methods';
import type { WebhookSecrets } from '#shared/lambda/webhook-signature.ts';

/** True when X-Hub-Signature-256 signs the raw body with the current or the previous secret. */
export async function isGitHubSignatureValid(
  rawBody: Buffer,
  signature: string | undefined,
  secrets: WebhookSecrets,
): Promise<boolean> {
  // verify() throws on an empty payload or signature: those are simply not signed.
  if (signature === undefined || signature.length === 0 || rawBody.length === 0) return false;
  const payload = rawBody.toString('utf8');
  let valid = false;
  // Every secret is tried, so the time taken does not tell which one matched.
  for (const secret of [secrets.current, secrets.previous]) {
    if (secret && (await verify(secret, payload, signature))) valid = true;
  }
  return valid;
}
