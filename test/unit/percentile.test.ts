import { describe, expect, it } from 'vitest';
import { median, percentile } from '#shared/domain/percentile.ts';

const MIN = 60_000;

describe('percentile, linear interpolation between closest ranks (PERCENTILE.INC)', () => {
  // h = (n − 1) × p/100 from 0; value = x[floor h] + frac(h) × (x[floor h + 1] − x[floor h]).
  it.each([
    // n = 1: h = 0 for every p.
    [[42], 50, 42],
    [[42], 90, 42],
    // n = 2: p50 h = 0.5 -> 10 + 0.5 × 10 = 15; p90 h = 0.9 -> 10 + 0.9 × 10 = 19.
    [[20, 10], 50, 15],
    [[20, 10], 90, 19],
    // n = 3: p50 h = 1 -> 20; p90 h = 1.8 -> 20 + 0.8 × 10 = 28.
    [[30, 10, 20], 50, 20],
    [[30, 10, 20], 90, 28],
    // n = 4, the example of docs/weekly-report.md in minutes: p50 h = 1.5 -> (90 + 200) / 2 = 145; p90 h = 2.7 -> 200 + 0.7 × 800 = 760.
    [[1000 * MIN, 30 * MIN, 200 * MIN, 90 * MIN], 50, 145 * MIN],
    [[1000 * MIN, 30 * MIN, 200 * MIN, 90 * MIN], 90, 760 * MIN],
    // n = 10: p50 h = 4.5 -> (50 + 60) / 2 = 55; p90 h = 8.1 -> 90 + 0.1 × 10 = 91.
    [[100, 90, 80, 70, 60, 50, 40, 30, 20, 10], 50, 55],
    [[100, 90, 80, 70, 60, 50, 40, 30, 20, 10], 90, 91],
    // p0 and p100 are the smallest and the largest.
    [[3, 1, 2], 0, 1],
    [[3, 1, 2], 100, 3],
    // Half a millisecond rounds up: (1 + 2) / 2 = 1.5 -> 2.
    [[1, 2], 50, 2],
  ])('of %j at p%i is %j', (values, p, expected) => {
    const value = percentile(values, p);

    expect(value).toBe(expected);
  });

  it('has no value for no values', () => {
    const value = percentile([], 50);

    expect(value).toBeNull();
  });

  it('takes the median as the mean of the middle two for an even count', () => {
    const value = median([30 * MIN, 90 * MIN, 200 * MIN, 1000 * MIN]);

    expect(value).toBe(145 * MIN);
  });
});
