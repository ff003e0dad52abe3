/** Bumped when a headline figure is computed differently, so stored summaries of the old rule are recomputed. */
export const WEEK_SUMMARY_VERSION = 2;

/** The headline figures of a week, small enough to store and compare with later weeks. */
export type WeekSummary = {
  readonly version: typeof WEEK_SUMMARY_VERSION;
  readonly openedCount: number;
  readonly resolvedCount: number;
  readonly mttaMedianMs: number | null;
  readonly mttrMedianMs: number | null;
  readonly changeFailureRate: number | null;
};

/** The name of a headline figure. */
export type HeadlineFigure = Exclude<keyof WeekSummary, 'version'>;

/** Which way a figure moved against its baseline. */
export type Direction = 'up' | 'down' | 'flat' | 'n/a';

/** One headline figure against the average of the weeks before, with eight weeks of history. */
export type FigureTrend = {
  readonly figure: HeadlineFigure;
  readonly current: number | null;
  readonly baseline: number | null;
  readonly baselineWeekCount: number;
  /** In whole percent; null without a baseline, from a baseline of 0, or on too few incidents to mean something. */
  readonly changePercent: number | null;
  readonly direction: Direction;
  /** Eight weeks, the oldest first and this week last; null where a week has no value. */
  readonly history: readonly (number | null)[];
};

/** The headline figures in report order. */
export const HEADLINE_FIGURES = [
  'openedCount',
  'resolvedCount',
  'mttaMedianMs',
  'mttrMedianMs',
  'changeFailureRate',
] as const satisfies readonly HeadlineFigure[];

/**
 * A change is given in percent only when the average it is measured against rests on at least this
 * many incidents a week; below it, both values are shown ("4 vs 0.3 a week"), as +1500% from a
 * quarter of an incident says nothing.
 */
export const PERCENT_CHANGE_MIN_INCIDENTS = 10;

const BASELINE_WEEKS = 4;
const HISTORY_WEEKS = 8;

const average = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;

function directionOf(
  current: number,
  baseline: number,
): { changePercent: number | null; direction: Direction } {
  if (baseline === 0 && current === 0) return { changePercent: 0, direction: 'flat' };
  if (baseline === 0) return { changePercent: null, direction: current > 0 ? 'up' : 'down' };
  const changePercent = Math.round(((current - baseline) / baseline) * 100);
  return { changePercent, direction: changePercent > 0 ? 'up' : changePercent < 0 ? 'down' : 'flat' };
}

/**
 * How many incidents a week the figure's average rests on: the counts themselves, for MTTA and
 * MTTR the incidents resolved in the weeks averaged; the change failure rate is a ratio of its own
 * and is never compared in percent of itself.
 */
function incidentsBehind(figure: HeadlineFigure, baseWeeks: readonly WeekSummary[]): number | null {
  switch (figure) {
    case 'openedCount':
    case 'resolvedCount':
    case 'mttaMedianMs':
    case 'mttrMedianMs':
      return average(
        baseWeeks.map((week) => (figure === 'openedCount' ? week.openedCount : week.resolvedCount)),
      );
    case 'changeFailureRate':
      return null;
    default:
      return figure satisfies never;
  }
}

function figureTrend(
  figure: HeadlineFigure,
  current: WeekSummary,
  previous: readonly (WeekSummary | null)[],
): FigureTrend {
  const value = current[figure];
  const before = previous.map((summary) => summary?.[figure] ?? null);
  const baseWeeks = previous
    .slice(0, BASELINE_WEEKS)
    .filter((summary): summary is WeekSummary => summary !== null && summary[figure] !== null);
  const baseline = average(baseWeeks.map((summary) => summary[figure] ?? 0));
  const history = [
    ...Array.from({ length: HISTORY_WEEKS - 1 }, (_, i) => before[i] ?? null).reverse(),
    value,
  ];
  const behind = incidentsBehind(figure, baseWeeks);
  const change =
    value === null || baseline === null
      ? { changePercent: null, direction: 'n/a' as const }
      : directionOf(value, baseline);
  const percentMeansSomething = behind !== null && behind >= PERCENT_CHANGE_MIN_INCIDENTS;
  return {
    figure,
    current: value,
    baseline,
    baselineWeekCount: baseWeeks.length,
    changePercent: percentMeansSomething ? change.changePercent : null,
    direction: change.direction,
    history,
  };
}

/**
 * Each headline figure against the average of the previous four weeks that have a value for it
 * (`previous` holds the weeks before, the most recent first; null for a week with no summary). The
 * direction compares the two (flat when the change rounds to 0%); the change is in whole percent
 * only where the average rests on `PERCENT_CHANGE_MIN_INCIDENTS` incidents a week or more, else null.
 */
export function trend(current: WeekSummary, previous: readonly (WeekSummary | null)[]): FigureTrend[] {
  return HEADLINE_FIGURES.map((figure) => figureTrend(figure, current, previous));
}
