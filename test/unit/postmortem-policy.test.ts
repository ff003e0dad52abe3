import { describe, expect, it } from 'vitest';
import { postmortemDueSinceMs } from '#shared/domain/postmortem-policy.ts';
import { foldIncident, type IncidentState } from '#shared/domain/timeline.ts';
import { MINUTE, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';

const settings = settingsWith();

function fold(events = reopenedLifecycle()): IncidentState {
  const state = foldIncident(events, settings);
  if (!state) throw new Error('fold gave nothing');
  return state;
}

describe('the postmortem due rule', () => {
  it('is due since the last resolution of a resolved incident', () => {
    const state = fold();

    const dueSinceMs = postmortemDueSinceMs(state, settings);

    expect(dueSinceMs).toBe(T0 + 112 * MINUTE);
  });

  it.each<[string, number]>([
    ['still mitigating', 7],
    ['reopened and investigating again', 9],
  ])('is not due for an incident %s', (_, eventCount) => {
    const state = fold(reopenedLifecycle().slice(0, eventCount));

    const dueSinceMs = postmortemDueSinceMs(state, settings);

    expect(dueSinceMs).toBeNull();
  });

  it('waits for the trigger stage when the team names one', () => {
    const resolved = fold(reopenedLifecycle().slice(0, -1));
    const inAnalysis = fold();
    const analysis = {
      ...settings,
      postmortem: { ...settings.postmortem, triggerStage: 'analysis' as const },
    };

    const [beforeMs, afterMs] = [
      postmortemDueSinceMs(resolved, analysis),
      postmortemDueSinceMs(inAnalysis, analysis),
    ];

    expect(beforeMs).toBeNull();
    expect(afterMs).toBe(T0 + 150 * MINUTE);
  });

  it.each<[string, Partial<IncidentState>]>([
    ['a deleted incident', { deleted: true }],
    ['an issue that is no longer an incident', { isIncident: false }],
    ['an incident a backfill found resolved before its cut-off', { effectsFromMs: T0 + 200 * MINUTE }],
  ])('gives no postmortem to %s', (_, change) => {
    const state = { ...fold(), ...change };

    const dueSinceMs = postmortemDueSinceMs(state, settings);

    expect(dueSinceMs).toBeNull();
  });
});
