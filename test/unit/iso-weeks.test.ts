import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatIsoWeek,
  isoWeekOf,
  parseIsoWeek,
  previousWeeks,
  shiftWeeks,
  weekBounds,
  weekLabel,
  weeksInYear,
} from '#shared/domain/iso-weeks.ts';

const HOUR = 3_600_000;

describe('isoWeekOf', () => {
  it.each([
    // Jan 1 2026 is a Thursday: week 1 of 2026 starts on Monday Dec 29 2025.
    ['2025-12-28T12:00:00Z', 'UTC', '2025-W52'],
    ['2025-12-29T00:00:00Z', 'UTC', '2026-W01'],
    // 2026 has 53 weeks: Dec 28 2026 to Jan 3 2027 is 2026-W53.
    ['2026-12-31T12:00:00Z', 'UTC', '2026-W53'],
    ['2027-01-03T23:59:59Z', 'UTC', '2026-W53'],
    ['2027-01-04T00:00:00Z', 'UTC', '2027-W01'],
    // Sunday 23:30 UTC is already Monday 00:30 in Berlin (CET, +1).
    ['2027-01-03T23:30:00Z', 'Europe/Berlin', '2027-W01'],
    ['2027-01-03T22:59:59Z', 'Europe/Berlin', '2026-W53'],
    // Monday 03:00 UTC is still Sunday 22:00 in New York (EST, -5).
    ['2026-11-23T03:00:00Z', 'America/New_York', '2026-W47'],
    // Sunday 18:30 UTC is Monday 00:00 in Kolkata (+5:30).
    ['2026-11-22T18:29:59Z', 'Asia/Kolkata', '2026-W47'],
    ['2026-11-22T18:30:00Z', 'Asia/Kolkata', '2026-W48'],
  ])('puts %s in %s into %s', (iso, timeZone, expected) => {
    const week = isoWeekOf(Date.parse(iso), timeZone);

    expect(formatIsoWeek(week)).toBe(expected);
  });
});

describe('weekBounds', () => {
  it.each([
    // DST ends in Berlin on Oct 25 2026 (03:00 CEST -> 02:00 CET): the week has 169 hours.
    ['2026-W43', 'Europe/Berlin', '2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z', 169],
    // DST starts in Berlin on Mar 29 2026 (02:00 CET -> 03:00 CEST): 167 hours.
    ['2026-W13', 'Europe/Berlin', '2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z', 167],
    ['2026-W44', 'Europe/Berlin', '2026-10-25T23:00:00.000Z', '2026-11-01T23:00:00.000Z', 168],
    // New York: DST starts Mar 8 2026 and ends Nov 1 2026.
    ['2026-W10', 'America/New_York', '2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z', 167],
    ['2026-W44', 'America/New_York', '2026-10-26T04:00:00.000Z', '2026-11-02T05:00:00.000Z', 169],
    ['2026-W47', 'Asia/Kolkata', '2026-11-15T18:30:00.000Z', '2026-11-22T18:30:00.000Z', 168],
    ['2026-W53', 'UTC', '2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z', 168],
    ['2026-W01', 'UTC', '2025-12-29T00:00:00.000Z', '2026-01-05T00:00:00.000Z', 168],
  ])('bounds %s in %s from %s to %s (%i hours)', (text, timeZone, start, end, hours) => {
    const week = parseIsoWeek(text);
    if (!week) throw new Error(`bad week ${text}`);

    const bounds = weekBounds(week, timeZone);

    expect(new Date(bounds.startMs).toISOString()).toBe(start);
    expect(new Date(bounds.endMs).toISOString()).toBe(end);
    expect((bounds.endMs - bounds.startMs) / HOUR).toBe(hours);
  });

  it('starts a week at the first instant of its Monday and ends it just before the next', () => {
    const zones = fc.constantFrom(
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'Asia/Kolkata',
      'Australia/Sydney',
    );
    const instants = fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2032-12-31') });

    fc.assert(
      fc.property(instants, zones, (ms, timeZone) => {
        const week = isoWeekOf(ms, timeZone);
        const bounds = weekBounds(week, timeZone);

        expect(bounds.startMs).toBeLessThanOrEqual(ms);
        expect(ms).toBeLessThan(bounds.endMs);
        expect(isoWeekOf(bounds.startMs, timeZone)).toEqual(week);
        expect(isoWeekOf(bounds.startMs - 1, timeZone)).toEqual(shiftWeeks(week, -1));
        expect(isoWeekOf(bounds.endMs, timeZone)).toEqual(shiftWeeks(week, 1));
      }),
    );
  });
});

describe('parseIsoWeek and formatIsoWeek', () => {
  it.each([
    ['2026-W47', { year: 2026, week: 47 }],
    ['2026-W53', { year: 2026, week: 53 }],
    ['2020-W53', { year: 2020, week: 53 }],
    ['2025-W53', null],
    ['2027-W53', null],
    ['2026-W00', null],
    ['2026-W54', null],
    ['2026-W7', null],
    ['2026W47', null],
    ['', null],
  ])('reads %j as %j', (text, expected) => {
    const week = parseIsoWeek(text);

    expect(week).toEqual(expected);
  });

  it('writes the week with two digits', () => {
    const text = formatIsoWeek({ year: 2027, week: 1 });

    expect(text).toBe('2027-W01');
  });

  it.each([
    [2020, 53],
    [2021, 52],
    [2025, 52],
    [2026, 53],
    [2027, 52],
    [2032, 53],
  ])('gives %i %i weeks', (year, expected) => {
    const count = weeksInYear(year);

    expect(count).toBe(expected);
  });
});

describe('shiftWeeks and previousWeeks', () => {
  it.each([
    [{ year: 2026, week: 53 }, 1, { year: 2027, week: 1 }],
    [{ year: 2027, week: 1 }, -1, { year: 2026, week: 53 }],
    [{ year: 2026, week: 1 }, -1, { year: 2025, week: 52 }],
    [{ year: 2026, week: 47 }, 0, { year: 2026, week: 47 }],
    [{ year: 2026, week: 47 }, -52, { year: 2025, week: 47 }],
  ])('shifts %j by %i weeks to %j', (week, n, expected) => {
    const shifted = shiftWeeks(week, n);

    expect(shifted).toEqual(expected);
  });

  it('lists the weeks before, the most recent first, across a year boundary', () => {
    const weeks = previousWeeks({ year: 2027, week: 2 }, 3);

    expect(weeks.map(formatIsoWeek)).toEqual(['2027-W01', '2026-W53', '2026-W52']);
  });
});

describe('weekLabel', () => {
  it.each([
    [{ year: 2026, week: 47 }, 'week 47 (Nov 16-22)'],
    [{ year: 2026, week: 49 }, 'week 49 (Nov 30-Dec 6)'],
    [{ year: 2026, week: 53 }, 'week 53 (Dec 28-Jan 3)'],
    [{ year: 2026, week: 43 }, 'week 43 (Oct 19-25)'],
  ])('names %j "%s"', (week, expected) => {
    const label = weekLabel(week);

    expect(label).toBe(expected);
  });
});
