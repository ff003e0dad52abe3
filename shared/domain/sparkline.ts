const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** Shown for a week with no value. */
export const NO_VALUE = '·';

/**
 * One block character per value, ▁ to █, scaled from 0 (or the lowest value, if negative) to the
 * highest value; all zeros are ▁, and a null is "·".
 */
export function sparkline(values: readonly (number | null)[]): string {
  const known = values.filter((value): value is number => value !== null);
  const low = Math.min(0, ...known);
  const high = Math.max(low, ...known);
  const span = high - low;
  return values
    .map((value) => {
      if (value === null) return NO_VALUE;
      const level = span === 0 ? 0 : Math.round(((value - low) / span) * (BARS.length - 1));
      return BARS[level];
    })
    .join('');
}
