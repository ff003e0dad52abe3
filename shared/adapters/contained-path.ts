import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A path built from outside data that would leave the directory it must stay in. */
export class PathEscapeError extends Error {
  constructor(dir: string, name: string) {
    super(`refused the file name ${JSON.stringify(name)}: it leads outside ${dir}`);
    this.name = 'PathEscapeError';
  }
}

/**
 * The absolute path of `name` inside `dir`, or a PathEscapeError when the name (from a webhook, an
 * API answer, a URL) would resolve to `dir` itself or anywhere outside it, or holds a NUL.
 */
export function containedPath(dir: string, name: string): string {
  const root = resolve(dir);
  const path = resolve(root, name);
  const inside = relative(root, path);
  // `relative` is '' for the directory itself and starts with '..' for anything above or beside it.
  if (name.includes('\0') || inside === '' || inside.split(sep)[0] === '..' || isAbsolute(inside))
    throw new PathEscapeError(dir, name);
  return path;
}
