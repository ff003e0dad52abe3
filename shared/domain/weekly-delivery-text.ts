import { formatDuration } from './durations.ts';
import type { DayKey } from './local-days.ts';
import { plural } from './plural.ts';
import type { MergedFix, ServiceDeployments, WeeklyDelivery } from './weekly-delivery.ts';

// The phrases of the report's "CI and deployments" section, shared by the text and the HTML email.

/** The section's title. */
export const DELIVERY_TITLE = 'CI and deployments';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** CI failures on watched branches: "2 opened, 3 fixed; median time to green 1h 00m." */
export function ciFailuresLine(delivery: WeeklyDelivery): string {
  const counts = `CI failures on watched branches: ${delivery.failuresOpened.length} opened, ${delivery.failuresFixed.length} fixed`;
  if (delivery.timeToGreenMedianMs === null) return `${counts}.`;
  return `${counts}; median time to green ${formatDuration(delivery.timeToGreenMedianMs)} (failure to next success).`;
}

/** The week's deployments, which the change failure rate counts: "4 deployments, counted in the change failure rate." */
export function deploymentsLine(delivery: WeeklyDelivery): string {
  return `${plural(delivery.deploymentCount, 'deployment')}, counted in the change failure rate; per day by service:`;
}

/** The columns of the deployments table: the service, the week's days by weekday, the total. */
export function deploymentsHeader(days: readonly DayKey[]): string[] {
  return [
    'Service',
    ...days.map((day) => WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()] ?? day),
    'Total',
  ];
}

/** One service's row of the deployments table: its count on each day, then its total. */
export function deploymentsRow(service: ServiceDeployments): string[] {
  return [service.service, ...service.perDay.map(String), String(service.total)];
}

/** The fixes merged for incidents: "2 fixes merged for incidents; median time from incident start to merge 2h 30m." */
export function fixesMergedLine(delivery: WeeklyDelivery): string {
  const count = `${plural(delivery.fixesMerged.length, 'fix', 'fixes')} merged for incidents`;
  if (delivery.startToMergeMedianMs === null) return `${count}.`;
  return `${count}; median time from incident start to merge ${formatDuration(delivery.startToMergeMedianMs)}.`;
}

/** The columns of the table of merged fixes. */
export const FIXES_HEADER = ['Incident', 'Fix', 'Merged', 'Start to merge'] as const;

/** A merged fix's title and author, as the table's fix column shows it: "Raise the pool (OPS-7), by sam". */
export function fixText(fix: MergedFix): string {
  return fix.author ? `${fix.title}, by ${fix.author}` : fix.title;
}

/** One merged fix, a cell per `FIXES_HEADER` column ("-" when the incident's start is not known). */
export function fixRow(fix: MergedFix): string[] {
  return [
    fix.incidentKey,
    fixText(fix),
    fix.mergedAt,
    fix.startToMergeMs === null ? '-' : formatDuration(fix.startToMergeMs),
  ];
}
