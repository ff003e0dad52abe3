import { postmortemDueSinceMs } from '../domain/postmortem-policy.ts';
import type { Directory } from '../domain/stakeholder-directory.ts';
import type {
  EventHistory,
  IncidentStates,
  Log,
  Notifier,
  PostmortemRecords,
  PostmortemRequests,
  RecheckScheduler,
  SendLedger,
  WeekSummaries,
  WrittenPostmortem,
} from '../ports.ts';
import type { Settings } from '../settings.ts';
import { notifyStakeholders, type SenderIdentity } from './notify-stakeholders.ts';
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
  /**
   * Who writes postmortems, asked for each due incident whose postmortem is missing or out of date:
   * the postmortem function's queue on AWS, the writer in-process locally; absent, none is written.
   */
  readonly postmortemRequests?: PostmortemRequests | undefined;
}

/**
 * The postmortem, when due, requested from whoever writes it: Notion's pace and outages never hold
 * up the timeline or the notifications. The writer retries a failure on its own.
 */
async function postmortemOf(
  refreshed: RefreshedIncident,
  deps: ProcessIncidentDeps,
): Promise<WrittenPostmortem | null> {
  const { state } = refreshed;
  // Read the record only when something uses it: asking for the postmortem, or linking it in updates.
  if (!deps.postmortemRequests && !deps.notifications) return null;
  const recorded = await deps.store.postmortemOf(state.issueId);
  const due = deps.postmortemRequests && postmortemDueSinceMs(state, deps.settings) !== null;
  // Asked for when missing, and again when its page's properties no longer match the incident (a
  // reopen and a new resolution): the writer then refreshes them.
  if (
    due &&
    (!recorded ||
      (await deps.store.postmortemPropertiesOf(state.issueId)) !== postmortemPropertiesFingerprint(state))
  ) {
    await deps.postmortemRequests?.request(state.issueId);
    // A writer in-process (local mode) has recorded it by now, for the updates to link; a queue's has not.
    return recorded ?? (await deps.store.postmortemOf(state.issueId));
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
