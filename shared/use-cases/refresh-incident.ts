import { type FoldSettings, foldIncident, type IncidentState } from '../domain/timeline.ts';
import type { EventStore } from '../ports.ts';

/** Folds everything stored about one incident into its state and saves it; null when nothing is stored. */
export async function refreshIncident(
  issueId: string,
  deps: { readonly store: EventStore; readonly settings: FoldSettings },
): Promise<IncidentState | null> {
  const events = await deps.store.loadEvents(issueId);
  const state = foldIncident(events, deps.settings);
  if (state) await deps.store.saveState(state);
  return state;
}
