/** An instant's UTC month as ISO 8601 writes it: "2026-11". */
export function utcMonthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/**
 * The UTC months [startMs, endMs) touches, oldest first: the partitions a time range reads where
 * items are kept one partition per UTC month (deployments, CI activity).
 */
export function utcMonthsBetween(startMs: number, endMs: number): string[] {
  const months: string[] = [];
  const cursor = new Date(startMs);
  cursor.setUTCDate(1);
  cursor.setUTCHours(0, 0, 0, 0);
  while (cursor.getTime() < endMs) {
    months.push(utcMonthOf(cursor.getTime()));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}
