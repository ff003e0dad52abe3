import { startOfDayMs } from '../domain/iso-weeks.ts';
import {
  asOfLastChange,
  buildStatusPage,
  type IncidentRecord,
  type StatusPage,
  withdrawnIncidentIds,
} from '../domain/status-page-model.ts';
import {
  incidentPagePath,
  renderStatusSite,
  type SiteFile,
  type SiteOptions,
} from '../domain/status-page-site.ts';
import { isOngoing, isPublicIncident } from '../domain/status-page-states.ts';
import type { EventHistory, IncidentStates, Log, PublishedSite, StatusSiteStore } from '../ports.ts';
import type { Settings } from '../settings.ts';

const DAY_MS = 86_400_000;

export interface StatusSiteDeps {
  readonly incidents: Pick<IncidentStates, 'listStates'> & EventHistory;
  readonly settings: Pick<Settings, 'statusPage' | 'board' | 'timeZone'>;
  readonly nowMs: () => number;
}

/** The page as of now, and the ids of incidents whose pages must be withdrawn. */
async function readStatusPage(
  deps: StatusSiteDeps,
): Promise<{ page: StatusPage; withdrawnIds: readonly string[] }> {
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
  const page = buildStatusPage({
    incidents,
    options: settings.statusPage,
    board: settings.board,
    timeZone: settings.timeZone,
    nowMs,
  });
  return { page, withdrawnIds: withdrawnIncidentIds(states, settings.statusPage, windowStartMs) };
}

/**
 * The status page as of now, from the stored incidents: only those customers may see, and of those
 * only the ones the history window still shows, have their events (comments) read.
 */
export async function buildStatusSnapshot(deps: StatusSiteDeps): Promise<StatusPage> {
  return (await readStatusPage(deps)).page;
}

/** Every file of the status page as of now; `baseUrl` is where it is served (no trailing slash). */
export async function buildStatusSite(
  deps: StatusSiteDeps,
  baseUrl: string,
  options: SiteOptions = {},
): Promise<SiteFile[]> {
  return renderStatusSite(await buildStatusSnapshot(deps), baseUrl, options);
}

/**
 * Rebuilds the status site from the stored incidents and publishes it, stamped with its last visible
 * change rather than the time of the rebuild: the store writes only the files whose bytes changed, and
 * removes the pages of incidents withdrawn from customers' view. With `subscribeAction` the front page
 * has the "get updates by email" form posting there.
 */
export async function publishStatusSite(
  deps: StatusSiteDeps & { readonly site: StatusSiteStore; readonly log: Log },
  baseUrl: string,
  options: { readonly rewriteAll?: boolean; readonly subscribeAction?: string } = {},
): Promise<PublishedSite> {
  const { page, withdrawnIds } = await readStatusPage(deps);
  const stable = asOfLastChange(page, startOfDayMs(page.generatedAtMs, page.timeZone));
  const published = await deps.site.publish(
    renderStatusSite(stable, baseUrl, { subscribeAction: options.subscribeAction }),
    withdrawnIds.map(incidentPagePath),
    { rewriteAll: options.rewriteAll },
  );
  deps.log.info('status site published', {
    written: published.written.length,
    removed: published.removed.length,
    unchanged: published.unchanged,
  });
  return published;
}
