import { formatDuration } from './durations.ts';
import { columnChart, escapeHtml, inlineBar, legend, stackedBar } from './html-bar-charts.ts';
import { formatIsoWeek, previousWeeks } from './iso-weeks.ts';
import type { Severity } from './lifecycle.ts';
import { hasDelivery, type MergedFix } from './weekly-delivery.ts';
import {
  ciFailuresLine,
  DELIVERY_TITLE,
  deploymentsHeader,
  deploymentsLine,
  deploymentsRow,
  FIXES_HEADER,
  fixesMergedLine,
  fixRow,
} from './weekly-delivery-text.ts';
import type { SeverityColumn, WeeklyMetrics, WeeklyReport } from './weekly-metrics.ts';
import { SEVERITY_COLUMNS } from './weekly-metrics.ts';
import type { ReportCharts } from './weekly-report-charts.ts';
import {
  changeFailureLine,
  dataQualityReasonText,
  deletedLines,
  detectionLines,
  FIGURE_NAMES,
  FOLLOW_UPS_NOT_TRACKED,
  followUpsSummaryLine,
  formatChange,
  formatFigure,
  headlineLines,
  INCIDENT_TABLE_HEADER,
  incidentRow,
  incidentsTitle,
  leftOutLine,
  openVisitNote,
  overdueText,
  progressLines,
  type RenderOptions,
  reopenedText,
  reportSubject,
  severityName,
  TIME_TABLE_HEADER,
  timeRow,
  unwrittenPostmortemText,
} from './weekly-report-text.ts';
import type { FigureTrend } from './weekly-trend.ts';

/** How the HTML email is rendered: the text's options, and the chart data the report does not hold. */
export type HtmlRenderOptions = RenderOptions & { readonly charts?: ReportCharts | undefined };

/** The width of the email's column: what every mail client shows without scrolling sideways. */
export const EMAIL_WIDTH_PX = 600;

const FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const INK = '#111827';
const MUTED = '#4b5563';
const RULE = '#e5e7eb';
const LINK = '#1d4ed8';
const GOOD = '#047857';
const BAD = '#b91c1c';

/** Severity colours, from alarming to calm; each at least 3:1 against white (WCAG 1.4.11). */
const SEVERITY_COLORS: Record<SeverityColumn, string> = {
  SEV1: '#b91c1c',
  SEV2: '#c2410c',
  SEV3: '#ca8a04',
  SEV4: '#2563eb',
  none: '#6b7280',
};

const STAGE_COLORS = ['#64748b', '#7c3aed', '#2563eb', '#0891b2', '#059669', '#65a30d', '#d97706', '#be185d'];
const TREND_PAST = '#8fb1e3';
const TREND_NOW = '#1e40af';

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
/** "2026-W45" as the chart's axis shows it: "W45". */
const shortWeek = (weekId: string): string => weekId.slice(weekId.indexOf('-') + 1);
/** A short value kept on one line ("2d 20h 40m"), without a style per cell: the 40-incident table must stay small. */
const unbroken = (text: string): string => escapeHtml(text).replace(/ /g, '&nbsp;');

function keyLink(key: string, options: RenderOptions): string {
  if (!options.jiraBaseUrl) return escapeHtml(key);
  const href = `${options.jiraBaseUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(key)}`;
  return `<a href="${escapeHtml(href)}" style="color:${LINK};">${escapeHtml(key)}</a>`;
}

