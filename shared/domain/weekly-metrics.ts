import type { AlertDetection } from './alert-detection.ts';
import type { CiActivity } from './ci-activity.ts';
import type { Deployment } from './deployments.ts';
import type { FollowUps } from './follow-up-report.ts';
import { formatIsoWeek, formatLocalTime, type IsoWeek, type WeekBounds, weekLabel } from './iso-weeks.ts';
import { compareKeys } from './key-order.ts';
import {
  isAtOrAfter,
  isBefore,
  type KnownStage,
  SEVERITIES,
  type Severity,
  type Stage,
  type StatusMapping,
} from './lifecycle.ts';
import { median, percentile } from './percentile.ts';
import type { IncidentState } from './timeline.ts';
import { type WeeklyDelivery, weeklyDelivery } from './weekly-delivery.ts';
import { type StageTime, stageTimes } from './weekly-stage-times.ts';
import { type FigureTrend, trend, WEEK_SUMMARY_VERSION, type WeekSummary } from './weekly-trend.ts';

export type { StageTime } from './weekly-stage-times.ts';
export { HEADLINE_FIGURES, PERCENT_CHANGE_MIN_INCIDENTS, trend } from './weekly-trend.ts';

const DAY_MS = 86_400_000;

/** The label that marks an incident as caused by a change, unless the team configures another. */
export const DEFAULT_CHANGE_LABEL = 'caused-by-change';

/** A visit longer than this is implausible (a forgotten bulk edit, a clock far off), and listed. */
export const IMPLAUSIBLE_VISIT_MS = 90 * DAY_MS;

/** What the weekly numbers depend on besides the data: the team's label, board and time zone. */
export type WeeklyMetricsSettings = {
  readonly changeLabel: string;
  readonly resolveStage: KnownStage;
  /** The board's statuses in board order: time in stage is listed under them. */
  readonly statuses: readonly StatusMapping[];
  readonly timeZone: string;
};

/** An incident's postmortem as recorded: written (with its page's Status as last read, if known). */
export type PostmortemRecord = { readonly status: string | null };

/** The candidates of one week: incidents opened or resolved in it, and the week's deployments. */
export type WeeklyMetricsInput = {
  readonly week: IsoWeek;
  readonly bounds: WeekBounds;
  /** The instant the week is counted to: its end, or the report's moment for the week in progress. */
  readonly asOfMs?: number;
  readonly incidents: readonly IncidentState[];
  readonly deployments: readonly Deployment[];
  /** The postmortems written, by incident issue id; an incident absent has none. */
  readonly postmortems?: ReadonlyMap<string, PostmortemRecord>;
  /** What CI recorded in the week (failing streaks opened and ended, fixes merged); absent, none. */
  readonly ciActivity?: readonly CiActivity[];
  /** When the incidents that merged fixes name started, by key, beyond the week's own incidents. */
  readonly fixedIncidentStartMs?: ReadonlyMap<string, number>;
  readonly settings: WeeklyMetricsSettings;
};

/** A severity column of the report: one of the four, or "none" for an incident without severity. */
export type SeverityColumn = Severity | 'none';

/** The severity columns in report order. */
export const SEVERITY_COLUMNS: readonly SeverityColumn[] = [...SEVERITIES, 'none'];

/** A count with its breakdown by (final) severity. */
export type SeverityCounts = {
  readonly total: number;
  readonly bySeverity: Readonly<Record<SeverityColumn, number>>;
};

/** Median, mean and p90 of some durations, and the incident with the longest. */
export type DurationStats = {
  readonly count: number;
  readonly medianMs: number;
  readonly meanMs: number;
  readonly p90Ms: number;
  readonly worst: { readonly key: string; readonly ms: number };
};

/** Why an incident of the week is not in a measured time. */
export type LeftOutReason = 'still-open' | 'never-acknowledged';

/**
 * A measured time over the week's resolved incidents: stats (null when none counts), and every
 * incident of the week it leaves out, with why (`leftOutKeys`: the same keys, for a quick look).
 */
export type TimeMeasure = {
  readonly stats: DurationStats | null;
  readonly leftOut: readonly { readonly key: string; readonly reason: LeftOutReason }[];
  readonly leftOutKeys: readonly string[];
};

