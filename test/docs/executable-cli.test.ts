import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const checkout = resolve(import.meta.dirname, '../..');

describe('bin/incident-flow.ts, the bin that npx incident-flow runs', () => {
  it('is committed with its run bit, so npx never has to change the checkout to run it', () => {
    const entry = execFileSync('git', ['ls-files', '--stage', '--', 'bin/incident-flow.ts'], {
      cwd: checkout,
      encoding: 'utf8',
    });

    const mode = entry.split(/\s/)[0];

    expect(mode).toBe('100755');
  });
});
