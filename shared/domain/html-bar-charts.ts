/** The characters HTML gives a meaning to, replaced so text is shown as written. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** One coloured part of a bar. */
export type BarSegment = { readonly value: number; readonly color: string };

/** One column of a column chart: its label below, its value above, its parts bottom up. */
export type ChartColumn = {
  readonly label: string;
  readonly valueText: string;
  readonly segments: readonly BarSegment[];
  readonly emphasis?: boolean;
};

const TEXT_MUTED = '#4b5563';
const RULE = '#d1d5db';

/** A block of a colour and height: a table cell, as Outlook's Word engine draws no div heights. */
function block(color: string, heightPx: number): string {
  return `<tr><td height="${heightPx}" bgcolor="${color}" style="height:${heightPx}px;line-height:${heightPx}px;font-size:0;background-color:${color};">&nbsp;</td></tr>`;
}

/**
 * Shares of 100 for widths in percent, at least `minPercent` each for a non-zero value, summing to
 * 100 exactly (largest remainder), so a bar of cells never wraps or falls short.
 */
export function percentShares(values: readonly number[], minPercent = 1): number[] {
  const total = values.reduce((sum, value) => sum + Math.max(0, value), 0);
  if (total === 0) return values.map(() => 0);
  const raw = values.map((value) => (value > 0 ? Math.max(minPercent, (value / total) * 100) : 0));
  const scale = 100 / raw.reduce((sum, share) => sum + share, 0);
  const exact = raw.map((share) => share * scale);
  const shares = exact.map(Math.floor);
  const missing = 100 - shares.reduce((sum, share) => sum + share, 0);
  const byRemainder = exact
    .map((share, i) => ({ i, remainder: share - Math.floor(share) }))
    .sort((a, b) => b.remainder - a.remainder);
  for (const { i } of byRemainder.slice(0, missing)) shares[i] = (shares[i] ?? 0) + 1;
  return shares;
}

/**
 * A column chart made of table cells (no image, no SVG: mail clients show it as they show any table).
 * The whole chart is one image to assistive technology, named by `description`, its text equivalent.
 */
export function columnChart(input: {
  readonly columns: readonly ChartColumn[];
  readonly heightPx: number;
  readonly description: string;
}): string {
  const max = Math.max(
    0,
    ...input.columns.map((column) => column.segments.reduce((sum, segment) => sum + segment.value, 0)),
  );
  const bars = input.columns.map((column) => {
    const parts = [...column.segments]
      .reverse()
      .map((segment) => ({
        ...segment,
        px: max === 0 ? 0 : Math.round((segment.value / max) * input.heightPx),
      }))
      .filter((segment) => segment.px > 0)
      .map((segment) => block(segment.color, Math.max(2, segment.px)))
      .join('');
    const weight = column.emphasis ? 'font-weight:bold;color:#111827;' : `color:${TEXT_MUTED};`;
    return `<td valign="bottom" align="center" style="vertical-align:bottom;padding:0 5px;height:${input.heightPx + 18}px;"><div style="font-size:11px;line-height:14px;padding-bottom:3px;${weight}">${escapeHtml(column.valueText)}</div>${parts ? `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">${parts}</table>` : ''}</td>`;
  });
  const labels = input.columns.map(
    (column) =>
      `<td align="center" style="border-top:1px solid ${RULE};padding:4px 2px 0;font-size:11px;line-height:14px;${column.emphasis ? 'font-weight:bold;color:#111827;' : `color:${TEXT_MUTED};`}">${escapeHtml(column.label)}</td>`,
  );
  return `<table role="img" aria-label="${escapeHtml(input.description)}" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;table-layout:fixed;"><tr>${bars.join('')}</tr><tr>${labels.join('')}</tr></table>`;
}

/** A horizontal bar of coloured parts across the full width, one image named by `description`. */
export function stackedBar(input: {
  readonly segments: readonly BarSegment[];
  readonly heightPx: number;
  readonly description: string;
}): string {
  const shares = percentShares(input.segments.map((segment) => segment.value));
  const cells = input.segments
    .map((segment, i) => ({ ...segment, share: shares[i] ?? 0 }))
    .filter((segment) => segment.share > 0)
    .map(
      (segment) =>
        `<td width="${segment.share}%" height="${input.heightPx}" bgcolor="${segment.color}" style="width:${segment.share}%;height:${input.heightPx}px;line-height:${input.heightPx}px;font-size:0;background-color:${segment.color};border-right:2px solid #ffffff;">&nbsp;</td>`,
    );
  return `<table role="img" aria-label="${escapeHtml(input.description)}" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;"><tr>${cells.join('')}</tr></table>`;
}

/** A thin bar `share` percent of its cell wide, for a value shown beside it (decorative). */
export function inlineBar(share: number, color: string): string {
  if (share <= 0) return '';
  const width = Math.min(100, Math.max(2, Math.round(share)));
  return `<table role="presentation" aria-hidden="true" width="${width}%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;width:${width}%;"><tr><td height="10" bgcolor="${color}" style="height:10px;line-height:10px;font-size:0;background-color:${color};">&nbsp;</td></tr></table>`;
}

/** A colour key: a small square of each colour followed by its name (the names carry the meaning). */
export function legend(items: readonly { readonly color: string; readonly label: string }[]): string {
  const cells = items.map(
    (item) =>
      `<td style="padding:0 4px 0 0;"><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td width="10" height="10" bgcolor="${item.color}" style="width:10px;height:10px;font-size:0;line-height:10px;background-color:${item.color};">&nbsp;</td></tr></table></td><td style="padding:0 12px 0 0;font-size:12px;line-height:16px;color:${TEXT_MUTED};white-space:nowrap;">${escapeHtml(item.label)}</td>`,
  );
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;"><tr>${cells.join('')}</tr></table>`;
}