/** Incidents caused by a change over deployments; with no deployment the rate is not a number. */
export type ChangeFailureRate =
  | {
      readonly kind: 'measured';
      readonly rate: number;
      readonly deploymentCount: number;
      readonly causedKeys: readonly string[];
    }
  | { readonly kind: 'no-deployments'; readonly causedKeys: readonly string[] };

/** Why an incident's numbers may be wrong. */
export type DataQualityReason =
  | { readonly kind: 'skipped-declaration' }
  | { readonly kind: 'no-severity' }
  | { readonly kind: 'resolved-unacknowledged' }
  | { readonly kind: 'implausible-stage-time'; readonly stage: Stage; readonly durationMs: number };

/** One incident whose numbers may be wrong, with every reason. */
export type DataQualityIssue = { readonly key: string; readonly reasons: readonly DataQualityReason[] };

/** Where an incident's postmortem stands: not due before resolution, then not written, or written. */
export type PostmortemState =
  | { readonly kind: 'not-due' }
  | { readonly kind: 'not-written' }
  | { readonly kind: 'written'; readonly status: string | null };

/** One incident the week's numbers count, a row of the report's table of incidents. */
export type WeekIncident = {
  readonly key: string;
  readonly summary: string;
  readonly severity: Severity | null;
  readonly openedAtMs: number;
  /** The opening on the team's wall clock: "Nov 18 14:02". */
  readonly openedAt: string;
  readonly openedInWeek: boolean;
  readonly resolvedInWeek: boolean;
  /** Null when it was not acknowledged by the week's end, or only by being resolved (as MTTA counts). */
  readonly timeToAcknowledgeMs: number | null;
  /** Null when it was not (finally) resolved by the week's end. */
  readonly timeToResolveMs: number | null;
  /** Moves back from the resolving stage before the week's end. */
  readonly reopenCount: number;
  readonly postmortem: PostmortemState;
};

/** The numbers of one ISO week (definitions on `weeklyMetrics`). */
export type WeeklyMetrics = {
  readonly week: IsoWeek;
  readonly bounds: WeekBounds;
  /** The instant the figures are counted to: the week's end, or earlier for the week in progress. */
  readonly asOfMs: number;
  /** False for the week in progress: its figures are the week so far. */
  readonly complete: boolean;
  readonly opened: SeverityCounts;
  readonly resolved: SeverityCounts;
  readonly stillOpen: SeverityCounts;
  readonly timeToAcknowledge: TimeMeasure;
  readonly timeToResolve: TimeMeasure;
  readonly stageTimes: readonly StageTime[];
  readonly reopened: readonly { readonly key: string; readonly reopenCount: number }[];
  readonly changeFailureRate: ChangeFailureRate;
  readonly deletedCount: number;
  readonly dataQuality: readonly DataQualityIssue[];
  readonly incidents: readonly WeekIncident[];
};

/** Everything the weekly email shows: the week, its numbers, their trend and the follow-ups. */
export type WeeklyReport = {
  readonly week: IsoWeek;
  readonly weekId: string;
  readonly label: string;
  /** False for the week in progress, reported so far. */
  readonly complete: boolean;
  readonly asOfMs: number;
  /** `asOfMs` on the team's wall clock: "Nov 18 14:02". */
  readonly asOf: string;
  readonly timeZone: string;
  readonly metrics: WeeklyMetrics;
  readonly summary: WeekSummary;
  readonly trend: readonly FigureTrend[];
  readonly followUps: FollowUps;
  /** Alerts received, incidents they opened, noise and time to detect; absent where alerts are not read. */
  readonly detection?: AlertDetection | undefined;
  /** CI failures and fixes, deployments per day by service, fixes merged for incidents. */
  readonly delivery: WeeklyDelivery;
};

const isWithin = (ms: number | null, bounds: WeekBounds): ms is number =>
  ms !== null && ms >= bounds.startMs && ms < bounds.endMs;

/**
 * Median and p90 by linear interpolation between closest ranks (see `percentile`), the mean, each
 * rounded to the ms, and the longest (ties: first by key).
 */
