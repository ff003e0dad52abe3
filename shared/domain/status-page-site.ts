import { EMBED_JS, STATUS_CSS, STATUS_JS } from './status-page-assets.ts';
import { renderBadgeSvg } from './status-page-badge.ts';
import { renderAtomFeed } from './status-page-feed.ts';
import { renderStatusIndex } from './status-page-html.ts';
import { renderIncidentPage } from './status-page-incident-html.ts';
import type { StatusPage } from './status-page-model.ts';
import { renderStatusJson, renderSummaryJson } from './status-page-summary.ts';

/** One file of the static site: its path under the site's root, its media type, its text. */
export interface SiteFile {
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

const HTML = 'text/html; charset=utf-8';

/** Where an incident's page is in the site, by its public id. */
export function incidentPagePath(id: string): string {
  return `incidents/${id}.html`;
}

/** How the site is rendered beyond its data: where the email form posts, when there is an endpoint. */
export interface SiteOptions {
  readonly subscribeAction?: string;
}

/**
 * Every file of the status page. `baseUrl` (no trailing slash) is where the site is served, for the
 * feed's and the JSON's absolute links; the pages link relatively and work wherever they are put.
 */
export function renderStatusSite(page: StatusPage, baseUrl: string, options: SiteOptions = {}): SiteFile[] {
  const incidents = [...page.ongoing, ...page.past];
  return [
    { path: 'index.html', contentType: HTML, body: renderStatusIndex(page, options) },
    ...incidents.map((incident) => ({
      path: incidentPagePath(incident.id),
      contentType: HTML,
      body: renderIncidentPage(page, incident),
    })),
    {
      path: 'history.atom',
      contentType: 'application/atom+xml; charset=utf-8',
      body: renderAtomFeed(page, baseUrl),
    },
    {
      path: 'api/v2/summary.json',
      contentType: 'application/json; charset=utf-8',
      body: renderSummaryJson(page, baseUrl),
    },
    {
      path: 'api/v2/status.json',
      contentType: 'application/json; charset=utf-8',
      body: renderStatusJson(page, baseUrl),
    },
    { path: 'badge.svg', contentType: 'image/svg+xml; charset=utf-8', body: renderBadgeSvg(page.overall) },
    { path: 'embed.js', contentType: 'text/javascript; charset=utf-8', body: EMBED_JS },
    { path: 'assets/status.css', contentType: 'text/css; charset=utf-8', body: STATUS_CSS },
    { path: 'assets/status.js', contentType: 'text/javascript; charset=utf-8', body: STATUS_JS },
  ];
}
