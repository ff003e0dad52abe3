import { Feed } from 'feed';
import { escapeHtml } from './html-bar-charts.ts';
import { PHASE_LABELS } from './status-page-layout.ts';
import type { StatusPage } from './status-page-model.ts';

/** The Atom feed of the incidents: one entry per incident, its updates newest first, updated with each. */
export function renderAtomFeed(page: StatusPage, baseUrl: string): string {
  const incidents = [...page.ongoing, ...page.past].sort((a, b) => b.updatedAtMs - a.updatedAtMs);
  const feed = new Feed({
    id: `${baseUrl}/`,
    title: `${page.title}: incidents`,
    link: `${baseUrl}/`,
    language: 'en',
    updated: new Date(incidents[0]?.updatedAtMs ?? page.generatedAtMs),
    feedLinks: { atom: `${baseUrl}/history.atom` },
    generator: 'Incident Flow',
    copyright: '',
  });
  for (const incident of incidents) {
    const link = `${baseUrl}/incidents/${incident.id}.html`;
    const updates = [...incident.updates].reverse();
    feed.addItem({
      id: link,
      title: `${incident.title} (${PHASE_LABELS[incident.phase]})`,
      link,
      date: new Date(incident.updatedAtMs),
      published: new Date(incident.startedAtMs),
      description: updates[0]?.text ?? PHASE_LABELS[incident.phase],
      content: updates
        .map(
          (update) =>
            `<p><strong>${PHASE_LABELS[update.phase]}</strong> (${new Date(update.atMs).toISOString()}): ${escapeHtml(update.text)}</p>`,
        )
        .join(''),
    });
  }
  return feed.atom1();
}
