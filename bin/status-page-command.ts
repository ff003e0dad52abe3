import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { containedPath } from '#shared/adapters/contained-path.ts';
import type { Settings } from '#shared/settings.ts';
import { buildStatusSite } from '#shared/use-cases/build-status-site.ts';
import { type LocalStoreOptions, openLocalStore } from './local-store.ts';

export interface StatusPageCommandContext {
  readonly settings: Settings;
  readonly local: LocalStoreOptions;
  readonly nowMs: () => number;
  readonly out: (text: string) => void;
}

/**
 * `incident-flow status-page --out <dir> [--base-url https://status.example.com]`: the static status
 * site, built from the local store as of now, written into `dir` (a file of the site per path).
 */
export async function statusPageCommand(
  args: readonly string[],
  context: StatusPageCommandContext,
): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: { out: { type: 'string' }, 'base-url': { type: 'string' } },
  });
  if (!values.out) throw new Error('status-page: --out <dir> names where the site is written');
  const outDir = resolve(values.out);
  const baseUrl = (
    values['base-url'] ??
    context.settings.statusPage.baseUrl ??
    'http://127.0.0.1:3000/status'
  ).replace(/\/+$/, '');
  const local = await openLocalStore(context.local, {
    command: 'status-page',
    create: false,
    note: (line) => context.out(line),
  });
  try {
    const files = await buildStatusSite(
      { incidents: local.store, settings: context.settings, nowMs: context.nowMs },
      baseUrl,
    );
    for (const file of files) {
      const path = containedPath(outDir, resolve(outDir, file.path));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.body);
    }
    context.out(`wrote ${files.length} files of the status page to ${outDir} (links to ${baseUrl})\n`);
  } finally {
    await local.close();
  }
}
