import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderPerformanceTable, replaceReadmeSection } from './readme-table.ts';

// The bench writes bench/.out/results.json; the published copy beside this script is the one the
// performance page (docs/performance.md) shows and the tests check, so the table is never typed by hand.
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const fresh = join(root, 'bench', '.out', 'results.json');
const published = join(root, 'bench', 'results.json');
if (process.argv.includes('--from-last-run')) copyFileSync(fresh, published);
const readmePath = join(root, 'docs', 'performance.md');
const table = renderPerformanceTable(JSON.parse(readFileSync(published, 'utf8')));
writeFileSync(readmePath, replaceReadmeSection(readFileSync(readmePath, 'utf8'), table));
process.stdout.write(`docs/performance.md: performance table from ${published}\n`);
