import { createHash } from 'node:crypto';

/**
 * What is built from secrets (clients and the adapters over them), built on first use and again only
 * when a secret's value changes. Each call reads the secrets through their cached providers, so a
 * warm function picks up a rotated token within the cache's age without rebuilding on every
 * invocation; a failed build is tried again on the next call.
 */
export function builtPerSecret<Secrets, Built>(
  read: () => Promise<Secrets>,
  build: (secrets: Secrets) => Promise<Built>,
): () => Promise<Built> {
  let built: { readonly fingerprint: string; readonly value: Promise<Built> } | undefined;
  return async () => {
    const secrets = await read();
    // A digest, so that no second copy of the token is kept beside the provider's cache.
    const fingerprint = createHash('sha256').update(JSON.stringify(secrets)).digest('hex');
    if (built?.fingerprint !== fingerprint) {
      const value = build(secrets);
      const attempt = { fingerprint, value };
      built = attempt;
      value.catch(() => {
        if (built === attempt) built = undefined;
      });
    }
    return built.value;
  };
}
