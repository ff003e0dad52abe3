import { escapeHtml } from './html-bar-charts.ts';
import { type ComponentState, STATE_WORDS } from './status-page-states.ts';

// Dark enough for white text at 4.5:1 or more.
const FILL: Readonly<Record<ComponentState, string>> = {
  operational: '#1a7f37',
  'degraded-performance': '#7d4e00',
  'partial-outage': '#a8400c',
  'major-outage': '#b42318',
};

/** Verdana 11 px is about 6.6 px a character: widths need not be exact, only roomy. */
const widthOf = (text: string): number => Math.ceil(text.length * 6.6) + 12;

/** A small SVG badge, "status | operational", its state in words (and in its title for screen readers). */
export function renderBadgeSvg(overall: ComponentState): string {
  const label = 'status';
  const value = overall === 'operational' ? 'operational' : STATE_WORDS[overall].label.toLowerCase();
  const left = widthOf(label);
  const right = widthOf(value);
  const text = escapeHtml(`${label}: ${value}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + right}" height="20" role="img" aria-label="${text}">`,
    `<title>${text}</title>`,
    `<rect width="${left}" height="20" fill="#444"/>`,
    `<rect x="${left}" width="${right}" height="20" fill="${FILL[overall]}"/>`,
    '<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">',
    `<text x="${left / 2}" y="14">${label}</text>`,
    `<text x="${left + right / 2}" y="14">${escapeHtml(value)}</text>`,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
