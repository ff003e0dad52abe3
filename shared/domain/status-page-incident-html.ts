import { formatDuration } from './durations.ts';
import { escapeHtml } from './html-bar-charts.ts';
import { layout, PHASE_LABELS, stateTag, timeTag } from './status-page-layout.ts';
import type { PublicIncident, StatusPage } from './status-page-model.ts';

/** The page of one incident: its title, affected components, and its updates in the order they came. */
export function renderIncidentPage(page: StatusPage, incident: PublicIncident): string {
  const { timeZone } = page;
  const lasted =
    incident.resolvedAtMs === null
      ? ''
      : `<p>Resolved ${timeTag(incident.resolvedAtMs, timeZone)}, after ${formatDuration(incident.resolvedAtMs - incident.startedAtMs)}.</p>`;
  const updates = incident.updates.map((update) =>
    [
      '<li class="update">',
      `<h3>${PHASE_LABELS[update.phase]}</h3>`,
      ...update.text
        .split(/\n{2,}/)
        .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`),
      `<p class="when">${timeTag(update.atMs, timeZone, true)}</p>`,
      '</li>',
    ].join(''),
  );
  const body = [
    `<p class="back"><a href="../">← ${escapeHtml(page.title)}</a></p>`,
    `<h1>${escapeHtml(incident.title)}</h1>`,
    `<p class="meta">${stateTag(incident.impact)} <span class="phase">${PHASE_LABELS[incident.phase]}</span></p>`,
    `<p>Affected: ${incident.components.length > 0 ? escapeHtml(incident.components.join(', ')) : 'we are still determining which services are affected'}.</p>`,
    `<p>Started ${timeTag(incident.startedAtMs, timeZone)}.</p>`,
    lasted,
    '<section aria-labelledby="updates-h">',
    '<h2 id="updates-h">Updates</h2>',
    updates.length > 0 ? `<ol class="updates">${updates.join('')}</ol>` : '<p>No updates yet.</p>',
    '</section>',
  ].join('\n');
  return layout({
    title: `${incident.title}: ${PHASE_LABELS[incident.phase]} · ${page.title}`,
    siteTitle: page.title,
    root: '../',
    body,
  });
}