export function durationStats(
  entries: readonly { readonly key: string; readonly ms: number }[],
): DurationStats | null {
  const byKey = [...entries].sort((a, b) => compareKeys(a.key, b.key));
  const values = byKey.map((entry) => entry.ms);
  const medianMs = median(values);
  const p90Ms = percentile(values, 90);
  const worst = byKey.reduce<(typeof byKey)[number] | undefined>(
    (longest, entry) => (longest === undefined || entry.ms > longest.ms ? entry : longest),
    undefined,
  );
  if (medianMs === null || p90Ms === null || worst === undefined) return null;
  const meanMs = Math.round(values.reduce((sum, ms) => sum + ms, 0) / values.length);
  return { count: values.length, medianMs, meanMs, p90Ms, worst: { key: worst.key, ms: worst.ms } };
}

function severityCounts(incidents: readonly IncidentState[]): SeverityCounts {
  const bySeverity: Record<SeverityColumn, number> = { SEV1: 0, SEV2: 0, SEV3: 0, SEV4: 0, none: 0 };
  for (const incident of incidents) bySeverity[incident.severity ?? 'none'] += 1;
  return { total: incidents.length, bySeverity };
}

/** The first visit that reached the resolving stage, or later; acknowledging there is not acknowledging. */
function wasAcknowledgedBeforeResolving(incident: IncidentState, resolveStage: KnownStage): boolean {
  if (incident.acknowledgedAtMs === null) return false;
  const firstResolving = incident.visits.find((visit) => isAtOrAfter(visit.stage, resolveStage));
  return firstResolving === undefined || incident.acknowledgedAtMs < firstResolving.enteredAtMs;
}

function entries(
  incidents: readonly IncidentState[],
  field: 'timeToAcknowledgeMs' | 'timeToResolveMs',
): { key: string; ms: number }[] {
  return incidents.flatMap((incident) => {
    const ms = incident[field];
    return ms === null ? [] : [{ key: incident.key, ms }];
  });
}

const keyed = (keys: readonly IncidentState[], reason: LeftOutReason) =>
  keys.map((incident) => ({ key: incident.key, reason }));

function measure(stats: DurationStats | null, leftOut: TimeMeasure['leftOut']): TimeMeasure {
  const sorted = [...leftOut].sort((a, b) => compareKeys(a.key, b.key));
  return { stats, leftOut: sorted, leftOutKeys: sorted.map((entry) => entry.key) };
}

function timeToAcknowledge(
  resolved: readonly IncidentState[],
  stillOpen: readonly IncidentState[],
  resolveStage: KnownStage,
): TimeMeasure {
  const acknowledged = resolved.filter((incident) => wasAcknowledgedBeforeResolving(incident, resolveStage));
  const neverAcknowledged = resolved.filter((incident) => !acknowledged.includes(incident));
  return measure(durationStats(entries(acknowledged, 'timeToAcknowledgeMs')), [
    ...keyed(neverAcknowledged, 'never-acknowledged'),
    ...keyed(stillOpen, 'still-open'),
  ]);
}

function timeToResolve(resolved: readonly IncidentState[], stillOpen: readonly IncidentState[]): TimeMeasure {
  return measure(durationStats(entries(resolved, 'timeToResolveMs')), keyed(stillOpen, 'still-open'));
}

function isCausedByChange(incident: IncidentState, changeLabel: string, deploymentIds: ReadonlySet<string>) {
  return incident.labels.some((label) => {
    const lower = label.toLowerCase();
    return lower === changeLabel.toLowerCase() || deploymentIds.has(lower);
  });
}

function changeFailureRate(
  opened: readonly IncidentState[],
  deployments: readonly Deployment[],
  bounds: WeekBounds,
  changeLabel: string,
): ChangeFailureRate {
  const deploymentIds = new Set(deployments.map((deployment) => deployment.id.toLowerCase()));
  const causedKeys = opened
    .filter((incident) => isCausedByChange(incident, changeLabel, deploymentIds))
    .map((incident) => incident.key)
    .sort(compareKeys);
  const deploymentCount = deployments.filter((deployment) => isWithin(deployment.atMs, bounds)).length;
  if (deploymentCount === 0) return { kind: 'no-deployments', causedKeys };
  return { kind: 'measured', rate: causedKeys.length / deploymentCount, deploymentCount, causedKeys };
}

