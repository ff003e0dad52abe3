import type { Directory } from '../domain/stakeholder-directory.ts';
import type {
  EventStore,
  IssueTracker,
  Log,
  Notifier,
  PostmortemWriter,
  RecheckScheduler,
  WrittenPostmortem,
} from '../ports.ts';
import type { Settings } from '../settings.ts';
import { notifyStakeholders } from './notify-stakeholders.ts';
import { type RefreshedIncident, refreshIncident } from './refresh-incident.ts';
import { ensurePostmortem } from './write-postmortem.ts';

export interface ProcessIncidentDeps {
  readonly store: EventStore;
  readonly settings: Settings;
  readonly nowMs: () => number;
  readonly log: Log;
  /** Who hears about incidents and how; absent, only the timeline is kept. */
  readonly notifications?: { readonly notifier: Notifier; readonly directory: () => Promise<Directory> };
  /** Brings the incident back when held-back updates or an escalation fall due. */
  readonly recheck?: RecheckScheduler;
  /** Where postmortems are written, and the tracker whose issue gets the postmortem's link; absent, none is. */
  readonly postmortems?: {
    readonly writer: PostmortemWriter;
    readonly ownAccountId: string | null;
    readonly tracker?: IssueTracker;
  };
}

/** What identifies Incident Flow's comment with the postmortem's link among the issue's comments. */
export const POSTMORTEM_COMMENT_MARKER = 'incident-flow:postmortem';

/** When a postmortem that could not be written is tried again. */
export const POSTMORTEM_RETRY_MS = 5 * 60_000;

/**
 * The postmortem, written if due. Notion being down or refusing must not hold up the timeline or the
 * notifications: the failure is recorded (GET /incidents/:key shows it), logged, and retried later.
 */
async function postmortemOrPending(
  issueId: string,
  refreshed: RefreshedIncident,
  deps: ProcessIncidentDeps,
  postmortems: NonNullable<ProcessIncidentDeps['postmortems']>,
): Promise<WrittenPostmortem | null> {
  try {
    const written = await ensurePostmortem(refreshed.state, refreshed.events, { ...deps, ...postmortems });
    if (written?.created) deps.log.info('postmortem written', { issueKey: refreshed.state.key });
    if (written && postmortems.tracker) {
      // Once per incident: the marker finds the comment a crashed or repeated run already posted.
      await postmortems.tracker.commentOnce(refreshed.state.key, {
        marker: POSTMORTEM_COMMENT_MARKER,
        text: 'The postmortem of this incident: ',
        link: { text: `${refreshed.state.key} postmortem`, url: written.url },
      });
    }
    return written;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.log.error('postmortem pending', { issueKey: refreshed.state.key, error: message });
    await deps.store.recordPostmortemFailure(issueId, { error: message, atMs: deps.nowMs() });
    await deps.recheck?.recheckAt(issueId, deps.nowMs() + POSTMORTEM_RETRY_MS);
    return null;
  }
}

/** Refolds one incident from all of its events, then sends what they call for. */
export async function processIncident(issueId: string, deps: ProcessIncidentDeps): Promise<void> {
  const refreshed = await refreshIncident(issueId, deps);
  if (!refreshed) return;
  const postmortem = deps.postmortems
    ? await postmortemOrPending(issueId, refreshed, deps, deps.postmortems)
    : null;
  if (!deps.notifications) return;
  const outcome = await notifyStakeholders(refreshed.state, refreshed.events, {
    store: deps.store,
    settings: deps.settings,
    nowMs: deps.nowMs,
    notifier: deps.notifications.notifier,
    directory: await deps.notifications.directory(),
    postmortemUrl: postmortem?.url ?? null,
  });
  if (outcome.sent > 0) deps.log.info('notified', { issueKey: refreshed.state.key, messages: outcome.sent });
  if (outcome.holdUntilMs !== null) await deps.recheck?.recheckAt(issueId, outcome.holdUntilMs);
}
