import type { Directory } from '../domain/stakeholder-directory.ts';
import type { EventStore, Log, Notifier, PostmortemWriter, RecheckScheduler } from '../ports.ts';
import type { Settings } from '../settings.ts';
import { notifyStakeholders } from './notify-stakeholders.ts';
import { refreshIncident } from './refresh-incident.ts';
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
  /** Where postmortems are written; absent, none is. */
  readonly postmortems?: { readonly writer: PostmortemWriter; readonly ownAccountId: string | null };
}

/** Refolds one incident from all of its events, then sends what they call for. */
export async function processIncident(issueId: string, deps: ProcessIncidentDeps): Promise<void> {
  const refreshed = await refreshIncident(issueId, deps);
  if (!refreshed) return;
  const postmortem = deps.postmortems
    ? await ensurePostmortem(refreshed.state, refreshed.events, { ...deps, ...deps.postmortems })
    : null;
  if (postmortem?.created) deps.log.info('postmortem written', { issueKey: refreshed.state.key });
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
