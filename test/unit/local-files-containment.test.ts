import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PathEscapeError } from '#shared/adapters/contained-path.ts';
import { createMarkdownPostmortemPages } from '#shared/adapters/markdown-postmortem-pages.ts';
import { createMarkdownPostmortemWriter } from '#shared/adapters/markdown-postmortem-writer.ts';
import type { PostmortemDraft } from '#shared/ports.ts';

const roots: string[] = [];

/** DATA_DIR with its postmortems folder, and a file beside DATA_DIR that must stay untouched. */
function dataDir() {
  const root = mkdtempSync(join(tmpdir(), 'incident-flow-contained-'));
  roots.push(root);
  const dir = join(root, 'data', 'postmortems');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'outside.md'), '# not a postmortem\n');
  return { root, dir };
}

const draft = (incidentKey: string): PostmortemDraft => ({
  incidentKey,
  title: `${incidentKey}: a hostile key`,
  jiraUrl: null,
  severity: 'SEV1',
  incidentStartMs: 0,
  resolvedAtMs: 60_000,
  timeToResolve: '1m',
  timeToAcknowledge: null,
  ownerEmail: null,
  blocks: [],
});

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('the local Markdown postmortems', () => {
  it.each(['../../x', '../../outside', 'OPS-1/../../../x', 'OPS-1\u0000'])(
    'refuses to write a postmortem named %j and writes nothing',
    async (key) => {
      const { root, dir } = dataDir();
      const writer = createMarkdownPostmortemWriter(dir);

      const writing = writer.write(draft(key));

      await expect(writing).rejects.toThrow(PathEscapeError);
      expect(readdirSync(root).sort()).toEqual(['data', 'outside.md']);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it('refuses to refresh a postmortem whose id leads outside its folder', async () => {
    const { root, dir } = dataDir();
    const writer = createMarkdownPostmortemWriter(dir);

    const refreshing = writer.refreshProperties(
      { id: '../../outside', url: 'file:///x', created: true },
      draft('OPS-1'),
    );

    await expect(refreshing).rejects.toThrow(PathEscapeError);
    expect(existsSync(join(root, 'outside.md'))).toBe(true);
  });

  it('refuses to read the action items of a page whose id leads outside its folder', async () => {
    const { dir } = dataDir();
    const pages = createMarkdownPostmortemPages(dir);

    const reading = pages.actionItems('../../outside');

    await expect(reading).rejects.toThrow(PathEscapeError);
  });

  it('still writes the postmortem of a real key in its folder', async () => {
    const { dir } = dataDir();
    const writer = createMarkdownPostmortemWriter(dir);

    const written = await writer.write(draft('OPS-42'));

    expect(written).toMatchObject({ id: 'OPS-42', created: true });
    expect(readdirSync(dir)).toEqual(['OPS-42.md']);
  });
});
