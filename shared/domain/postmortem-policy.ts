import type { BoardSettings, KnownStage } from './lifecycle.ts';
import { causesEffects, type IncidentState, reachedStageSinceMs } from './timeline.ts';

/** The part of the settings the postmortem's due rule reads: the board, and the stage that starts it. */
export interface PostmortemDueSettings {
  readonly board: Pick<BoardSettings, 'resolveStage'>;
  readonly postmortem: { readonly triggerStage?: KnownStage | undefined };
}

/**
 * Since when an incident's postmortem is due: since it reached `postmortem.triggerStage` (default: the
 * resolving stage) and stayed there; null when it is not due. An incident a backfill found there before
 * its cut-off is long over, and a deleted one or one that is no longer an incident gets none.
 */
export function postmortemDueSinceMs(state: IncidentState, settings: PostmortemDueSettings): number | null {
  if (state.deleted || !state.isIncident) return null;
  const since = reachedStageSinceMs(state, settings.postmortem.triggerStage ?? settings.board.resolveStage);
  return since !== null && causesEffects(state, since) ? since : null;
}
