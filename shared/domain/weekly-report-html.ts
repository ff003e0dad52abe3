import { formatDuration } from './durations.ts';
import { columnChart, escapeHtml, inlineBar, legend, stackedBar } from './html-bar-charts.ts';
import { formatIsoWeek, previousWeeks } from './iso-weeks.ts';
import type { Severity } from './lifecycle.ts';
import type {
  FigureTrend,
  SeverityColumn,
  TimeMeasure,
  WeeklyMetrics,
  WeeklyReport,
} from './weekly-metrics.ts';
import { SEVERITY_COLUMNS } from './weekly-metrics.ts';
import type { ReportCharts } from './weekly-report-charts.ts';
import { type RenderOptions, reportSubject } from './weekly-report-text.ts';

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

const severityName = (column: SeverityColumn): string => (column === 'none' ? 'No severity' : column);
const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
const percent = (rate: number): string => `${Math.round(rate * 100)}%`;
/** "2026-W45" as the chart's axis shows it: "W45". */
const shortWeek = (weekId: string): string => weekId.slice(weekId.indexOf('-') + 1);

function keyLink(key: string, options: RenderOptions): string {
  if (!options.jiraBaseUrl) return escapeHtml(key);
  const href = `${options.jiraBaseUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(key)}`;
  return `<a href="${escapeHtml(href)}" style="color:${LINK};text-decoration:underline;">${escapeHtml(key)}</a>`;
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

/** A table of data, with headers people and screen readers can follow. */
function dataTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[],
): string {
  const th = header
    .map(
      (cell, i) =>
        `<th scope="col" align="${align[i] ?? 'left'}" style="padding:6px 8px;border-bottom:2px solid ${RULE};font-size:12px;line-height:16px;color:${MUTED};font-weight:bold;text-align:${align[i] ?? 'left'};">${cell}</th>`,
    )
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row
          .map((cell, i) =>
            i === 0
              ? `<th scope="row" align="left" style="white-space:nowrap;padding:6px 8px;border-bottom:1px solid ${RULE};font-size:13px;line-height:18px;color:${INK};font-weight:normal;text-align:left;">${cell}</th>`
              : `<td align="${align[i] ?? 'left'}" style="padding:6px 8px;border-bottom:1px solid ${RULE};font-size:13px;line-height:18px;color:${INK};text-align:${align[i] ?? 'left'};">${cell}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('');
  return `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:8px 0;"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function formatFigure(trend: FigureTrend, value: number | null): string {
  if (value === null) return 'n/a';
  switch (trend.figure) {
    case 'openedCount':
    case 'resolvedCount':
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    case 'mttaMedianMs':
    case 'mttrMedianMs':
      return formatDuration(Math.round(value));
    case 'changeFailureRate':
      return percent(value);
    default:
      return trend.figure satisfies never;
  }
}

/** The change against the 4-week average in words and an arrow, coloured by whether it is good news. */
function trendNote(trend: FigureTrend): string {
  if (trend.direction === 'n/a' || trend.baseline === null) return 'no earlier weeks';
  const baseline = `4-week avg ${formatFigure(trend, trend.baseline)}`;
  if (trend.direction === 'flat') return `flat<br>${baseline}`;
  const change = trend.changePercent === null ? trend.direction : `${Math.abs(trend.changePercent)}%`;
  const arrow = trend.direction === 'up' ? '&#9650;' : '&#9660;';
  // More resolved is good news; more of anything else (incidents, waiting, failed changes) is not.
  const isGood = trend.figure === 'resolvedCount' ? trend.direction === 'up' : trend.direction === 'down';
  const word = trend.direction === 'up' ? 'up' : 'down';
  return `<span style="color:${isGood ? GOOD : BAD};font-weight:bold;">${arrow} ${word} ${change}</span><br>${baseline}`;
}

function tile(label: string, value: string, detail: string): string {
  return `<td width="25%" valign="top" style="width:25%;padding:4px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:separate;background-color:#f9fafb;border:1px solid ${RULE};border-radius:6px;"><tr><td style="padding:10px 10px 12px;"><div style="font-size:12px;line-height:16px;color:${MUTED};">${escapeHtml(label)}</div><div style="font-size:22px;line-height:30px;font-weight:bold;color:${INK};">${escapeHtml(value)}</div><div style="font-size:11px;line-height:15px;color:${MUTED};">${detail}</div></td></tr></table></td>`;
}

function trendOf(report: WeeklyReport, figure: FigureTrend['figure']): FigureTrend | undefined {
  return report.trend.find((trend) => trend.figure === figure);
}

function headlineTiles(report: WeeklyReport): string {
  const { metrics } = report;
  const tiles = [
    { figure: 'openedCount', label: 'Opened' },
    { figure: 'resolvedCount', label: 'Resolved' },
    { figure: 'mttaMedianMs', label: 'MTTA (median)' },
    { figure: 'mttrMedianMs', label: 'MTTR (median)' },
  ] as const;
  const cells = tiles.map(({ figure, label }) => {
    const trend = trendOf(report, figure);
    const value = trend ? formatFigure(trend, trend.current) : 'n/a';
    return tile(label, value, trend ? trendNote(trend) : '');
  });
  const stillOpen = metrics.stillOpen.total;
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;table-layout:fixed;margin:0 -4px;"><tr>${cells.join('')}</tr></table>${note(
    `${plural(stillOpen, 'incident')} opened this week ${stillOpen === 1 ? 'is' : 'are'} still open. Arrows compare with the average of the four weeks before.`,
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
      valueText: value === null ? '–' : formatFigure(trend, value),
      segments: value === null ? [] : [{ value, color: isNow ? TREND_NOW : TREND_PAST }],
      emphasis: isNow,
    };
  });
  const described = columns
    .map((column) => `${column.label}: ${column.valueText === '–' ? 'none' : column.valueText}`)
    .join('; ');
  return columnChart({ columns, heightPx: 70, description: `${title}, this week last. ${described}.` });
}

