import type { IncidentEvent, IssueSnapshot } from '#shared/domain/events.ts';
import type { IncidentRecord } from '#shared/domain/status-page-model.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import type { Settings } from '#shared/settings.ts';
import { incident, MINUTE, settingsWith, T0 } from './builders.ts';

/** One incident's events folded as the processor folds them, kept with its events. */
export function recordOf(
  events: readonly IncidentEvent[],
  settings: Settings = settingsWith(),
): IncidentRecord {
  const state = foldIncident(events, settings);
  if (!state) throw new Error('no events');
  return { state, events };
}

/**
 * An incident declared at `startMinutes` after T0 with a priority (High: SEV2, Highest: SEV1), moved
 * through the board to `lastStatus`, 10 minutes per status.
 */
export function lifecycle(
  issueId: string,
  issue: Partial<IssueSnapshot>,
  options: { startMinutes?: number; priority?: string; lastStatus?: string } = {},
): IncidentEvent[] {
  const start = options.startMinutes ?? 0;
  const inc = incident(issueId, {
    createdMs: T0 + start * MINUTE,
    priority: options.priority ?? 'High',
    ...issue,
  });
  const board = [
    'Detected',
    'Declared',
    'Triaged',
    'Investigating',
    'Mitigating',
    'Resolved',
    'Postmortem',
    'Done',
  ];
  const last = board.indexOf(options.lastStatus ?? 'Declared');
  const created = inc.created();
  const events: IncidentEvent[] = [{ ...created, atMs: T0 + start * MINUTE }];
  for (let i = 1; i <= last; i += 1) {
    events.push(inc.move(Number(issueId) * 100 + i, start + i * 10, board[i - 1] ?? '', board[i] ?? ''));
  }
  return events;
}
