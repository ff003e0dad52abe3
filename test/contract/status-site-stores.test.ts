import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createDirectoryStatusSiteStore } from '#shared/adapters/directory-status-site-store.ts';
import { createInMemoryStatusSiteStore } from '../fakes/in-memory-status-site-store.ts';
import { statusSiteStoreContract } from './status-site-store-contract.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

statusSiteStoreContract('the in-memory fake', async () => {
  const store = createInMemoryStatusSiteStore();
  return { store, read: async (path) => store.files.get(path)?.body ?? null };
});

statusSiteStoreContract('the directory store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'status-site-'));
  dirs.push(dir);
  const read = async (path: string): Promise<string | null> => {
    try {
      return readFileSync(join(dir, path), 'utf8');
    } catch {
      return null;
    }
  };
  return { store: createDirectoryStatusSiteStore(dir), read };
});
