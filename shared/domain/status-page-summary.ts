import type { PublicIncident, StatusPage } from './status-page-model.ts';
import { type ComponentState, STATE_WORDS } from './status-page-states.ts';

/** Statuspage's indicator of the page's state. */
const INDICATOR: Readonly<Record<ComponentState, 'none' | 'minor' | 'major' | 'critical'>> = {
  operational: 'none',
  'degraded-performance': 'minor',
  'partial-outage': 'major',
  'major-outage': 'critical',
};

const PAGE_ID = 'incident-flow';
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const statuspageState = (state: ComponentState): string => state.replace(/-/g, '_');
const componentId = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'component';

function pageOf(page: StatusPage, baseUrl: string) {
  return {
    id: PAGE_ID,
    name: page.title,
    url: baseUrl,
    time_zone: page.timeZone,
    updated_at: iso(page.generatedAtMs),
  };
}

function statusOf(page: StatusPage) {
  return {
    indicator: INDICATOR[page.overall],
    description: page.overall === 'operational' ? 'All Systems Operational' : STATE_WORDS[page.overall].label,
  };
}

function incidentOf(incident: PublicIncident, page: StatusPage, baseUrl: string) {
  const components = page.components
    .filter((component) => incident.components.includes(component.name))
    .map((component) => ({ id: componentId(component.name), name: component.name }));
  const monitoring = incident.updates.find((update) => update.phase === 'monitoring');
  return {
    id: incident.id,
    name: incident.title,
    status: incident.phase,
    created_at: iso(incident.startedAtMs),
    updated_at: iso(incident.updatedAtMs),
    monitoring_at: iso(monitoring?.atMs ?? null),
    resolved_at: iso(incident.resolvedAtMs),
    impact: INDICATOR[incident.impact],
    shortlink: `${baseUrl}/incidents/${incident.id}.html`,
    started_at: iso(incident.startedAtMs),
    page_id: PAGE_ID,
    incident_updates: [...incident.updates].reverse().map((update) => ({
      id: `${incident.id}-${update.id}`,
      status: update.phase,
      body: update.text,
      incident_id: incident.id,
      created_at: iso(update.atMs),
      updated_at: iso(update.atMs),
      display_at: iso(update.atMs),
      affected_components: null,
      deliver_notifications: true,
    })),
    components,
  };
}

/**
 * `/api/v2/summary.json` in the shape Atlassian Statuspage serves it (page, status, components,
 * unresolved incidents, scheduled maintenances), so widgets and monitors that read it work unchanged.
 */
export function renderSummaryJson(page: StatusPage, baseUrl: string): string {
  return `${JSON.stringify(
    {
      page: pageOf(page, baseUrl),
      components: page.components.map((component, position) => ({
        id: componentId(component.name),
        name: component.name,
        status: statuspageState(component.state),
        created_at: iso(page.generatedAtMs),
        updated_at: iso(page.generatedAtMs),
        position: position + 1,
        description: component.description,
        showcase: true,
        start_date: null,
        group_id: null,
        page_id: PAGE_ID,
        group: false,
        only_show_if_degraded: false,
      })),
      incidents: page.ongoing.map((incident) => incidentOf(incident, page, baseUrl)),
      scheduled_maintenances: [],
      status: statusOf(page),
    },
    null,
    2,
  )}\n`;
}

/** `/api/v2/status.json`: the page and its indicator only, as Statuspage serves it. */
export function renderStatusJson(page: StatusPage, baseUrl: string): string {
  return `${JSON.stringify({ page: pageOf(page, baseUrl), status: statusOf(page) }, null, 2)}\n`;
}
