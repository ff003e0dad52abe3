import type { IncidentEvent } from '../domain/events.ts';
import type { IncidentState } from '../domain/timeline.ts';
import type {
  AlertStore,
  FixLinks,
  IssueTracker,
  Log,
  PostmortemRecords,
  PostmortemWriter,
  WrittenPostmortem,
} from '../ports.ts';
import type { Settings } from '../settings.ts';
import { ensurePostmortem } from './write-postmortem.ts';

/** What identifies Incident Flow's comment with the postmortem's link among the issue's comments. */
export const POSTMORTEM_COMMENT_MARKER = 'incident-flow:postmortem';

export interface PublishPostmortemDeps {
  readonly store: PostmortemRecords;
  readonly settings: Settings;
  readonly nowMs: () => number;
  readonly log: Log;
  readonly writer: PostmortemWriter;
  readonly ownAccountId: string | null;
  /** The tracker whose issue gets the postmortem's link; absent, no comment is posted. */
  readonly tracker?: IssueTracker | undefined;
  /** The pull and merge requests naming incidents, for the postmortem's Changes section. */
  readonly fixes?: Pick<FixLinks, 'fixesOf'> | undefined;
  /** Where incidents opened by alerts came from: the timeline's "alert fired" and "alert cleared". */
  readonly alertSources?: Pick<AlertStore, 'sourceOf'> | undefined;
}

/**
 * Writes a resolved incident's postmortem once and links it from the incident's Jira issue once. A
 * failure (Notion or Jira down or refusing) is recorded, so GET /incidents/:key shows why it is
 * pending, and thrown, for the caller to retry.
 */
export async function publishPostmortem(
  state: IncidentState,
  events: readonly IncidentEvent[],
  deps: PublishPostmortemDeps,
): Promise<WrittenPostmortem | null> {
  try {
    const written = await ensurePostmortem(state, events, deps);
    if (written?.created) deps.log.info('postmortem written', { issueKey: state.key });
    if (written && deps.tracker) {
      // Once per incident: the marker finds the comment a crashed or repeated run already posted.
      await deps.tracker.commentOnce(state.key, {
        marker: POSTMORTEM_COMMENT_MARKER,
        text: 'The postmortem of this incident: ',
        link: { text: `${state.key} postmortem`, url: written.url },
      });
    }
    return written;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.log.error('postmortem pending', { issueKey: state.key, error: message });
    await deps.store.recordPostmortemFailure(state.issueId, { error: message, atMs: deps.nowMs() });
    throw error;
  }
}
