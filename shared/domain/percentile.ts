/**
 * The value at a percentile by linear interpolation between closest ranks, the rule of a
 * spreadsheet's MEDIAN and PERCENTILE.INC, numpy's default and SQL's PERCENTILE_CONT: sort the n
 * values, take the position h = (n − 1) × p/100 counting from 0, and go from the value at floor(h)
 * towards the next by the fraction of h. The median of 30, 90, 200 and 1,000 is 145; their p90 is
 * 200 + 0.7 × 800 = 760. Rounded to a whole unit (half up), so milliseconds stay whole; null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // Scaled by 100 so that an integer percentile of integer values is computed exactly.
  const scaledPosition = (sorted.length - 1) * p;
  const below = Math.floor(scaledPosition / 100);
  const low = sorted[below] ?? 0;
  const high = sorted[below + 1] ?? low;
  return Math.round(low + ((high - low) * (scaledPosition - below * 100)) / 100);
}

/** The median: the middle value, or the mean of the middle two (rounded half up). */
export function median(values: readonly number[]): number | null {
  return percentile(values, 50);
}
