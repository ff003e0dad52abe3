import { escapeHtml } from './html-bar-charts.ts';
import { type ComponentState, STATE_WORDS, type UpdatePhase } from './status-page-states.ts';

/** The phases as customers read them. */
export const PHASE_LABELS: Readonly<Record<UpdatePhase, string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/**
 * Where the site's root is from the page: '' for the root, '../' one folder down, or the site's
 * address ending in a slash for a page served elsewhere (the subscribe endpoint's answers).
 */
export type RootPath = '' | '../' | `${string}/`;

// One formatter per zone (building one costs ~10 ms).
const formatters = new Map<string, Intl.DateTimeFormat>();

/** An instant on the team's clock, with its zone: "2 Nov 2026, 10:04 CET". */
export function formatTeamTime(ms: number, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(ms);
}

/**
 * A `<time>` that reads right without JavaScript (the team's zone); status.js rewrites it in the
 * reader's zone and, with `relative`, adds how long ago.
 */
export function timeTag(ms: number, timeZone: string, relative = false): string {
  const iso = new Date(ms).toISOString();
  return `<time datetime="${iso}"${relative ? ' data-relative' : ''}>${escapeHtml(formatTeamTime(ms, timeZone))}</time>`;
}

/** A state as a badge of text and glyph, coloured too: never by colour alone. */
export function stateTag(state: ComponentState): string {
  const words = STATE_WORDS[state];
  return `<span class="state s-${state}"><span class="glyph" aria-hidden="true">${words.glyph}</span> ${escapeHtml(words.label)}</span>`;
}

/** A whole page: lang, landmarks, one stylesheet, one deferred script, the feed announced. */
export function layout(input: {
  readonly title: string;
  readonly siteTitle: string;
  readonly root: RootPath;
  readonly body: string;
}): string {
  const { root } = input;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`,
    `<link rel="stylesheet" href="${root}assets/status.css">`,
    `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(input.siteTitle)}: incidents" href="${root}history.atom">`,
    `<script src="${root}assets/status.js" defer></script>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to content</a>',
    `<header class="top"><div class="wrap"><a class="site" href="${root === '' ? './' : root}">${escapeHtml(input.siteTitle)}</a></div></header>`,
    `<main id="main" class="wrap">${input.body}</main>`,
    `<footer class="wrap foot"><p><a href="${root}history.atom">Atom feed</a> · <a href="${root}api/v2/summary.json">JSON summary</a> · Kept current by Incident Flow from the incidents themselves.</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
