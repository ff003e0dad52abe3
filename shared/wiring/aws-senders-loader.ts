import { loadOnce } from '../lambda/load-once.ts';

/**
 * Where aws-senders is: the TypeScript source when run from it (tests, tsc), and deployed the file of
 * its own that the function construct bundles beside index.mjs (LAZY_MODULES). A dynamic import that
 * esbuild could follow would put it back into the one-file bundle, with every command of each client.
 */
export const AWS_SENDERS_MODULE = import.meta.url.endsWith('.ts') ? './aws-senders.ts' : './aws-senders.mjs';

/** The AWS senders (SNS, SQS, the directory's parameter store), imported once, on first use. */
export const loadAwsSenders = loadOnce(
  () => import(AWS_SENDERS_MODULE) as Promise<typeof import('./aws-senders.ts')>,
);
