import { formatDuration } from './durations.ts';
import { escapeHtml } from './html-bar-charts.ts';
import { formatDay } from './local-days.ts';
import { plural } from './plural.ts';
import type { ComponentHistory } from './status-page-history.ts';
import { layout, PHASE_LABELS, stateTag, timeTag } from './status-page-layout.ts';
import type { PublicIncident, StatusPage } from './status-page-model.ts';
import { COMPONENT_STATES, STATE_WORDS } from './status-page-states.ts';
import { subscribeForm } from './status-page-subscribe-html.ts';

/** Days shown on a narrow screen; the older ones are hidden there by the stylesheet. */
const NARROW_DAYS = 30;

function ongoingCard(incident: PublicIncident, timeZone: string): string {
  const latest = incident.updates.at(-1);
  return [
    '<article class="card incident">',
    `<h3><a href="incidents/${incident.id}.html">${escapeHtml(incident.title)}</a></h3>`,
    `<p class="meta">${stateTag(incident.impact)} <span class="phase">${PHASE_LABELS[incident.phase]}</span></p>`,
    latest
      ? `<p>${escapeHtml(latest.text)}</p><p class="when">Posted ${timeTag(latest.atMs, timeZone, true)}</p>`
      : '',
    '</article>',
  ].join('');
}

/**
 * The bar of days, oldest first: an empty mark for a quiet day (screen readers skip it), and for a
 * day with incidents a link to the first of them, named in words (date, state, incidents) that
 * show on focus and hover. The stylesheet keeps the last 30 on a narrow screen.
 */
function historyBar(history: ComponentHistory, titles: ReadonlyMap<string, string>, days: number): string {
  const troubled = history.days.filter((day) => day.incidentIds.length > 0).length;
  const items = history.days.map((day) => {
    const first = day.incidentIds[0];
    if (first === undefined) return '<i></i>';
    const named = day.incidentIds.map((id) => titles.get(id) ?? 'Incident').join('; ');
    const words = `${formatDay(day.day)}: ${STATE_WORDS[day.state].label}. ${named}`;
    return `<a class="d-${day.state}" href="incidents/${first}.html"><span class="tip">${escapeHtml(words)}</span></a>`;
  });
  const label = `${history.component}, the last ${days} days: ${
    troubled === 0 ? 'no incidents' : `${plural(troubled, 'day')} with incidents`
  }`;
  return [
    `<div class="bar" role="group" aria-label="${escapeHtml(label)}">${items.join('')}</div>`,
    `<p class="scale" aria-hidden="true"><span class="wide">${days} days ago</span><span class="narrow">${Math.min(days, NARROW_DAYS)} days ago</span><span>Today</span></p>`,
  ].join('');
}

function componentsSection(page: StatusPage): string {
  if (page.components.length === 0) return '';
  const titles = new Map([...page.ongoing, ...page.past].map((incident) => [incident.id, incident.title]));
  const items = page.components.map((component) => {
    const history = page.history.find((entry) => entry.component === component.name);
    return [
      '<li class="component">',
      `<div class="row"><h3>${escapeHtml(component.name)}</h3>${stateTag(component.state)}</div>`,
      component.description ? `<p class="desc">${escapeHtml(component.description)}</p>` : '',
      history ? historyBar(history, titles, page.historyDays) : '',
      '</li>',
    ].join('');
  });
  const legend = COMPONENT_STATES.map(
    (state) => `<li><span class="key d-${state}" aria-hidden="true"></span>${STATE_WORDS[state].label}</li>`,
  ).join('');
  return [
    '<section aria-labelledby="components-h">',
    '<h2 id="components-h">Components</h2>',
    `<ul class="components">${items.join('')}</ul>`,
    `<ul class="legend" aria-label="What the colours of the days mean">${legend}</ul>`,
    '<p class="hint">Focus or point at a coloured day for its incidents.</p>',
    '</section>',
  ].join('');
}

function pastSection(page: StatusPage): string {
  const items = page.past.map((incident) => {
    const lasted =
      incident.resolvedAtMs === null
        ? ''
        : ` · lasted ${formatDuration(incident.resolvedAtMs - incident.startedAtMs)}`;
    return [
      '<li>',
      `<a href="incidents/${incident.id}.html">${escapeHtml(incident.title)}</a>`,
      `<p class="meta">${stateTag(incident.impact)} <span class="when">${timeTag(incident.startedAtMs, page.timeZone)}${lasted}</span></p>`,
      '</li>',
    ].join('');
  });
  return [
    '<section aria-labelledby="past-h">',
    '<h2 id="past-h">Past incidents</h2>',
    items.length > 0
      ? `<ul class="past">${items.join('')}</ul>`
      : `<p>No incidents in the last ${page.historyDays} days.</p>`,
    '</section>',
  ].join('');
}

/**
 * The main page: overall state, ongoing incidents, components with their history, past incidents, and
 * the ways to follow them; the email form only where a subscribe endpoint (`subscribeAction`) exists.
 */
export function renderStatusIndex(
  page: StatusPage,
  options: { readonly subscribeAction?: string } = {},
): string {
  const ongoing =
    page.ongoing.length === 0
      ? ''
      : [
          '<section aria-labelledby="ongoing-h">',
          `<h2 id="ongoing-h">Ongoing ${page.ongoing.length === 1 ? 'incident' : 'incidents'}</h2>`,
          ...page.ongoing.map((incident) => ongoingCard(incident, page.timeZone)),
          '</section>',
        ].join('');
  const body = [
    `<h1 class="banner b-${page.overall}"><span class="glyph" aria-hidden="true">${STATE_WORDS[page.overall].glyph}</span> ${escapeHtml(
      page.overall === 'operational' ? 'All systems operational' : headlineOf(page),
    )}</h1>`,
    `<p class="updated">Updated ${timeTag(page.generatedAtMs, page.timeZone, true)}</p>`,
    ongoing,
    componentsSection(page),
    pastSection(page),
    '<section aria-labelledby="updates-h">',
    '<h2 id="updates-h">Get updates</h2>',
    options.subscribeAction === undefined ? '' : subscribeForm(options.subscribeAction),
    '<p>Follow the <a href="history.atom">Atom feed</a> in a feed reader, or read the <a href="api/v2/summary.json">JSON summary</a> (the Statuspage format) from a monitor.</p>',
    '</section>',
  ].join('\n');
  return layout({
    title: `${page.title}: ${STATE_WORDS[page.overall].label}`,
    siteTitle: page.title,
    root: '',
    body,
  });
}

function headlineOf(page: StatusPage): string {
  const affected = page.components.filter((component) => component.state !== 'operational').length;
  const label = STATE_WORDS[page.overall].label;
  return affected > 0 ? `${label}: ${plural(affected, 'component')} affected` : label;
}
