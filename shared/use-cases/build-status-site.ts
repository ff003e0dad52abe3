import { buildStatusPage, type IncidentRecord, type StatusPage } from '../domain/status-page-model.ts';
import { renderStatusSite, type SiteFile } from '../domain/status-page-site.ts';
import { isOngoing, isPublicIncident } from '../domain/status-page-states.ts';
import type { EventHistory, IncidentStates } from '../ports.ts';
import type { Settings } from '../settings.ts';

const DAY_MS = 86_400_000;

export interface StatusSiteDeps {
  readonly incidents: Pick<IncidentStates, 'listStates'> & EventHistory;
  readonly settings: Pick<Settings, 'statusPage' | 'board' | 'timeZone'>;
  readonly nowMs: () => number;
}

/**
 * The status page as of now, from the stored incidents: only those customers may see, and of those
 * only the ones the history window still shows, have their events (comments) read.
 */
export async function buildStatusSnapshot(deps: StatusSiteDeps): Promise<StatusPage> {
  const { settings } = deps;
  const nowMs = deps.nowMs();
  const windowStartMs = nowMs - settings.statusPage.historyDays * DAY_MS;
  const states = await deps.incidents.listStates();
  const shown = states.filter(
    (state) =>
      isPublicIncident(state, settings.statusPage) &&
      (isOngoing(state, settings.board) || (state.resolvedAtMs ?? state.lastEventAtMs) >= windowStartMs),
  );
  const incidents: IncidentRecord[] = await Promise.all(
    shown.map(async (state) => ({ state, events: await deps.incidents.loadEvents(state.issueId) })),
  );
  return buildStatusPage({
    incidents,
    options: settings.statusPage,
    board: settings.board,
    timeZone: settings.timeZone,
    nowMs,
  });
}

/** Every file of the status page as of now; `baseUrl` is where it is served (no trailing slash). */
export async function buildStatusSite(deps: StatusSiteDeps, baseUrl: string): Promise<SiteFile[]> {
  return renderStatusSite(await buildStatusSnapshot(deps), baseUrl);
}
