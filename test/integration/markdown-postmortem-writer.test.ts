import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createMarkdownPostmortemWriter } from '#shared/adapters/markdown-postmortem-writer.ts';
import { postmortemWriterContract } from '../contract/postmortem-writer-contract.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-postmortems-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
let dirs = 0;

postmortemWriterContract('the Markdown writer', async () => {
  dirs += 1;
  return createMarkdownPostmortemWriter(join(dataDir, `postmortems-${dirs}`));
});
