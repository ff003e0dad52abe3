import type { Deployment } from './deployments.ts';
import type { FollowUps } from './follow-up-report.ts';
import { formatIsoWeek, type IsoWeek, type WeekBounds, weekLabel } from './iso-weeks.ts';
import {
  isAtOrAfter,
  type KnownStage,
  SEVERITIES,
  type Severity,
  STAGES,
  type Stage,
  stageRank,
} from './lifecycle.ts';
import type { IncidentState } from './timeline.ts';

const DAY_MS = 86_400_000;

/** The label that marks an incident as caused by a change, unless the team configures another. */
export const DEFAULT_CHANGE_LABEL = 'caused-by-change';

/** A visit longer than this is implausible (a forgotten bulk edit, a clock far off), and listed. */
export const IMPLAUSIBLE_VISIT_MS = 90 * DAY_MS;

/** What the weekly numbers depend on besides the data: the change label and the board's resolving stage. */
export type WeeklyMetricsSettings = {
  readonly changeLabel: string;
  readonly resolveStage: KnownStage;
};

/** The candidates of one week: incidents opened or resolved in it, and the week's deployments. */
export type WeeklyMetricsInput = {
  readonly week: IsoWeek;
  readonly bounds: WeekBounds;
  readonly incidents: readonly IncidentState[];
  readonly deployments: readonly Deployment[];
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

/** A measured time over the week's resolved incidents: stats (null when none counts) and who was left out. */
export type TimeMeasure = { readonly stats: DurationStats | null; readonly leftOutKeys: readonly string[] };

/** The median time in one stage over the resolved incidents that visited it. */
export type StageTime = { readonly stage: Stage; readonly count: number; readonly medianMs: number };

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

/** One incident the week's numbers count, as the report lists it. */
export type WeekIncident = {
  readonly key: string;
  readonly summary: string;
  readonly severity: Severity | null;
  readonly openedInWeek: boolean;
  readonly resolvedInWeek: boolean;
  readonly timeToResolveMs: number | null;
  readonly reopenCount: number;
};

/** The numbers of one ISO week (definitions on `weeklyMetrics`). */
export type WeeklyMetrics = {
  readonly week: IsoWeek;
  readonly bounds: WeekBounds;
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

/** The headline figures of a week, small enough to store and compare with later weeks. */
export type WeekSummary = {
  readonly openedCount: number;
  readonly resolvedCount: number;
  readonly mttaMedianMs: number | null;
  readonly mttrMedianMs: number | null;
  readonly changeFailureRate: number | null;
};

/** The name of a headline figure. */
export type HeadlineFigure = keyof WeekSummary;

/** The headline figures in report order. */
export const HEADLINE_FIGURES = [
  'openedCount',
  'resolvedCount',
  'mttaMedianMs',
  'mttrMedianMs',
  'changeFailureRate',
] as const satisfies readonly HeadlineFigure[];

/** Which way a figure moved against its baseline. */
export type Direction = 'up' | 'down' | 'flat' | 'n/a';

/** One headline figure against the average of the weeks before, with eight weeks of history. */
export type FigureTrend = {
  readonly figure: HeadlineFigure;
  readonly current: number | null;
  readonly baseline: number | null;
  readonly baselineWeekCount: number;
  readonly changePercent: number | null;
  readonly direction: Direction;
  /** Eight weeks, the oldest first and this week last; null where a week has no value. */
  readonly history: readonly (number | null)[];
};

/** Everything the weekly email shows: the week, its numbers, their trend and the follow-ups. */
export type WeeklyReport = {
  readonly week: IsoWeek;
  readonly weekId: string;
  readonly label: string;
  readonly metrics: WeeklyMetrics;
  readonly summary: WeekSummary;
  readonly trend: readonly FigureTrend[];
  readonly followUps: FollowUps;
};

const isWithin = (ms: number | null, bounds: WeekBounds): ms is number =>
  ms !== null && ms >= bounds.startMs && ms < bounds.endMs;

/** Orders keys as people do: by project, then by number (INC-9 before INC-10). */
export function compareKeys(a: string, b: string): number {
  const [, projectA = a, numberA = '0'] = /^(.*?)-?(\d*)$/.exec(a) ?? [];
  const [, projectB = b, numberB = '0'] = /^(.*?)-?(\d*)$/.exec(b) ?? [];
  if (projectA !== projectB) return projectA < projectB ? -1 : 1;
  return Number(numberA) - Number(numberB);
}

/**
 * The value at a percentile by the nearest-rank method: sort ascending, take the value at rank
 * ceil(p/100 × n), counting from 1 (p50 of [1, 2, 3, 4] is 2; p90 of ten values is the ninth).
 * Null for no values.
 */
export function nearestRank(values: readonly number[], percentile: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** Median (p50), mean (rounded to the ms) and p90 by nearest rank, and the longest (ties: first by key). */
export function durationStats(
  entries: readonly { readonly key: string; readonly ms: number }[],
): DurationStats | null {
  const byKey = [...entries].sort((a, b) => compareKeys(a.key, b.key));
  const values = byKey.map((entry) => entry.ms);
  const medianMs = nearestRank(values, 50);
  const p90Ms = nearestRank(values, 90);
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

function timeToAcknowledge(resolved: readonly IncidentState[], resolveStage: KnownStage): TimeMeasure {
  const acknowledged = resolved.filter((incident) => wasAcknowledgedBeforeResolving(incident, resolveStage));
  const leftOutKeys = resolved
    .filter((incident) => !acknowledged.includes(incident))
    .map((incident) => incident.key)
    .sort(compareKeys);
  return { stats: durationStats(entries(acknowledged, 'timeToAcknowledgeMs')), leftOutKeys };
}

function timeToResolve(resolved: readonly IncidentState[]): TimeMeasure {
  return { stats: durationStats(entries(resolved, 'timeToResolveMs')), leftOutKeys: [] };
}

function compareStages(a: Stage, b: Stage): number {
  const rankA = stageRank(a) ?? STAGES.length;
  const rankB = stageRank(b) ?? STAGES.length;
  return rankA - rankB || (a < b ? -1 : a > b ? 1 : 0);
}

function stageTimes(resolved: readonly IncidentState[]): StageTime[] {
  const byStage = new Map<Stage, number[]>();
  for (const incident of resolved) {
    for (const [stage, ms] of Object.entries(incident.closedStageDurationsMs)) {
      byStage.set(stage, [...(byStage.get(stage) ?? []), ms]);
    }
  }
  return [...byStage.entries()]
    .sort(([a], [b]) => compareStages(a, b))
    .map(([stage, values]) => ({ stage, count: values.length, medianMs: nearestRank(values, 50) ?? 0 }));
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

function weekIncident(incident: IncidentState, bounds: WeekBounds): WeekIncident {
  return {
    key: incident.key,
    summary: incident.summary,
    severity: incident.severity,
    openedInWeek: isWithin(incident.openedAtMs, bounds),
    resolvedInWeek: isWithin(incident.resolvedAtMs, bounds),
    timeToResolveMs: incident.timeToResolveMs,
    reopenCount: incident.reopenCount,
  };
}

/**
 * The numbers of one ISO week, [startMs, endMs), from the incidents opened or resolved in it (others
 * are ignored) and the deployments:
 * - opened: opened in the week; resolved: final resolution in the week (a reopened incident counts
 *   once, when it is resolved for the last time); still open: opened in the week and not finally
 *   resolved before its end. Each counts under the incident's final severity, the one it has now.
 * - time to acknowledge and to resolve, and the median time per stage, over the incidents resolved in
 *   the week; acknowledging leaves out incidents never acknowledged before they were resolved, and a
 *   stage counts only the incidents that finished a visit to it.
 * - change failure rate: incidents opened in the week that carry the change label or a label naming a
 *   deployment id (both ignoring case), over the week's deployments; no deployments, no rate.
 * - deleted incidents only count in `deletedCount`; issues no longer incidents are left out.
 */
export function weeklyMetrics(input: WeeklyMetricsInput): WeeklyMetrics {
  const { bounds, settings } = input;
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
  return {
    week: input.week,
    bounds,
    opened: severityCounts(opened),
    resolved: severityCounts(resolved),
    stillOpen: severityCounts(stillOpen),
    timeToAcknowledge: timeToAcknowledge(resolved, settings.resolveStage),
    timeToResolve: timeToResolve(resolved),
    stageTimes: stageTimes(resolved),
    reopened: resolved
      .filter((incident) => incident.reopenCount > 0)
      .map((incident) => ({ key: incident.key, reopenCount: incident.reopenCount })),
    changeFailureRate: changeFailureRate(opened, input.deployments, bounds, settings.changeLabel),
    deletedCount: inWeek.filter((incident) => incident.deleted).length,
    dataQuality: dataQuality(counted, settings.resolveStage),
    incidents: counted.map((incident) => weekIncident(incident, bounds)),
  };
}

/** The headline figures of a week's metrics. */
export function weekSummary(metrics: WeeklyMetrics): WeekSummary {
  const rate = metrics.changeFailureRate;
  return {
    openedCount: metrics.opened.total,
    resolvedCount: metrics.resolved.total,
    mttaMedianMs: metrics.timeToAcknowledge.stats?.medianMs ?? null,
    mttrMedianMs: metrics.timeToResolve.stats?.medianMs ?? null,
    changeFailureRate: rate.kind === 'measured' ? rate.rate : null,
  };
}

const BASELINE_WEEKS = 4;
const HISTORY_WEEKS = 8;

function directionOf(
  current: number,
  baseline: number,
): { changePercent: number | null; direction: Direction } {
  if (baseline === 0 && current === 0) return { changePercent: 0, direction: 'flat' };
  if (baseline === 0) return { changePercent: null, direction: current > 0 ? 'up' : 'down' };
  const changePercent = Math.round(((current - baseline) / baseline) * 100);
  return { changePercent, direction: changePercent > 0 ? 'up' : changePercent < 0 ? 'down' : 'flat' };
}

function figureTrend(
  figure: HeadlineFigure,
  current: WeekSummary,
  previous: readonly (WeekSummary | null)[],
): FigureTrend {
  const value = current[figure];
  const before = previous.map((summary) => summary?.[figure] ?? null);
  const known = before.slice(0, BASELINE_WEEKS).filter((ms): ms is number => ms !== null);
  const baseline = known.length > 0 ? known.reduce((sum, ms) => sum + ms, 0) / known.length : null;
  const history = [
    ...Array.from({ length: HISTORY_WEEKS - 1 }, (_, i) => before[i] ?? null).reverse(),
    value,
  ];
  const change =
    value === null || baseline === null
      ? { changePercent: null, direction: 'n/a' as const }
      : directionOf(value, baseline);
  return { figure, current: value, baseline, baselineWeekCount: known.length, ...change, history };
}

/**
 * Each headline figure against the average of the previous four weeks that have a value for it
 * (`previous` holds the weeks before, the most recent first; null for a week with no summary). The
 * change is rounded to a whole percent; "flat" when it rounds to 0, "n/a" without a value or a
 * baseline, and from a baseline of 0 any rise is "up" with no percent.
 */
export function trend(current: WeekSummary, previous: readonly (WeekSummary | null)[]): FigureTrend[] {
  return HEADLINE_FIGURES.map((figure) => figureTrend(figure, current, previous));
}

/** The whole report of a week: its numbers, their headline, the trend against earlier summaries. */
export function weeklyReport(
  input: WeeklyMetricsInput,
  previousSummaries: readonly (WeekSummary | null)[],
  followUps: FollowUps = { kind: 'not-tracked' },
): WeeklyReport {
  const metrics = weeklyMetrics(input);
  const summary = weekSummary(metrics);
  return {
    week: input.week,
    weekId: formatIsoWeek(input.week),
    label: weekLabel(input.week),
    metrics,
    summary,
    trend: trend(summary, previousSummaries),
    followUps,
  };
}