function skippedDeclaration(incident: IncidentState): boolean {
  const stages = incident.visits.map((visit) => visit.stage);
  return !stages.includes('declaration') && stages.some((stage) => isAtOrAfter(stage, 'categorization'));
}

function implausibleVisits(incident: IncidentState): DataQualityReason[] {
  return incident.visits.flatMap((visit) => {
    if (visit.leftAtMs === null) return [];
    const durationMs = visit.leftAtMs - visit.enteredAtMs;
    if (durationMs >= 0 && durationMs <= IMPLAUSIBLE_VISIT_MS) return [];
    return [{ kind: 'implausible-stage-time', stage: visit.stage, durationMs }];
  });
}

function dataQualityReasons(incident: IncidentState, resolveStage: KnownStage): DataQualityReason[] {
  return [
    ...(skippedDeclaration(incident) ? [{ kind: 'skipped-declaration' } as const] : []),
    ...(incident.severity === null ? [{ kind: 'no-severity' } as const] : []),
    ...(incident.resolvedAtMs !== null && !wasAcknowledgedBeforeResolving(incident, resolveStage)
      ? [{ kind: 'resolved-unacknowledged' } as const]
      : []),
    ...implausibleVisits(incident),
  ];
}

function dataQuality(incidents: readonly IncidentState[], resolveStage: KnownStage): DataQualityIssue[] {
  return incidents
    .map((incident) => ({ key: incident.key, reasons: dataQualityReasons(incident, resolveStage) }))
    .filter((issue) => issue.reasons.length > 0);
}

/** Reopens before `asOfMs`, by the fold's rule: a move from the resolving stage or later back before it. */
function reopensBefore(incident: IncidentState, resolveStage: KnownStage, asOfMs: number): number {
  let count = 0;
  let previous: Stage | null = null;
  for (const visit of incident.visits) {
    if (visit.enteredAtMs >= asOfMs) break;
    if (previous !== null && isAtOrAfter(previous, resolveStage) && isBefore(visit.stage, resolveStage))
      count += 1;
    previous = visit.stage;
  }
  return count;
}

function postmortemState(
  incident: IncidentState,
  resolvedInWeek: boolean,
  postmortems: ReadonlyMap<string, PostmortemRecord>,
): PostmortemState {
  const record = postmortems.get(incident.issueId);
  if (record) return { kind: 'written', status: record.status };
  return resolvedInWeek ? { kind: 'not-written' } : { kind: 'not-due' };
}

function weekIncident(
  incident: IncidentState,
  input: WeeklyMetricsInput,
  asOfMs: number,
  postmortems: ReadonlyMap<string, PostmortemRecord>,
): WeekIncident {
  const { bounds, settings } = input;
  const resolvedInWeek = isWithin(incident.resolvedAtMs, bounds) && (incident.resolvedAtMs ?? 0) < asOfMs;
  // The same rule as MTTA: reaching the resolving stage first is not acknowledging.
  const acknowledged =
    incident.acknowledgedAtMs !== null &&
    incident.acknowledgedAtMs < asOfMs &&
    wasAcknowledgedBeforeResolving(incident, settings.resolveStage);
  return {
    key: incident.key,
    summary: incident.summary,
    severity: incident.severity,
    openedAtMs: incident.openedAtMs,
    openedAt: formatLocalTime(incident.openedAtMs, settings.timeZone),
    openedInWeek: isWithin(incident.openedAtMs, bounds),
    resolvedInWeek,
    timeToAcknowledgeMs: acknowledged ? incident.timeToAcknowledgeMs : null,
    timeToResolveMs: resolvedInWeek ? incident.timeToResolveMs : null,
    reopenCount: reopensBefore(incident, settings.resolveStage, asOfMs),
    postmortem: postmortemState(incident, resolvedInWeek, postmortems),
  };
}

/**
 * The numbers of one ISO week, [startMs, endMs), counted to `asOfMs` (the week's end unless the week
 * is in progress), from the incidents opened or resolved in it (others are ignored) and the deployments:
 * - opened: opened in the week; resolved: final resolution in the week (a reopened incident counts
 *   once, when it is resolved for the last time); still open: opened in the week and not finally
 *   resolved before its end. Each counts under the incident's final severity, the one it has now.
 * - time to acknowledge and to resolve over the incidents resolved in the week; both list the
 *   incidents still open as left out, and acknowledging also those never acknowledged before they
 *   were resolved. Medians and p90 interpolate between closest ranks (`percentile`).
 * - time in stage: see `stageTimes`, over the incidents resolved in the week.
 * - change failure rate: incidents opened in the week that carry the change label or a label naming a
 *   deployment id (both ignoring case), over the week's deployments; no deployments, no rate.
 * - deleted incidents only count in `deletedCount`; issues no longer incidents are left out.
 */
