const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** A calendar day as ISO 8601 writes it, with no time zone: "2026-11-02". */
export type DayKey = string;

// One formatter per zone: building one costs ~10 ms the first time (ICU loads its data).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The day an instant falls on, on the calendar of an IANA time zone. */
export function dayKeyOf(ms: number, timeZone: string): DayKey {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The day `n` days after the given one (n < 0: before); calendar arithmetic, no zone involved. */
export function shiftDay(day: DayKey, n: number): DayKey {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The `count` days ending with `lastDay`, oldest first. */
export function daysEndingOn(lastDay: DayKey, count: number): DayKey[] {
  return Array.from({ length: count }, (_, i) => shiftDay(lastDay, i - count + 1));
}

/** Every day from `first` to `last`, both included; empty when `last` is before `first`. */
export function daysFrom(first: DayKey, last: DayKey): DayKey[] {
  const days: DayKey[] = [];
  for (let day = first; day <= last; day = shiftDay(day, 1)) days.push(day);
  return days;
}

/** A day as people read it: "Nov 2, 2026". */
export function formatDay(day: DayKey): string {
  const [year, month, date] = day.split('-').map(Number);
  return `${MONTHS[(month ?? 1) - 1]} ${date}, ${year}`;
}
