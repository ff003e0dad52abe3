import { createHash } from 'node:crypto';

/** The hash a site file's bytes are compared by: SHA-256 of its UTF-8 text, in hex. */
export function siteContentHash(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}
