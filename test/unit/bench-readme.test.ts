import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  README_END,
  README_START,
  readmeSection,
  renderPerformanceTable,
  replaceReadmeSection,
} from '../../bench/readme-table.ts';

const root = resolve(import.meta.dirname, '../..');

describe('the performance table of docs/performance.md', () => {
  it('is what the generator makes of the committed bench/results.json', () => {
    const results: unknown = JSON.parse(readFileSync(resolve(root, 'bench/results.json'), 'utf8'));
    const readme = readFileSync(resolve(root, 'docs/performance.md'), 'utf8');

    const table = renderPerformanceTable(results);

    expect(readmeSection(readme)).toBe(table);
  });

  it('replaces only what lies between its markers', () => {
    const readme = readFileSync(resolve(root, 'docs/performance.md'), 'utf8');

    const replaced = replaceReadmeSection(readme, 'a table');

    expect(readmeSection(replaced)).toBe('a table');
    expect(replaced.split(README_START)[0]).toBe(readme.split(README_START)[0]);
    expect(replaced.split(README_END)[1]).toBe(readme.split(README_END)[1]);
  });
});