function timesTable(metrics: WeeklyMetrics): string {
  const row = (name: string, measure: TimeMeasure): string[] => {
    const stats = measure.stats;
    if (!stats) return [name, '–', '–', '–', '–', 'n/a'];
    return [
      name,
      String(stats.count),
      formatDuration(stats.medianMs),
      formatDuration(stats.meanMs),
      formatDuration(stats.p90Ms),
      `${formatDuration(stats.worst.ms)} ${escapeHtml(stats.worst.key)}`,
    ];
  };
  return dataTable(
    ['Time to', 'Count', 'Median', 'Mean', 'p90', 'Worst'],
    [row('Acknowledge', metrics.timeToAcknowledge), row('Resolve', metrics.timeToResolve)],
    ['left', 'right', 'right', 'right', 'right', 'left'],
  );
}

function stageChart(metrics: WeeklyMetrics): string {
  if (metrics.stageTimes.length === 0) return paragraph('No finished stage visits this week.');
  const stages = metrics.stageTimes.map((time, i) => ({
    ...time,
    name: capitalize(time.stage),
    color: STAGE_COLORS[i % STAGE_COLORS.length] ?? MUTED,
  }));
  const described = stages.map((stage) => `${stage.name} ${formatDuration(stage.medianMs)}`).join(', ');
  const bar = stackedBar({
    segments: stages.map((stage) => ({ value: stage.medianMs, color: stage.color })),
    heightPx: 26,
    description: `Median time in each stage, in board order: ${described}.`,
  });
  const rows = stages.map((stage) => [
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="display:inline-table;vertical-align:middle;"><tr><td width="10" height="10" bgcolor="${stage.color}" style="width:10px;height:10px;font-size:0;line-height:10px;background-color:${stage.color};">&nbsp;</td></tr></table>&nbsp; ${escapeHtml(stage.name)}`,
    String(stage.count),
    formatDuration(stage.medianMs),
  ]);
  return `<div style="padding:8px 0 4px;">${bar}</div>${dataTable(['Stage', 'Incidents', 'Median'], rows, ['left', 'right', 'right'])}`;
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

function changeFailureText(metrics: WeeklyMetrics, options: RenderOptions): string {
  const rate = metrics.changeFailureRate;
  const keys =
    rate.causedKeys.length > 0 ? ` (${rate.causedKeys.map((key) => keyLink(key, options)).join(', ')})` : '';
  const caused = `${plural(rate.causedKeys.length, 'incident')} caused by a change${keys}`;
  switch (rate.kind) {
    case 'measured':
      return `<strong>${percent(rate.rate)}</strong>: ${caused} / ${plural(rate.deploymentCount, 'deployment')}`;
    case 'no-deployments':
      return `<strong>n/a</strong>: no deployments recorded; ${caused}`;
    default:
      return rate satisfies never;
  }
}

function followUpsSection(report: WeeklyReport, options: HtmlRenderOptions): string {
  const followUps = report.followUps;
  if (followUps.kind === 'not-tracked')
    return `${heading('Follow-ups')}${paragraph('Follow-ups are not tracked (no postmortem database is set).')}`;
  const summary = paragraph(
    `${plural(followUps.openedCount, 'follow-up')} opened, ${followUps.doneCount} done this week; <strong>${followUps.overdue.length} overdue</strong>, ${followUps.withoutOwner.length} without an owner.`,
  );
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
  const list = (items: readonly { key: string; text: string }[]) =>
    `<ul style="margin:4px 0 8px;padding-left:20px;font-size:13px;line-height:19px;color:${INK};">${items
      .map((item) => `<li style="margin:2px 0;">${keyLink(item.key, options)} ${item.text}</li>`)
      .join('')}</ul>`;
  const overdue = (lines: typeof followUps.overdue) =>
    list(
      lines.map((line) => ({
        key: line.key,
        text: `${plural(line.daysOverdue, 'day')} overdue, ${escapeHtml(line.owner ?? 'no owner')} (${keyLink(line.incidentKey, options)})`,
      })),
    );
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
            text: `from ${keyLink(line.incidentKey, options)}`,
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
            text: `resolved ${plural(line.daysSinceResolution, 'day')} ago, postmortem ${escapeHtml(line.status ?? 'without a status')}`,
          })),
        )}`
      : '',
  ].join('');
}

function incidentsTable(metrics: WeeklyMetrics, options: RenderOptions): string {
  if (metrics.incidents.length === 0) return '';
  const badge = (severity: Severity | null) => {
    const column: SeverityColumn = severity ?? 'none';
    // Dark text on the light SEV3 yellow, white on the others: each above 4.5:1.
    const ink = column === 'SEV3' ? INK : '#ffffff';
    return `<span style="display:inline-block;padding:1px 6px;border-radius:3px;background-color:${SEVERITY_COLORS[column]};color:${ink};font-size:11px;line-height:16px;font-weight:bold;white-space:nowrap;">${escapeHtml(severity ?? 'none')}</span>`;
  };
  const rows = metrics.incidents.map((incident) => [
    keyLink(incident.key, options),
    badge(incident.severity),
    escapeHtml(incident.summary),
    incident.resolvedInWeek ? (incident.openedInWeek ? 'opened, resolved' : 'resolved') : 'still open',
    incident.timeToResolveMs === null ? '–' : formatDuration(incident.timeToResolveMs),
    incident.reopenCount > 0 ? String(incident.reopenCount) : '',
  ]);
  return `${heading('Incidents')}${dataTable(['Key', 'Severity', 'Summary', 'This week', 'To resolve', 'Reopens'], rows, ['left', 'left', 'left', 'left', 'right', 'right'])}`;
}

function dataQualityList(metrics: WeeklyMetrics, options: RenderOptions): string {
  if (metrics.dataQuality.length === 0) return '';
  const reason = (kind: (typeof metrics.dataQuality)[number]['reasons'][number]): string => {
    switch (kind.kind) {
      case 'skipped-declaration':
        return 'skipped declaration';
      case 'no-severity':
        return 'no severity';
      case 'resolved-unacknowledged':
        return 'resolved without being acknowledged';
      case 'implausible-stage-time':
        return `implausible time in ${escapeHtml(kind.stage)}: ${formatDuration(kind.durationMs)}`;
      default:
        return kind satisfies never;
    }
  };
  const items = metrics.dataQuality.map(
    (issue) =>
      `<li style="margin:2px 0;">${keyLink(issue.key, options)} ${issue.reasons.map(reason).join('; ')}</li>`,
  );
  return `${heading('Data quality')}<ul style="margin:4px 0 8px;padding-left:20px;font-size:13px;line-height:19px;color:${INK};">${items.join('')}</ul>`;
}

function body(report: WeeklyReport, options: HtmlRenderOptions): string {
  const { metrics } = report;
  const quiet = metrics.opened.total === 0 && metrics.resolved.total === 0;
  const mtta = trendOf(report, 'mttaMedianMs');
  const mttr = trendOf(report, 'mttrMedianMs');
  const leftOut = metrics.timeToAcknowledge.leftOutKeys;
  const deleted =
    metrics.deletedCount > 0
      ? note(`Left out: ${plural(metrics.deletedCount, 'incident')} deleted in Jira.`)
      : '';
  return [
    headlineTiles(report),
    quiet ? paragraph('A quiet week: no incidents opened or resolved.') : '',
    deleted,
    heading('Incidents opened, last 8 weeks'),
    note('By final severity; this week is the last column.'),
    severityHistoryChart(report, options.charts),
    heading('Time to acknowledge and resolve, last 8 weeks'),
    note('Medians of the incidents resolved each week; a dash marks a week with none.'),
    mtta
      ? `${paragraph('<strong>MTTA</strong>')}${figureChart(report, mtta, 'Median time to acknowledge per week')}`
      : '',
    mttr
      ? `${paragraph('<strong>MTTR</strong>')}${figureChart(report, mttr, 'Median time to resolve per week')}`
      : '',
    quiet ? '' : timesTable(metrics),
    quiet || leftOut.length === 0
      ? ''
      : note(
          `MTTA leaves out ${plural(leftOut.length, 'incident')} never acknowledged: ${leftOut.map((key) => keyLink(key, options)).join(', ')}.`,
        ),
    quiet
      ? ''
      : `${heading('Where the time went')}${note('Median time in each stage of the incidents resolved this week, in board order.')}${stageChart(metrics)}`,
    quiet ? '' : `${heading('By severity')}${severityTable(metrics)}`,
    heading('Change failure rate'),
    paragraph(changeFailureText(metrics, options)),
    followUpsSection(report, options),
    incidentsTable(metrics, options),
    dataQualityList(metrics, options),
  ].join('');
}

/** The line an inbox shows after the subject: the week's headline figures. */
function preheader(report: WeeklyReport): string {
  const { metrics } = report;
  if (metrics.opened.total === 0 && metrics.resolved.total === 0)
    return 'A quiet week: no incidents opened or resolved.';
  const median = (measure: TimeMeasure) => (measure.stats ? formatDuration(measure.stats.medianMs) : 'n/a');
  return `${metrics.opened.total} opened, ${metrics.resolved.total} resolved, ${metrics.stillOpen.total} still open; MTTA ${median(metrics.timeToAcknowledge)}, MTTR ${median(metrics.timeToResolve)} (medians).`;
}

/**
 * The weekly report as a complete HTML email: a 600 px column laid out with tables and inline styles,
 * charts drawn with table cells (no script, no SVG, no image, no web font: what Gmail and Outlook keep),
 * each chart named in words for screen readers, and the same figures as the plain text beside it.
 */
export function renderReportHtml(report: WeeklyReport, options: HtmlRenderOptions = {}): string {
  const subject = reportSubject(report);
  const title = `Incidents, ${report.label}`;
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
Sent by Incident Flow from the incidents on your Jira board. Times are medians unless named; weeks run Monday to Sunday. The plain-text version of this email carries the same figures.
</td></tr>
</table>
</td></tr>
</table>
</div>
</body>
</html>
`;
}
