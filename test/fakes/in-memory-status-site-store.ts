import type { SiteFile } from '#shared/domain/status-page-site.ts';
import type { StatusSiteStore } from '#shared/ports.ts';

/** A status site store in memory: the files it holds by path, and every path it wrote, in order. */
export function createInMemoryStatusSiteStore(): StatusSiteStore & {
  readonly files: Map<string, SiteFile>;
  readonly writes: string[];
} {
  const files = new Map<string, SiteFile>();
  const writes: string[] = [];
  return {
    files,
    writes,
    async publish(site, removedPaths, options = {}) {
      const kept = new Set(site.map((file) => file.path));
      const written = site
        .filter((file) => options.rewriteAll || files.get(file.path)?.body !== file.body)
        .map((file) => file.path);
      for (const file of site.filter((each) => written.includes(each.path))) files.set(file.path, file);
      writes.push(...written);
      const removed = removedPaths.filter((path) => !kept.has(path) && files.delete(path));
      return { written, removed, unchanged: site.length - written.length };
    },
  };
}
