/**
 * How deep an ADF document may nest, counted in objects. Jira's editor nests lists a few levels and
 * tables, panels and expands a couple more; a hundred is far beyond any document a person writes.
 */
export const MAX_RICH_TEXT_DEPTH = 100;

/**
 * True when no value inside `value` is more than `maxDepth` objects deep; walked with a stack of its
 * own, so a document 10,000 deep is measured without the recursion it is meant to prevent.
 */
export function isWithinDepth(value: unknown, maxDepth: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = Array.isArray(next.value) ? next.depth : next.depth + 1;
    if (depth > maxDepth) return false;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth });
  }
  return true;
}
