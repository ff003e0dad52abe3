import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containedPath, PathEscapeError } from '#shared/adapters/contained-path.ts';

const DIR = resolve('/data/incident-flow/postmortems');

describe('containedPath', () => {
  it.each([
    ['INC-42.md', join(DIR, 'INC-42.md')],
    ['nested/INC-42.md', join(DIR, 'nested', 'INC-42.md')],
    ['./INC-42.md', join(DIR, 'INC-42.md')],
  ])('resolves %s inside the directory', (name, expected) => {
    const path = containedPath(DIR, name);

    expect(path).toBe(expected);
  });

  it.each([
    ['../../../../x.md'],
    ['OPS-1/../../x.md'],
    ['/etc/passwd'],
    ['..'],
    ['.'],
    [''],
    ['INC-1\u0000.md'],
    ['../postmortems-evil/INC-1.md'],
  ])('refuses %j, which is not a file inside the directory', (name) => {
    const attempt = () => containedPath(DIR, name);

    expect(attempt).toThrow(PathEscapeError);
  });

  it('refuses a sibling directory that only shares the prefix of the name', () => {
    const attempt = () => containedPath('/data/out', '../outside/x');

    expect(attempt).toThrow(/outside \/data\/out/);
  });
});
