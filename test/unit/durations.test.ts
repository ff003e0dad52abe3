import { describe, expect, it } from 'vitest';
import { formatDuration } from '#shared/domain/durations.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

describe('formatDuration', () => {
  it.each([
    [0, '0m'],
    [29 * SEC, '0m'],
    // Half a minute rounds up.
    [30 * SEC, '1m'],
    [4 * MIN, '4m'],
    [4 * MIN + 31 * SEC, '5m'],
    [59 * MIN + 30 * SEC, '1h 00m'],
    [HOUR + 5 * MIN, '1h 05m'],
    [HOUR + 52 * MIN + 29 * SEC, '1h 52m'],
    // The mean of the issue: 50 h 44 m 40 s rounds to 50 h 45 m, never truncated to "2d 2h".
    [50 * HOUR + 44 * MIN + 40 * SEC, '2d 2h 45m'],
    [48 * HOUR + 5 * MIN, '2d 0h 05m'],
    [23 * HOUR + 59 * MIN + 30 * SEC, '1d 0h 00m'],
    [-61 * MIN, '-1h 01m'],
    [-20 * SEC, '0m'],
  ])('writes %i ms as %s', (ms, expected) => {
    const text = formatDuration(ms);

    expect(text).toBe(expected);
  });
});