/** A line of the text, escaped, with each of `keys` linked to Jira: the text's words, the email's links. */
function withKeyLinks(line: string, keys: readonly string[], options: RenderOptions): string {
  const html = escapeHtml(line);
  if (!options.jiraBaseUrl || keys.length === 0) return html;
  const alternatives = [...new Set(keys)]
    .sort((a, b) => b.length - a.length)
    .map((key) => escapeHtml(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Whole keys only: INC-10 is not linked inside INC-103.
  const pattern = new RegExp(`(?<![\\w-])(${alternatives.join('|')})(?![\\w-])`, 'g');
  return html.replace(pattern, (key) => keyLink(key, options));
}

function heading(text: string): string {
  return `<h2 style="margin:28px 0 4px;font-size:17px;line-height:24px;font-weight:bold;color:${INK};">${escapeHtml(text)}</h2>`;
}

function note(html: string): string {
  return `<p style="margin:0 0 12px;font-size:13px;line-height:19px;color:${MUTED};">${html}</p>`;
}

function paragraph(html: string): string {
  return `<p style="margin:8px 0;font-size:14px;line-height:21px;color:${INK};">${html}</p>`;
}

type Align = 'left' | 'right';

/**
 * A table of data, with headers people and screen readers can follow; the first cell of a row is its
 * header. Cells carry only what mail clients do not inherit reliably (padding, rule, size), to keep a
 * busy week's email under Gmail's clipping size.
 */
function dataTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[],
  fontPx = 13,
): string {
  const alignOf = (i: number) => (align[i] === 'right' ? ' align="right"' : '');
  // The smaller type of a wide table gets narrower gutters too, to leave its text column room.
  const gutter = fontPx < 13 ? 4 : 6;
  const cell = `padding:5px ${gutter}px;border-bottom:1px solid ${RULE};font-size:${fontPx}px;`;
  const th = header
    .map(
      (text, i) =>
        `<th scope="col"${alignOf(i) || ' align="left"'} style="padding:6px ${gutter}px;border-bottom:2px solid ${RULE};font-size:12px;color:${MUTED};">${text}</th>`,
    )
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row
          .map((text, i) =>
            i === 0
              ? `<th scope="row" align="left" style="${cell}font-weight:normal;white-space:nowrap;">${text}</th>`
              : `<td${alignOf(i)} style="${cell}">${text}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('');
  return `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:8px 0;color:${INK};line-height:18px;"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The change against the 4-week average in the text's words, with an arrow coloured by whether it is good news. */
function trendNote(trend: FigureTrend): string {
  // A duration wraps between its values, never inside one ("2h 00m").
  const text = escapeHtml(formatChange(trend)).replace(/(\d[dhm]) (?=\d)/g, '$1&nbsp;');
  const change = trend.direction === 'n/a' ? `Change ${text}` : text;
  // "7 vs 0.3 a week" already names the average; a percent or "flat" does not.
  const average =
    trend.changePercent === null && trend.direction !== 'n/a'
      ? ''
      : `<br>4-week avg ${escapeHtml(formatFigure(trend.figure, trend.baseline))}`;
  if (trend.direction !== 'up' && trend.direction !== 'down') return `${change}${average}`;
  const arrow = trend.direction === 'up' ? '&#9650;' : '&#9660;';
  // More resolved is good news; more of anything else (incidents, waiting, failed changes) is not.
  const isGood = trend.figure === 'resolvedCount' ? trend.direction === 'up' : trend.direction === 'down';
  return `<span style="color:${isGood ? GOOD : BAD};font-weight:bold;">${arrow} ${change}</span>${average}`;
}

/** A headline figure in a box; the boxes are the cells of one row, so they share its height. */
function tile(label: string, value: string, detail: string): string {
  return `<td width="25%" valign="top" style="width:25%;padding:10px 9px 12px;background-color:#f9fafb;border:1px solid ${RULE};border-radius:6px;"><div style="font-size:12px;line-height:16px;color:${MUTED};">${escapeHtml(label)}</div><div style="font-size:22px;line-height:30px;font-weight:bold;color:${INK};">${escapeHtml(value)}</div><div style="font-size:11px;line-height:15px;color:${MUTED};">${detail}</div></td>`;
}

function trendOf(report: WeeklyReport, figure: FigureTrend['figure']): FigureTrend | undefined {
  return report.trend.find((trend) => trend.figure === figure);
}

function headlineTiles(report: WeeklyReport): string {
  const { metrics } = report;
  const figures = ['openedCount', 'resolvedCount', 'mttaMedianMs', 'mttrMedianMs'] as const;
  const cells = figures.map((figure) => {
    const trend = trendOf(report, figure);
    const value = trend ? formatFigure(figure, trend.current) : 'n/a';
    return tile(FIGURE_NAMES[figure], value, trend ? trendNote(trend) : '');
  });
  const stillOpen = metrics.stillOpen.total;
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="6" border="0" style="border-collapse:separate;border-spacing:6px 0;table-layout:fixed;margin-bottom:10px;"><tr>${cells.join('')}</tr></table>${note(
    `${plural(stillOpen, 'incident')} opened this week ${stillOpen === 1 ? 'is' : 'are'} still open. Under each figure, its change against the average of the four weeks before.`,
  )}`;
}

function severityHistoryChart(report: WeeklyReport, charts: ReportCharts | undefined): string {
  const history = charts?.severityHistory;
  if (history && history.length > 0) {
    const columns = history.map((week) => ({
      label: shortWeek(week.weekId),
      valueText: String(week.opened.total),
      segments: SEVERITY_COLUMNS.map((column) => ({
        value: week.opened.bySeverity[column],
        color: SEVERITY_COLORS[column],
      })),
      emphasis: week.weekId === report.weekId,
    }));
    const described = history
      .map((week) => {
        const parts = SEVERITY_COLUMNS.filter((column) => week.opened.bySeverity[column] > 0).map(
          (column) => `${week.opened.bySeverity[column]} ${severityName(column)}`,
        );
        return `${shortWeek(week.weekId)}: ${week.opened.total}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
      })
      .join('; ');
    const used = SEVERITY_COLUMNS.filter((column) =>
      history.some((week) => week.opened.bySeverity[column] > 0),
    );
    return `${columnChart({ columns, heightPx: 110, description: `Incidents opened per week, by severity, this week last. ${described}.` })}<div style="padding-top:8px;">${legend(
      (used.length > 0 ? used : SEVERITY_COLUMNS.slice(0, 4)).map((column) => ({
        color: SEVERITY_COLORS[column],
        label: severityName(column),
      })),
    )}</div>`;
  }
  const opened = trendOf(report, 'openedCount');
  return opened ? figureChart(report, opened, 'Incidents opened per week') : '';
}

