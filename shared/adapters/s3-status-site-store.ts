import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { UpstreamRefusedError, UpstreamUnavailableError } from '../errors.ts';
import type { StatusSiteStore } from '../ports.ts';
import { statusPageCacheControl } from '../status-page-headers.ts';
import { siteContentHash } from './site-content-hash.ts';

/** S3 calls in flight at once: a cold start's full write of a few dozen files takes a few round trips. */
const PARALLEL_CALLS = 8;

/** What is known to be at a path: the hash of the bytes written there, or null once it was removed. */
type KnownContent = Map<string, string | null>;

async function callS3<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
    const name = (error as { name?: string } | null)?.name ?? 'an error';
    if (status === 403 || status === 404)
      throw new UpstreamRefusedError(
        `S3 refused ${what} (${name}): check the bucket's name and that the function may write to it`,
        { cause: error },
      );
    throw new UpstreamUnavailableError(`S3 did not take ${what} now (${name || status})`, null, {
      cause: error,
    });
  }
}

async function inBatches<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += PARALLEL_CALLS) {
    await Promise.all(items.slice(start, start + PARALLEL_CALLS).map(run));
  }
}

/**
 * The status site in an S3 bucket: each file put with its media type and Cache-Control. The hashes of
 * what it wrote are kept in memory, so a warm function writes only what changed and a cold one writes
 * every file once (a few dozen PUTs); the function's role needs no read of the bucket at all. This
 * holds while one writer at a time publishes (the stack's FIFO queue of one message group): another
 * writer's puts would not be in these hashes, which `rewriteAll` (the daily rebuild) forgets.
 */
export function createS3StatusSiteStore(client: S3Client, bucketName: string): StatusSiteStore {
  const known: KnownContent = new Map();
  return {
    async publish(files, removedPaths, options = {}) {
      if (options.rewriteAll) known.clear();
      const kept = new Set(files.map((file) => file.path));
      const changed = files
        .map((file) => ({ file, hash: siteContentHash(file.body) }))
        .filter(({ file, hash }) => known.get(file.path) !== hash);
      const removed = removedPaths.filter((path) => !kept.has(path) && known.get(path) !== null);
      await inBatches(changed, async ({ file, hash }) => {
        await callS3(`writing ${file.path}`, () =>
          client.send(
            new PutObjectCommand({
              Bucket: bucketName,
              Key: file.path,
              Body: file.body,
              ContentType: file.contentType,
              CacheControl: statusPageCacheControl(file.path),
            }),
          ),
        );
        known.set(file.path, hash);
      });
      await inBatches(removed, async (path) => {
        await callS3(`removing ${path}`, () =>
          client.send(new DeleteObjectCommand({ Bucket: bucketName, Key: path })),
        );
        known.set(path, null);
      });
      return {
        written: changed.map(({ file }) => file.path),
        removed,
        unchanged: files.length - changed.length,
      };
    },
  };
}
