/**
 * A monitoring tool's time as epoch ms. Accepts ISO 8601 with any fraction (Alertmanager sends
 * nanoseconds), an offset without a colon (CloudWatch's "+0000"), and epoch milliseconds as a number or
 * a string of digits (Datadog templates). Go's zero time ("0001-01-01T00:00:00Z", Alertmanager's
 * "not ended") and anything unreadable are null.
 */
export function alertTimeMs(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.trunc(value) : null;
  if (/^\d{10,16}$/.test(value)) return Number(value);
  const withColon = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(withColon);
  if (Number.isNaN(ms) || ms <= 0) return null;
  return ms;
}
