import { percentile, round } from './stats.ts';

/** Which side of its target a figure must stay on. */
export type Comparison = 'at-most' | 'at-least' | 'below';

/** A goal of the bench: what is measured, in which unit, and the bar it must clear. */
export interface Goal {
  readonly id: string;
  readonly label: string;
  readonly comparison: Comparison;
  readonly target: number;
  /** '×' for ratios, 'ms', 'req/issue', ... ; printed after the figures. */
  readonly unit: string;
}

/** The spread of repeated measurements of one figure: its median, lowest and highest. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

export type Verdict = 'met' | 'NOT MET' | 'met, within noise' | 'NOT MET, within noise' | 'not measured';

/** A goal with its figure: a single measurement, or the spread of repeated ones. */
export interface GoalResult {
  readonly goal: Goal;
  readonly value: number;
  readonly spread: Spread | null;
  readonly verdict: Verdict;
}

/** Median, min and max of repeated measurements; NaN for none. */
export function spreadOf(samples: readonly number[]): Spread {
  return {
    median: percentile(samples, 0.5),
    min: samples.length > 0 ? Math.min(...samples) : Number.NaN,
    max: samples.length > 0 ? Math.max(...samples) : Number.NaN,
    samples,
  };
}

function meets(goal: Goal, value: number): boolean {
  switch (goal.comparison) {
    case 'at-most':
      return value <= goal.target;
    case 'at-least':
      return value >= goal.target;
    case 'below':
      return value < goal.target;
    default:
      return goal.comparison satisfies never;
  }
}

/**
 * Met or not by the median (or the one figure); "within noise" when the target lies inside the
 * repeated measurements' min–max, where another run could give the other answer.
 */
export function judge(goal: Goal, measured: number | Spread | null): GoalResult {
  if (measured === null || (typeof measured === 'number' && !Number.isFinite(measured))) {
    return { goal, value: Number.NaN, spread: null, verdict: 'not measured' };
  }
  const spread = typeof measured === 'number' ? null : measured;
  const value = typeof measured === 'number' ? measured : measured.median;
  if (!Number.isFinite(value)) return { goal, value, spread, verdict: 'not measured' };
  const met = meets(goal, value);
  const noisy = spread !== null && spread.min <= goal.target && goal.target <= spread.max;
  const verdict: Verdict = noisy
    ? met
      ? 'met, within noise'
      : 'NOT MET, within noise'
    : met
      ? 'met'
      : 'NOT MET';
  return { goal, value, spread, verdict };
}

const SYMBOL: Record<Comparison, string> = { 'at-most': '≤', 'at-least': '≥', below: '<' };

/** Digits that keep a figure readable: ratios to 2, small counts to 2, milliseconds to 1. */
function digitsFor(unit: string, value: number): number {
  if (unit === 'ms') return value >= 100 ? 0 : 1;
  return 2;
}

/** A figure with its unit, as the verdict lines and the README print it. */
export function formatFigure(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—';
  const text =
    Number.isInteger(value) && unit !== '×' ? String(value) : value.toFixed(digitsFor(unit, value));
  return unit === '×' ? `${text}×` : `${text} ${unit}`;
}

/** The goal as people write it: "≤ 1.4×", "< 2000 ms". */
export function formatGoal(goal: Goal): string {
  return `${SYMBOL[goal.comparison]} ${formatFigure(goal.target, goal.unit)}`;
}

/** "min–max of n" for a spread, empty for a single figure. */
export function formatSpread(result: GoalResult): string {
  const { spread, goal } = result;
  if (!spread) return '';
  return `${formatFigure(spread.min, goal.unit)}–${formatFigure(spread.max, goal.unit)} over ${spread.samples.length}`;
}

/** One line per goal: verdict, figure (median and spread when repeated) and the goal. */
export function verdictLine(result: GoalResult): string {
  const spread = formatSpread(result);
  const figure =
    result.verdict === 'not measured' ? 'not measured' : formatFigure(result.value, result.goal.unit);
  return `${result.verdict.padEnd(21)} ${result.goal.label}: ${figure}${spread ? ` (median; ${spread})` : ''}, goal ${formatGoal(result.goal)}`;
}

/** A goal result as results.json keeps it: numbers rounded, the samples kept. */
export function resultJson(result: GoalResult) {
  return {
    id: result.goal.id,
    label: result.goal.label,
    comparison: result.goal.comparison,
    target: result.goal.target,
    unit: result.goal.unit,
    value: Number.isFinite(result.value) ? round(result.value, 3) : null,
    spread: result.spread
      ? {
          min: round(result.spread.min, 3),
          max: round(result.spread.max, 3),
          samples: result.spread.samples.map((sample) => round(sample, 3)),
        }
      : null,
    verdict: result.verdict,
  };
}
