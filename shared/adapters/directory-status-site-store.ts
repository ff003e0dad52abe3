import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StatusSiteStore } from '../ports.ts';
import { containedPath } from './contained-path.ts';
import { siteContentHash } from './site-content-hash.ts';

async function hashAt(path: string): Promise<string | null> {
  try {
    return siteContentHash(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The status site in a local directory (the local mode, the tests): a file is compared by the hash of
 * the bytes already on disk at its path, so what is there is always the truth, across restarts too.
 */
export function createDirectoryStatusSiteStore(dir: string): StatusSiteStore {
  return {
    async publish(files, removedPaths, options = {}) {
      const kept = new Set(files.map((file) => file.path));
      const written: string[] = [];
      for (const file of files) {
        const path = containedPath(dir, file.path);
        if (!options.rewriteAll && (await hashAt(path)) === siteContentHash(file.body)) continue;
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, file.body);
        written.push(file.path);
      }
      const removed: string[] = [];
      for (const removedPath of removedPaths.filter((each) => !kept.has(each))) {
        const path = containedPath(dir, removedPath);
        if ((await hashAt(path)) === null) continue;
        await rm(path, { force: true });
        removed.push(removedPath);
      }
      return { written, removed, unchanged: files.length - written.length };
    },
  };
}
