import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createMarkdownPostmortemPages } from '#shared/adapters/markdown-postmortem-pages.ts';
import { createMarkdownPostmortemWriter } from '#shared/adapters/markdown-postmortem-writer.ts';
import {
  type ContractItem,
  contractPostmortemDraft,
  postmortemPagesContract,
} from '../contract/postmortem-pages-contract.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-postmortem-pages-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
let dirs = 0;

/** The to-dos as a person types them in Markdown, nested ones indented. */
const linesOf = (items: readonly ContractItem[], indent = ''): string[] =>
  items.flatMap((item) => [
    `${indent}- [${item.checked ? 'x' : ' '}] ${item.summary}`,
    ...linesOf(item.nested ?? [], `${indent}  `),
  ]);

postmortemPagesContract('the Markdown pages', async (items) => {
  dirs += 1;
  const dir = join(dataDir, `postmortems-${dirs}`);
  const { id } = await createMarkdownPostmortemWriter(dir).write(contractPostmortemDraft());
  const path = join(dir, `${id}.md`);
  const lines = readFileSync(path, 'utf8').split('\n');
  const heading = lines.indexOf('## Action Items');
  writeFileSync(
    path,
    [...lines.slice(0, heading + 1), ...linesOf(items), ...lines.slice(heading + 1)].join('\n'),
  );
  return {
    pages: createMarkdownPostmortemPages(dir),
    pageId: id,
    async setStatus(status) {
      const markdown = readFileSync(path, 'utf8');
      writeFileSync(path, markdown.replace(/^\| Status \|[^|\n]*\|$/m, `| Status | ${status} |`));
    },
  };
});