/** The weeks of a trend's history, the oldest first and the reported week last. */
function historyWeekIds(report: WeeklyReport, count: number): string[] {
  return [
    ...previousWeeks(report.week, count - 1)
      .reverse()
      .map(formatIsoWeek),
    report.weekId,
  ];
}

function figureChart(report: WeeklyReport, trend: FigureTrend, title: string): string {
  const weekIds = historyWeekIds(report, trend.history.length);
  const columns = trend.history.map((value, i) => {
    const isNow = i === trend.history.length - 1;
    return {
      label: shortWeek(weekIds[i] ?? ''),
      valueText: value === null ? '–' : formatFigure(trend.figure, value),
      segments: value === null ? [] : [{ value, color: isNow ? TREND_NOW : TREND_PAST }],
      emphasis: isNow,
    };
  });
  const described = columns
    .map((column) => `${column.label}: ${column.valueText === '–' ? 'none' : column.valueText}`)
    .join('; ');
  return columnChart({ columns, heightPx: 70, description: `${title}, this week last. ${described}.` });
}

function timesTable(metrics: WeeklyMetrics, options: RenderOptions): string {
  const rows = [
    timeRow('Acknowledge', metrics.timeToAcknowledge),
    timeRow('Resolve', metrics.timeToResolve),
  ].map((row) =>
    row.map((text, i) => (i === 5 ? withKeyLinks(text, allKeys(metrics), options) : unbroken(text))),
  );
  return dataTable(['Time to', ...TIME_TABLE_HEADER.slice(1)], rows, [
    'left',
    'right',
    'right',
    'right',
    'right',
    'left',
  ]);
}

function leftOutNotes(metrics: WeeklyMetrics, options: RenderOptions): string {
  const keys = allKeys(metrics);
  return note(
    [leftOutLine('MTTA', metrics.timeToAcknowledge), leftOutLine('MTTR', metrics.timeToResolve)]
      .map((line) => withKeyLinks(line, keys, options))
      .join('<br>'),
  );
}

