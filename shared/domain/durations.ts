const MINUTE_MS = 60_000;
const HOUR_MINUTES = 60;
const DAY_MINUTES = 24 * HOUR_MINUTES;

/**
 * A duration as the report, the postmortem and notifications write it, rounded to the nearest
 * minute (half a minute rounds up), never truncated: "0m", "4m", "1h 05m", "2d 2h 45m" (50 h 44 m 40 s).
 * Days are 24 hours; a negative duration keeps its sign.
 */
export function formatDuration(ms: number): string {
  const totalMinutes = Math.round(Math.abs(ms) / MINUTE_MS);
  if (ms < 0 && totalMinutes > 0) return `-${formatDuration(-ms)}`;
  const days = Math.floor(totalMinutes / DAY_MINUTES);
  const hours = Math.floor((totalMinutes % DAY_MINUTES) / HOUR_MINUTES);
  const minutes = totalMinutes % HOUR_MINUTES;
  const paddedMinutes = `${String(minutes).padStart(2, '0')}m`;
  if (days > 0) return `${days}d ${hours}h ${paddedMinutes}`;
  if (hours > 0) return `${hours}h ${paddedMinutes}`;
  return `${minutes}m`;
}
