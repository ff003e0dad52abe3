import { describe, expect, it } from 'vitest';
import { utcMonthOf, utcMonthsBetween } from '#shared/adapters/utc-months.ts';

describe('UTC months of a time range', () => {
  it('lists the months a week across a month end touches, oldest first, the end excluded', () => {
    const start = Date.UTC(2026, 10, 28);

    const months = utcMonthsBetween(start, Date.UTC(2026, 11, 5));

    expect(months).toEqual(['2026-11', '2026-12']);
    expect(utcMonthsBetween(start, Date.UTC(2026, 11, 1))).toEqual(['2026-11']);
    expect(utcMonthOf(Date.UTC(2026, 11, 31, 23, 59))).toBe('2026-12');
  });
});
