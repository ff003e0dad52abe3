import { formatDuration } from '../domain/durations.ts';
import type { IncidentEvent } from '../domain/events.ts';
import { postmortemOutline } from '../domain/postmortem-outline.ts';
import { causesEffects, type IncidentState } from '../domain/timeline.ts';
import type { EventStore, PostmortemWriter, WrittenPostmortem } from '../ports.ts';
import type { Settings } from '../settings.ts';

export interface PostmortemDeps {
  readonly store: EventStore;
  readonly writer: PostmortemWriter;
  readonly settings: Settings;
  /** Incident Flow's own Jira account, whose comments the timeline leaves out. */
  readonly ownAccountId: string | null;
}

/**
 * Once an incident is resolved, its postmortem exists, once, already holding what the system knows.
 * The writer itself finds a page made by an earlier run that crashed before recording it.
 */
export async function ensurePostmortem(
  state: IncidentState,
  events: readonly IncidentEvent[],
  deps: PostmortemDeps,
): Promise<WrittenPostmortem | null> {
  // An incident a backfill found resolved before its cut-off is long over: no postmortem is started.
  if (
    state.resolvedAtMs === null ||
    state.deleted ||
    !state.isIncident ||
    !causesEffects(state, state.resolvedAtMs)
  )
    return deps.store.postmortemOf(state.issueId);
  const recorded = await deps.store.postmortemOf(state.issueId);
  if (recorded) return recorded;
  const base = deps.settings.report.jiraBaseUrl;
  const jiraUrl = base ? `${base}/browse/${state.key}` : null;
  const written = await deps.writer.write({
    incidentKey: state.key,
    title: `${state.key}: ${state.summary}`,
    jiraUrl,
    severity: state.severity,
    incidentStartMs: state.openedAtMs,
    resolvedAtMs: state.resolvedAtMs,
    timeToResolve: state.timeToResolveMs === null ? null : formatDuration(state.timeToResolveMs),
    timeToAcknowledge: state.timeToAcknowledgeMs === null ? null : formatDuration(state.timeToAcknowledgeMs),
    ownerEmail: state.assignee?.email ?? null,
    blocks: postmortemOutline(state, events, {
      timeZone: deps.settings.timeZone,
      jiraUrl,
      ownAccountId: deps.ownAccountId,
    }),
  });
  await deps.store.recordPostmortem(state.issueId, written);
  return written;
}
