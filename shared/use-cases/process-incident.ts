import { postmortemDueSinceMs } from '../domain/postmortem-policy.ts';
import type { Directory } from '../domain/stakeholder-directory.ts';
import type {
  EventHistory,
  IncidentStates,
  IssueTracker,
  Log,
  Notifier,
  PostmortemRecords,
  PostmortemRequests,
  PostmortemWriter,
  RecheckScheduler,
  SendLedger,
  WeekSummaries,
  WrittenPostmortem,
} from '../ports.ts';
import type { Settings } from '../settings.ts';
import { notifyStakeholders, type SenderIdentity } from './notify-stakeholders.ts';
import { publishPostmortem } from './publish-postmortem.ts';
import { type RefreshedIncident, refreshIncident } from './refresh-incident.ts';
import { postmortemPropertiesFingerprint } from './write-postmortem.ts';

export interface ProcessIncidentDeps {
  readonly store: EventHistory & IncidentStates & WeekSummaries & SendLedger & PostmortemRecords;
  readonly settings: Settings;
  readonly nowMs: () => number;
  readonly log: Log;
  /** Who hears about incidents and how; absent, only the timeline is kept. */
  readonly notifications?: { readonly notifier: Notifier; readonly directory: () => Promise<Directory> };
  /** Who sends the notifications, to tell its own claims from those of a sender that died. */
  readonly sender?: SenderIdentity;
  /** Brings the incident back when held-back updates or an escalation fall due. */
  readonly recheck?: RecheckScheduler;
  /** Where postmortems are written, and the tracker whose issue gets the postmortem's link; absent, none is. */
  readonly postmortems?: {
    readonly writer: PostmortemWriter;
    readonly ownAccountId: string | null;
    readonly tracker?: IssueTracker;
  };
  /** On AWS: the postmortem function's queue, asked for each resolved incident without a postmortem. */
  readonly postmortemRequests?: PostmortemRequests;
}

/** When a postmortem that could not be written here (local mode) is tried again. */
export const POSTMORTEM_RETRY_MS = 5 * 60_000;

/**
 * The postmortem, when due. Written here when a writer is at hand (local mode), else requested from
 * the postmortem function (AWS): Notion's pace and outages never hold up the timeline or the
 * notifications. A failure here is retried through a recheck.
 */
async function postmortemOf(
  refreshed: RefreshedIncident,
  deps: ProcessIncidentDeps,
): Promise<WrittenPostmortem | null> {
  const { state, events } = refreshed;
  if (deps.postmortems) {
    try {
      return await publishPostmortem(state, events, { ...deps, ...deps.postmortems });
    } catch {
      await deps.recheck?.recheckAt(state.issueId, deps.nowMs() + POSTMORTEM_RETRY_MS);
      return null;
    }
  }
  // Read the record only when something uses it: asking for the postmortem, or linking it in updates.
  if (!deps.postmortemRequests && !deps.notifications) return null;
  const recorded = await deps.store.postmortemOf(state.issueId);
  const due = deps.postmortemRequests && postmortemDueSinceMs(state, deps.settings) !== null;
  // Asked for when missing, and again when its page's properties no longer match the incident (a
  // reopen and a new resolution): the writer function then refreshes them.
  if (
    due &&
    (!recorded ||
      (await deps.store.postmortemPropertiesOf(state.issueId)) !== postmortemPropertiesFingerprint(state))
  ) {
    await deps.postmortemRequests?.request(state.issueId);
  }
  return recorded;
}

/** Refolds one incident from all of its events, then sends what they call for. */
export async function processIncident(issueId: string, deps: ProcessIncidentDeps): Promise<void> {
  const refreshed = await refreshIncident(issueId, deps);
  if (!refreshed) return;
  const postmortem = await postmortemOf(refreshed, deps);
  if (!deps.notifications) return;
  const outcome = await notifyStakeholders(refreshed.state, refreshed.events, {
    store: deps.store,
    settings: deps.settings,
    nowMs: deps.nowMs,
    notifier: deps.notifications.notifier,
    directory: await deps.notifications.directory(),
    postmortemUrl: postmortem?.url ?? null,
    ...(deps.sender ? { sender: deps.sender } : {}),
  });
  if (outcome.sent > 0) deps.log.info('notified', { issueKey: refreshed.state.key, messages: outcome.sent });
  if (outcome.holdUntilMs !== null) await deps.recheck?.recheckAt(issueId, outcome.holdUntilMs);
}
