const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** An ISO 8601 week: weeks start on Monday, and week 1 is the one holding the year's first Thursday. */
export type IsoWeek = { readonly year: number; readonly week: number };

/** The instants a week covers: from Monday 00:00 local (inclusive) to the next Monday 00:00 (exclusive). */
export type WeekBounds = { readonly startMs: number; readonly endMs: number };

/** A day on the calendar, with no time zone: month 1..12. */
type CivilDate = { readonly year: number; readonly month: number; readonly day: number };

// The first Intl.DateTimeFormat costs ~10 ms (ICU loads its data); later ones for the same zone are cheap
// only if reused.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time in the zone at an instant, written as if it were UTC (whole seconds). */
function wallClockMs(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The zone's offset from UTC at an instant, in ms (Berlin in summer: +7,200,000). */
function offsetMs(ms: number, timeZone: string): number {
  const wholeSecondMs = Math.floor(ms / 1000) * 1000;
  return wallClockMs(wholeSecondMs, timeZone) - wholeSecondMs;
}

function civilDateOf(ms: number, timeZone: string): CivilDate {
  const wall = new Date(wallClockMs(ms, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * The instant a local midnight happens. Zones change offset at most once a day, so the offset a day
 * before or a day after is the right one; in a repeated hour the earlier instant wins, and a midnight
 * skipped by a spring-forward change becomes the instant the day really starts.
 */
function startOfLocalDay(date: CivilDate, timeZone: string): number {
  const wallMs = Date.UTC(date.year, date.month - 1, date.day);
  const before = wallMs - offsetMs(wallMs - DAY_MS, timeZone);
  const after = wallMs - offsetMs(wallMs + DAY_MS, timeZone);
  const exact = [before, after].filter((ms) => wallMs - ms === offsetMs(ms, timeZone));
  return exact.length > 0 ? Math.min(...exact) : before;
}

function dayOfWeekFromMonday(date: CivilDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

function addDays(date: CivilDate, days: number): CivilDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

function isoWeekOfDate(date: CivilDate): IsoWeek {
  const thursday = addDays(date, 3 - dayOfWeekFromMonday(date));
  const dayOfYear =
    (Date.UTC(thursday.year, thursday.month - 1, thursday.day) - Date.UTC(thursday.year, 0, 1)) / DAY_MS;
  return { year: thursday.year, week: Math.floor(dayOfYear / 7) + 1 };
}

function mondayOf(week: IsoWeek): CivilDate {
  const january4 = { year: week.year, month: 1, day: 4 };
  return addDays(january4, (week.week - 1) * 7 - dayOfWeekFromMonday(january4));
}

/** How many ISO weeks a year has: 53 when its December 28 falls in week 53 (2020, 2026, 2032), else 52. */
export function weeksInYear(year: number): number {
  return isoWeekOfDate({ year, month: 12, day: 28 }).week;
}

/** The week as ISO 8601 writes it: "2026-W47". */
export function formatIsoWeek(week: IsoWeek): string {
  return `${week.year}-W${String(week.week).padStart(2, '0')}`;
}

/** Reads "2026-W47"; null for anything else, including a week 53 in a year that has 52. */
export function parseIsoWeek(text: string): IsoWeek | null {
  const match = /^(\d{4})-W(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const week = { year: Number(match[1]), week: Number(match[2]) };
  return week.week >= 1 && week.week <= weeksInYear(week.year) ? week : null;
}

/** The ISO week an instant falls in, on the calendar of the given IANA time zone. */
export function isoWeekOf(ms: number, timeZone: string): IsoWeek {
  return isoWeekOfDate(civilDateOf(ms, timeZone));
}

/** The local midnight that starts the day an instant falls on, in the given IANA time zone. */
export function startOfDayMs(ms: number, timeZone: string): number {
  return startOfLocalDay(civilDateOf(ms, timeZone), timeZone);
}

/** Monday 00:00 to the next Monday 00:00 in the zone; a week with a daylight-saving change lasts 167 or 169 h. */
export function weekBounds(week: IsoWeek, timeZone: string): WeekBounds {
  const monday = mondayOf(week);
  return {
    startMs: startOfLocalDay(monday, timeZone),
    endMs: startOfLocalDay(addDays(monday, 7), timeZone),
  };
}

/** The week n weeks later (n < 0: earlier), across year boundaries. */
export function shiftWeeks(week: IsoWeek, n: number): IsoWeek {
  return isoWeekOfDate(addDays(mondayOf(week), n * 7));
}

/** The n weeks before the given one, the most recent first. */
export function previousWeeks(week: IsoWeek, n: number): IsoWeek[] {
  return Array.from({ length: n }, (_, i) => shiftWeeks(week, -(i + 1)));
}

function monthDay(date: CivilDate): string {
  return `${MONTHS[date.month - 1]} ${date.day}`;
}

/**
 * The week as people say it: "week 47 (Nov 16-22)", "week 49 (Nov 30-Dec 6)", Monday to Sunday. The
 * days of an ISO week are the same in every time zone, so none is needed.
 */
export function weekLabel(week: IsoWeek): string {
  const monday = mondayOf(week);
  const sunday = addDays(monday, 6);
  const end = sunday.month === monday.month ? String(sunday.day) : monthDay(sunday);
  return `week ${week.week} (${monthDay(monday)}-${end})`;
}

/** An instant as the report writes it, on the zone's wall clock to the minute: "Nov 18 14:02". */
export function formatLocalTime(ms: number, timeZone: string): string {
  const wall = new Date(wallClockMs(ms, timeZone));
  const time = `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
  return `${MONTHS[wall.getUTCMonth()]} ${wall.getUTCDate()} ${time}`;
}
