import { describe, expect, it } from 'vitest';
import { GOALS } from '../../bench/goals.ts';
import { judge, spreadOf, verdictLine } from '../../bench/verdicts.ts';

describe('bench verdicts', () => {
  it.each([
    { name: 'a ratio clearly under its bar', samples: [1.05, 1.08, 1.1], verdict: 'met' },
    { name: 'a ratio clearly over its bar', samples: [1.2, 1.22, 1.3], verdict: 'NOT MET' },
    {
      name: 'a median under the bar whose spread reaches it',
      samples: [1.1, 1.12, 1.2],
      verdict: 'met, within noise',
    },
    {
      name: 'a median over the bar whose spread reaches it',
      samples: [1.1, 1.18, 1.2],
      verdict: 'NOT MET, within noise',
    },
  ])('judges $name by the median and its spread', ({ samples, verdict }) => {
    const spread = spreadOf(samples);

    const result = judge(GOALS.webhookImport, spread);

    expect(result.verdict).toBe(verdict);
  });

  it('judges a single figure against a strict bound without a spread', () => {
    const result = judge(GOALS.reportCold, 2000);

    expect(result.verdict).toBe('NOT MET');
    expect(result.spread).toBeNull();
  });

  it('says a goal whose figure is missing was not measured', () => {
    const result = judge(GOALS.notifyP99, Number.NaN);

    expect(result.verdict).toBe('not measured');
  });

  it('prints the verdict, the median with its spread and the goal on one line', () => {
    const result = judge(GOALS.processorImport, spreadOf([1.3, 1.35, 1.45]));

    const line = verdictLine(result);

    expect(line).toContain('met, within noise');
    expect(line).toContain('1.35× (median; 1.30×–1.45× over 3), goal ≤ 1.40×');
  });
});
