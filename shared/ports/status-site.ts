import type { SiteFile } from '../domain/status-page-site.ts';

/** What publishing the site did: the paths written and removed; a file whose bytes did not change is neither. */
export interface PublishedSite {
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
}

/** Where the static status site is served from: an S3 bucket behind CloudFront on AWS, a directory locally. */
export interface StatusSiteStore {
  /**
   * Writes each file whose bytes differ from what is at its path (compared by a content hash kept per
   * path; a path with no hash kept is written), and removes each of `removedPaths` not among `files`
   * (removing a path that holds nothing is no error). Publishing the same files again writes nothing;
   * `rewriteAll` writes every file whatever is kept (the daily rebuild, in case the kept hashes lie).
   */
  publish(
    files: readonly SiteFile[],
    removedPaths: readonly string[],
    options?: { readonly rewriteAll?: boolean },
  ): Promise<PublishedSite>;
}