export function weeklyMetrics(input: WeeklyMetricsInput): WeeklyMetrics {
  const { bounds, settings } = input;
  const asOfMs = Math.min(input.asOfMs ?? bounds.endMs, bounds.endMs);
  const inWeek = input.incidents.filter(
    (incident) => isWithin(incident.openedAtMs, bounds) || isWithin(incident.resolvedAtMs, bounds),
  );
  const counted = inWeek
    .filter((incident) => !incident.deleted && incident.isIncident)
    .sort((a, b) => compareKeys(a.key, b.key));
  const opened = counted.filter((incident) => isWithin(incident.openedAtMs, bounds));
  const resolved = counted.filter((incident) => isWithin(incident.resolvedAtMs, bounds));
  const stillOpen = opened.filter(
    (incident) => incident.resolvedAtMs === null || incident.resolvedAtMs >= bounds.endMs,
  );
  const postmortems = input.postmortems ?? new Map<string, PostmortemRecord>();
  return {
    week: input.week,
    bounds,
    asOfMs,
    complete: asOfMs >= bounds.endMs,
    opened: severityCounts(opened),
    resolved: severityCounts(resolved),
    stillOpen: severityCounts(stillOpen),
    timeToAcknowledge: timeToAcknowledge(resolved, stillOpen, settings.resolveStage),
    timeToResolve: timeToResolve(resolved, stillOpen),
    stageTimes: stageTimes(resolved, settings.statuses, asOfMs),
    reopened: resolved
      .filter((incident) => incident.reopenCount > 0)
      .map((incident) => ({ key: incident.key, reopenCount: incident.reopenCount })),
    changeFailureRate: changeFailureRate(opened, input.deployments, bounds, settings.changeLabel),
    deletedCount: inWeek.filter((incident) => incident.deleted).length,
    dataQuality: dataQuality(counted, settings.resolveStage),
    incidents: counted.map((incident) => weekIncident(incident, input, asOfMs, postmortems)),
  };
}

/** The headline figures of a week's metrics. */
export function weekSummary(metrics: WeeklyMetrics): WeekSummary {
  const rate = metrics.changeFailureRate;
  return {
    version: WEEK_SUMMARY_VERSION,
    openedCount: metrics.opened.total,
    resolvedCount: metrics.resolved.total,
    mttaMedianMs: metrics.timeToAcknowledge.stats?.medianMs ?? null,
    mttrMedianMs: metrics.timeToResolve.stats?.medianMs ?? null,
    changeFailureRate: rate.kind === 'measured' ? rate.rate : null,
  };
}

/** The whole report of a week: its numbers, their headline, the trend against earlier summaries. */
export function weeklyReport(
  input: WeeklyMetricsInput,
  previousSummaries: readonly (WeekSummary | null)[],
  followUps: FollowUps = { kind: 'not-tracked' },
): WeeklyReport {
  const metrics = weeklyMetrics(input);
  const summary = weekSummary(metrics);
  const incidentStartMs = new Map(input.fixedIncidentStartMs);
  for (const incident of input.incidents) incidentStartMs.set(incident.key, incident.openedAtMs);
  return {
    week: input.week,
    weekId: formatIsoWeek(input.week),
    label: weekLabel(input.week),
    complete: metrics.complete,
    asOfMs: metrics.asOfMs,
    asOf: formatLocalTime(metrics.asOfMs, input.settings.timeZone),
    timeZone: input.settings.timeZone,
    metrics,
    summary,
    trend: trend(summary, previousSummaries),
    followUps,
    delivery: weeklyDelivery({
      bounds: input.bounds,
      asOfMs: metrics.asOfMs,
      timeZone: input.settings.timeZone,
      activity: input.ciActivity ?? [],
      deployments: input.deployments,
      incidentStartMs,
    }),
  };
}