function stageChart(metrics: WeeklyMetrics): string {
  if (metrics.stageTimes.length === 0) return paragraph('No finished stage visits.');
  const stages = metrics.stageTimes.map((time, i) => ({
    ...time,
    color: STAGE_COLORS[i % STAGE_COLORS.length] ?? MUTED,
  }));
  const described = stages.map((stage) => `${stage.label} ${formatDuration(stage.medianMs)}`).join(', ');
  const bar = stackedBar({
    segments: stages.map((stage) => ({ value: stage.medianMs, color: stage.color })),
    heightPx: 26,
    description: `Median time in each status, in board order: ${described}.`,
  });
  const rows = stages.map((stage) => [
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="display:inline-table;vertical-align:middle;"><tr><td width="10" height="10" bgcolor="${stage.color}" style="width:10px;height:10px;font-size:0;line-height:10px;background-color:${stage.color};">&nbsp;</td></tr></table>&nbsp; ${escapeHtml(stage.label)}`,
    String(stage.count),
    unbroken(formatDuration(stage.medianMs)),
  ]);
  return `<div style="padding:8px 0 4px;">${bar}</div>${dataTable(['Status (stage)', 'Incidents', 'Median'], rows, ['left', 'right', 'right'])}${note(escapeHtml(openVisitNote(metrics)))}`;
}

function severityTable(metrics: WeeklyMetrics): string {
  const rows = SEVERITY_COLUMNS.map((column) => [
    escapeHtml(severityName(column)),
    String(metrics.opened.bySeverity[column]),
    String(metrics.resolved.bySeverity[column]),
    String(metrics.stillOpen.bySeverity[column]),
  ]);
  const total = [
    '<strong>Total</strong>',
    ...[metrics.opened, metrics.resolved, metrics.stillOpen].map((c) => `<strong>${c.total}</strong>`),
  ];
  return dataTable(
    ['Severity', 'Opened', 'Resolved', 'Still open'],
    [...rows, total],
    ['left', 'right', 'right', 'right'],
  );
}

function changeFailureSection(report: WeeklyReport, options: RenderOptions): string {
  const { metrics } = report;
  const line = withKeyLinks(changeFailureLine(metrics), metrics.changeFailureRate.causedKeys, options);
  // The rate before the colon is the figure: bold, as in the tiles.
  const figure = line.replace(/^([^:]*):/, '<strong>$1</strong>:');
  const trend = trendOf(report, 'changeFailureRate');
  const against = trend
    ? note(`Against the average of the four weeks before: ${escapeHtml(formatChange(trend))}.`)
    : '';
  return `${heading('Change failure rate')}${paragraph(figure)}${against}`;
}

/** The text's Detection section, line for line: time to detect, incidents by source, alert noise. */
function detectionSection(report: WeeklyReport): string {
  const lines = detectionLines(report);
  if (lines.length === 0) return '';
  return `${heading('Detection')}${lines.map((line) => paragraph(escapeHtml(line))).join('')}`;
}

/** A fix's title linked to its pull or merge request (only an http(s) address becomes a link). */
function fixLink(fix: MergedFix, text: string): string {
  if (!/^https?:\/\//i.test(fix.url)) return escapeHtml(text);
  return `<a href="${escapeHtml(fix.url)}" style="color:${LINK};">${escapeHtml(text)}</a>`;
}

/** The text's "CI and deployments" section: the same lines and tables, each part only when there is some. */
function deliverySection(report: WeeklyReport, options: RenderOptions): string {
  const { delivery } = report;
  if (!hasDelivery(delivery)) return '';
  const parts = [heading(DELIVERY_TITLE)];
  if (delivery.failuresOpened.length > 0 || delivery.failuresFixed.length > 0)
    parts.push(paragraph(escapeHtml(ciFailuresLine(delivery))));
  if (delivery.deploymentCount > 0)
    parts.push(
      paragraph(escapeHtml(deploymentsLine(delivery))),
      dataTable(
        deploymentsHeader(delivery.days),
        delivery.deploymentsByService.map((service) => deploymentsRow(service).map(escapeHtml)),
        ['left', ...delivery.days.map(() => 'right' as const), 'right'],
      ),
    );
  if (delivery.fixesMerged.length > 0)
    parts.push(
      paragraph(escapeHtml(fixesMergedLine(delivery))),
      dataTable(
        FIXES_HEADER,
        delivery.fixesMerged.map((fix) =>
          fixRow(fix).map((text, i) => {
            if (i === 0) return keyLink(text, options);
            return i === 1 ? fixLink(fix, text) : unbroken(text);
          }),
        ),
        ['left', 'left', 'left', 'right'],
      ),
    );
  return parts.join('');
}

function followUpsSection(report: WeeklyReport, options: HtmlRenderOptions): string {
  const followUps = report.followUps;
  if (followUps.kind === 'not-tracked')
    return `${heading('Follow-ups')}${paragraph(escapeHtml(FOLLOW_UPS_NOT_TRACKED))}`;
  const summary = paragraph(escapeHtml(followUpsSummaryLine(followUps)));
  const owners = options.charts?.followUpOwners ?? [];
  const max = Math.max(
    1,
    ...owners.flatMap((owner) => [owner.openedCount, owner.doneCount, owner.overdueCount]),
  );
  const countCell = (count: number, color: string) =>
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td width="22" align="right" style="width:22px;padding-right:6px;font-size:13px;line-height:18px;color:${INK};">${count}</td><td>${inlineBar((count / max) * 100, color)}</td></tr></table>`;
  const ownerTable =
    owners.length === 0
      ? ''
      : dataTable(
          ['Owner', 'Opened', 'Done', 'Overdue'],
          owners.map((owner) => [
            escapeHtml(owner.owner),
            countCell(owner.openedCount, '#2563eb'),
            countCell(owner.doneCount, GOOD),
            countCell(owner.overdueCount, BAD),
          ]),
          ['left', 'left', 'left', 'left'],
        );
  const list = (items: readonly { key: string; text: string; keys: readonly string[] }[]) =>
    `<ul style="margin:4px 0 8px;padding-left:20px;font-size:13px;line-height:19px;color:${INK};">${items
      .map(
        (item) =>
          `<li style="margin:2px 0;">${keyLink(item.key, options)} ${withKeyLinks(item.text, item.keys, options)}</li>`,
      )
      .join('')}</ul>`;
  const overdue = (lines: typeof followUps.overdue) =>
    list(lines.map((line) => ({ key: line.key, text: overdueText(line), keys: [line.incidentKey] })));
  return [
    heading('Follow-ups by owner'),
    summary,
    ownerTable,
    followUps.overdue.length > 0
      ? `${paragraph('<strong>Overdue</strong>')}${overdue(followUps.overdue)}`
      : '',
    followUps.withoutOwner.length > 0
      ? `${paragraph('<strong>Without an owner Jira knows</strong> (held by the incident assignee)')}${list(
          followUps.withoutOwner.map((line) => ({
            key: line.key,
            text: `from ${line.incidentKey}`,
            keys: [line.incidentKey],
          })),
        )}`
      : '',
    followUps.escalated.length > 0
      ? `${heading('Manage closely: follow-ups long overdue')}${overdue(followUps.escalated)}`
      : '',
    followUps.unwrittenPostmortems.length > 0
      ? `${heading('Postmortems not written yet')}${list(
          followUps.unwrittenPostmortems.map((line) => ({
            key: line.incidentKey,
            text: unwrittenPostmortemText(line),
            keys: [],
          })),
        )}`
      : '',
  ].join('');
}

/** The week's incident keys, to link where the text names them. */
function allKeys(metrics: WeeklyMetrics): string[] {
  return metrics.incidents.map((incident) => incident.key);
}

function severityBadge(severity: Severity | null): string {
  if (severity === null) return '-';
  // Dark text on the light SEV3 yellow, white on the others: each above 4.5:1.
  const ink = severity === 'SEV3' ? INK : '#ffffff';
  return `<span style="padding:1px 5px;border-radius:3px;background-color:${SEVERITY_COLORS[severity]};color:${ink};font-size:11px;font-weight:bold;">${severity}</span>`;
}

/** The text's table of incidents, cell for cell: the key linked, the severity as a badge. */
function incidentsTable(report: WeeklyReport, options: RenderOptions): string {
  const { metrics } = report;
  if (metrics.incidents.length === 0) return '';
  const rows = metrics.incidents.map((incident) =>
    incidentRow(incident).map((text, i) => {
      if (i === 0) return keyLink(text, options);
      if (i === 1) return severityBadge(incident.severity);
      // Durations are kept whole; the summary, the postmortem's status and the opening's time may wrap.
      if (i === 3) return escapeHtml(text).replace(/^(\S+) (\S+)/, '$1&nbsp;$2');
      return i === 2 || i === 7 ? escapeHtml(text) : unbroken(text);
    }),
  );
  const reopened =
    metrics.reopened.length === 0
      ? 'No resolved incident was reopened.'
      : `Reopened: ${metrics.reopened.map(({ key, reopenCount }) => `${key} ${reopenedText(reopenCount)}`).join(', ')}.`;
  return `${heading(incidentsTitle(report))}${dataTable(
    INCIDENT_TABLE_HEADER,
    rows,
    ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'left'],
    12,
  )}${note(withKeyLinks(reopened, allKeys(metrics), options))}`;
}

function dataQualityList(metrics: WeeklyMetrics, options: RenderOptions): string {
  if (metrics.dataQuality.length === 0) return '';
  const items = metrics.dataQuality.map(
    (issue) =>
      `<li style="margin:2px 0;">${keyLink(issue.key, options)} ${escapeHtml(issue.reasons.map(dataQualityReasonText).join('; '))}</li>`,
  );
  return `${heading('Data quality')}<ul style="margin:4px 0 8px;padding-left:20px;font-size:13px;line-height:19px;color:${INK};">${items.join('')}</ul>`;
}

function progressBanner(report: WeeklyReport): string {
  const [line] = progressLines(report);
  if (line === undefined) return '';
  return `<p style="margin:0 0 12px;padding:8px 12px;background-color:#fef3c7;border-left:4px solid #b45309;font-size:14px;line-height:21px;color:${INK};"><strong>${escapeHtml(line)}</strong></p>`;
}

function body(report: WeeklyReport, options: HtmlRenderOptions): string {
  const { metrics } = report;
  const quiet = metrics.opened.total === 0 && metrics.resolved.total === 0;
  const mtta = trendOf(report, 'mttaMedianMs');
  const mttr = trendOf(report, 'mttrMedianMs');
  const thisWeek = report.complete ? 'this week' : 'this week so far';
  return [
    progressBanner(report),
    headlineTiles(report),
    quiet ? paragraph(escapeHtml(headlineLines(report).at(-1) ?? '')) : '',
    ...deletedLines(metrics).map((line) => note(escapeHtml(line))),
    quiet ? '' : incidentsTable(report, options),
    heading('Incidents opened, last 8 weeks'),
    note(`By final severity; ${thisWeek} is the last column.`),
    severityHistoryChart(report, options.charts),
    heading('Time to acknowledge and resolve, last 8 weeks'),
    note(`Medians of the incidents resolved each week, ${thisWeek} last; a dash marks a week with none.`),
    mtta
      ? `${paragraph('<strong>MTTA</strong>')}${figureChart(report, mtta, 'Median time to acknowledge per week')}`
      : '',
    mttr
      ? `${paragraph('<strong>MTTR</strong>')}${figureChart(report, mttr, 'Median time to resolve per week')}`
      : '',
    quiet ? '' : `${timesTable(metrics, options)}${leftOutNotes(metrics, options)}`,
    quiet
      ? ''
      : `${heading('Time in stage')}${note('Median time in each status of the board, over the incidents resolved this week, in board order.')}${stageChart(metrics)}`,
    quiet ? '' : `${heading('By severity (final severity)')}${severityTable(metrics)}`,
    detectionSection(report),
    changeFailureSection(report, options),
    deliverySection(report, options),
    quiet ? '' : dataQualityList(metrics, options),
    followUpsSection(report, options),
  ].join('');
}

/** The line an inbox shows after the subject: the text's headline. */
function preheader(report: WeeklyReport): string {
  return headlineLines(report)
    .map((line) => (/[.:]$/.test(line) ? line : `${line}.`))
    .join(' ');
}

/**
 * The weekly report as a complete HTML email: a 600 px column laid out with tables and inline styles,
 * charts drawn with table cells (no script, no SVG, no image, no web font: what Gmail and Outlook keep),
 * each chart named in words for screen readers, and every figure in the plain text's own words (the
 * text renderer's phrases, not a copy of its rules).
 */
export function renderReportHtml(report: WeeklyReport, options: HtmlRenderOptions = {}): string {
  const subject = reportSubject(report);
  const title = `Incidents, ${report.label}${report.complete ? '' : ', so far'}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${escapeHtml(preheader(report))}</div>
<div role="article" aria-roledescription="email" aria-label="${escapeHtml(subject)}" lang="en" dir="ltr">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;background-color:#f3f4f6;">
<tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="${EMAIL_WIDTH_PX}" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;width:100%;max-width:${EMAIL_WIDTH_PX}px;background-color:#ffffff;font-family:${FONT};">
<tr><td style="background-color:#1f2937;padding:20px 24px;">
<div style="font-size:12px;line-height:16px;color:#d1d5db;letter-spacing:0.5px;">INCIDENT FLOW · WEEKLY REPORT · ${escapeHtml(report.weekId)}</div>
<h1 style="margin:6px 0 0;font-size:24px;line-height:32px;font-weight:bold;color:#ffffff;">${escapeHtml(title)}</h1>
</td></tr>
<tr><td style="padding:20px 24px 28px;">
${body(report, options)}
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid ${RULE};font-size:12px;line-height:18px;color:${MUTED};">
Sent by Incident Flow from the incidents on your Jira board. Times are medians unless named, rounded to the minute; weeks run Monday to Sunday. The plain-text version of this email carries the same figures.
</td></tr>
</table>
</td></tr>
</table>
</div>
</body>
</html>
`;
}
