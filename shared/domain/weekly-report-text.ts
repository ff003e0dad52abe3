import { formatDuration } from './durations.ts';
import type { FollowUps, OverdueFollowUp, UnwrittenPostmortem } from './follow-up-report.ts';
import { sparkline } from './sparkline.ts';
import { hasDelivery } from './weekly-delivery.ts';
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
import type {
  DataQualityReason,
  LeftOutReason,
  PostmortemState,
  SeverityColumn,
  TimeMeasure,
  WeekIncident,
  WeeklyMetrics,
  WeeklyReport,
} from './weekly-metrics.ts';
import { SEVERITY_COLUMNS } from './weekly-metrics.ts';
import type { FigureTrend, HeadlineFigure } from './weekly-trend.ts';

/** SNS rejects an email subject longer than 100 characters. */
export const SUBJECT_MAX_LENGTH = 100;

/** No line of the plain-text body is longer, except a link that cannot be broken. */
export const TEXT_LINE_MAX_LENGTH = 72;

/** How the report is shown: links to the Jira site when one is given (https://<site>). */
export type RenderOptions = { readonly jiraBaseUrl?: string | undefined };

type Align = 'left' | 'right';

/** The report as format-neutral blocks, so text and Markdown show the same content. */
type Block =
  | { readonly kind: 'lines'; readonly lines: readonly string[] }
  | {
      readonly kind: 'table';
      readonly header: readonly string[];
      readonly align: readonly Align[];
      readonly rows: readonly (readonly string[])[];
      /** A column too wide for a text line: in text it goes on its own line under its row. */
      readonly noteColumn?: number;
      /** A column of issue keys, linked to Jira when a site is given. */
      readonly keyColumn?: number;
    }
  | { readonly kind: 'keyed'; readonly items: readonly { readonly key: string; readonly text: string }[] };

type Section = { readonly title: string; readonly blocks: readonly Block[] };

/** The headline figures' names, as the trend table and the email's tiles show them. */
export const FIGURE_NAMES: Record<HeadlineFigure, string> = {
  openedCount: 'Opened',
  resolvedCount: 'Resolved',
  mttaMedianMs: 'MTTA (median)',
  mttrMedianMs: 'MTTR (median)',
  changeFailureRate: 'Change failure',
};

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

const percent = (rate: number): string => `${Math.round(rate * 100)}%`;

/** A count or an average of counts: whole, or to one decimal rounded half up (0.25 -> 0.3). */
const count = (value: number): string => String(Math.round(value * 10) / 10);

function isQuiet(metrics: WeeklyMetrics): boolean {
  return metrics.opened.total === 0 && metrics.resolved.total === 0;
}

/** A headline figure as the report writes it: a count, a duration or a rate; "n/a" for none. */
export function formatFigure(figure: HeadlineFigure, value: number | null): string {
  if (value === null) return 'n/a';
  switch (figure) {
    case 'openedCount':
    case 'resolvedCount':
      return count(value);
    case 'mttaMedianMs':
    case 'mttrMedianMs':
      return formatDuration(Math.round(value));
    case 'changeFailureRate':
      return percent(value);
    default:
      return figure satisfies never;
  }
}

/** Both values, where a percent would mislead: "4 vs 0.3 a week", "1h 52m vs 2h 30m", "12% vs 8%". */
function valuesChange(trend: FigureTrend): string {
  const both = `${formatFigure(trend.figure, trend.current)} vs ${formatFigure(trend.figure, trend.baseline)}`;
  return trend.figure === 'openedCount' || trend.figure === 'resolvedCount' ? `${both} a week` : both;
}

/**
 * A figure's change against its average: "up 25%" where the average rests on enough incidents
 * (`PERCENT_CHANGE_MIN_INCIDENTS`), else both values ("4 vs 0.3 a week"); "n/a" without a baseline.
 */
export function formatChange(trend: FigureTrend): string {
  if (trend.direction === 'n/a') return 'n/a';
  if (trend.changePercent === null) return valuesChange(trend);
  switch (trend.direction) {
    case 'flat':
      return 'flat';
    case 'up':
    case 'down':
      return `${trend.direction} ${Math.abs(trend.changePercent)}%`;
    default:
      return trend.direction satisfies never;
  }
}

/** The line that marks the week in progress as incomplete, counted to the report's moment; none for a full week. */
export function progressLines(report: WeeklyReport): string[] {
  if (report.complete) return [];
  return [`The week so far, not complete: counted to ${report.asOf} (${report.timeZone}).`];
}

/** The report's first lines: incomplete or not, the counts, and the medians (or a quiet week). */
export function headlineLines(report: WeeklyReport): string[] {
  const { metrics } = report;
  if (isQuiet(metrics)) return [...progressLines(report), 'A quiet week: no incidents opened or resolved.'];
  const mtta = metrics.timeToAcknowledge.stats;
  const mttr = metrics.timeToResolve.stats;
  return [
    ...progressLines(report),
    `${metrics.opened.total} opened, ${metrics.resolved.total} resolved, ${metrics.stillOpen.total} still open`,
    `MTTA ${mtta ? formatDuration(mtta.medianMs) : 'n/a'}, MTTR ${mttr ? formatDuration(mttr.medianMs) : 'n/a'} (medians)`,
  ];
}

/** A severity column's name in the report: "SEV1", or "No severity". */
export function severityName(column: SeverityColumn): string {
  return column === 'none' ? 'No severity' : column;
}

function severitySection(metrics: WeeklyMetrics): Section {
  const rows = SEVERITY_COLUMNS.map((column) => [
    severityName(column),
    String(metrics.opened.bySeverity[column]),
    String(metrics.resolved.bySeverity[column]),
    String(metrics.stillOpen.bySeverity[column]),
  ]);
  const total = ['Total', metrics.opened.total, metrics.resolved.total, metrics.stillOpen.total].map(String);
  return {
    title: 'By severity (final severity)',
    blocks: [
      {
        kind: 'table',
        header: ['Severity', 'Opened', 'Resolved', 'Still open'],
        align: ['left', 'right', 'right', 'right'],
        rows: [...rows, total],
      },
    ],
  };
}

/** The columns of the table of times to acknowledge and resolve. */
export const TIME_TABLE_HEADER = ['', 'Count', 'Median', 'Mean', 'p90', 'Worst'] as const;

/** One row of that table: count, median, mean, p90 and the worst with its key; dashes and "n/a" for none. */
export function timeRow(name: string, measure: TimeMeasure): string[] {
  const stats = measure.stats;
  if (!stats) return [name, '-', '-', '-', '-', 'n/a'];
  return [
    name,
    String(stats.count),
    formatDuration(stats.medianMs),
    formatDuration(stats.meanMs),
    formatDuration(stats.p90Ms),
    `${formatDuration(stats.worst.ms)} ${stats.worst.key}`,
  ];
}

const LEFT_OUT_REASONS: Record<LeftOutReason, string> = {
  'never-acknowledged': 'never acknowledged',
  'still-open': 'still open',
};

/** Which incidents of the week a measured time leaves out, and why: "MTTR leaves out 1 incident: INC-5 (still open)." */
export function leftOutLine(name: string, measure: TimeMeasure): string {
  if (measure.leftOut.length === 0) return `${name} leaves out no incident of the week.`;
  const keys = measure.leftOut.map(({ key, reason }) => `${key} (${LEFT_OUT_REASONS[reason]})`);
  return `${name} leaves out ${plural(measure.leftOut.length, 'incident')}: ${keys.join(', ')}.`;
}

function leftOutLines(metrics: WeeklyMetrics): string[] {
  return [leftOutLine('MTTA', metrics.timeToAcknowledge), leftOutLine('MTTR', metrics.timeToResolve)];
}

function timesSection(metrics: WeeklyMetrics): Section {
  return {
    title: 'Time to acknowledge and resolve (incidents resolved this week)',
    blocks: [
      {
        kind: 'table',
        header: [...TIME_TABLE_HEADER],
        align: ['left', 'right', 'right', 'right', 'right', 'left'],
        rows: [timeRow('Acknowledge', metrics.timeToAcknowledge), timeRow('Resolve', metrics.timeToResolve)],
      },
      { kind: 'lines', lines: leftOutLines(metrics) },
    ],
  };
}

/** How time in stage counts a visit still open: to the week's end, or to now for the week in progress. */
export function openVisitNote(metrics: WeeklyMetrics): string {
  return `A visit still open at the week's end counts up to ${metrics.complete ? 'the end' : 'now'}.`;
}

function stageSection(metrics: WeeklyMetrics): Section {
  if (metrics.stageTimes.length === 0) {
    return { title: 'Time in stage', blocks: [{ kind: 'lines', lines: ['No finished stage visits.'] }] };
  }
  return {
    title: 'Time in stage (median, incidents resolved this week)',
    blocks: [
      {
        kind: 'table',
        header: ['Status (stage)', 'Incidents', 'Median'],
        align: ['left', 'right', 'right'],
        rows: metrics.stageTimes.map((time) => [
          time.label,
          String(time.count),
          formatDuration(time.medianMs),
        ]),
      },
      { kind: 'lines', lines: [openVisitNote(metrics)] },
    ],
  };
}

/** How often a resolved incident was reopened: "reopened once", "reopened 2 times". */
export function reopenedText(reopenCount: number): string {
  return `reopened ${reopenCount === 1 ? 'once' : `${reopenCount} times`}`;
}

function reopenedSection(metrics: WeeklyMetrics): Section {
  if (metrics.reopened.length === 0) {
    return { title: 'Reopened', blocks: [{ kind: 'lines', lines: ['No resolved incident was reopened.'] }] };
  }
  const items = metrics.reopened.map(({ key, reopenCount }) => ({ key, text: reopenedText(reopenCount) }));
  return { title: 'Reopened', blocks: [{ kind: 'keyed', items }] };
}

/** The change failure rate with what it rests on: "50%: 2 incidents caused by a change (INC-3, INC-7) / 4 deployments". */
export function changeFailureLine(metrics: WeeklyMetrics): string {
  const rate = metrics.changeFailureRate;
  const caused = `${plural(rate.causedKeys.length, 'incident')} caused by a change`;
  const keys = rate.causedKeys.length > 0 ? ` (${rate.causedKeys.join(', ')})` : '';
  switch (rate.kind) {
    case 'measured':
      return `${percent(rate.rate)}: ${caused}${keys} / ${plural(rate.deploymentCount, 'deployment')}`;
    case 'no-deployments':
      return `n/a: no deployments recorded; ${caused}${keys}`;
    default:
      return rate satisfies never;
  }
}

/** Why an incident's numbers may be wrong, in words: "skipped declaration". */
export function dataQualityReasonText(reason: DataQualityReason): string {
  switch (reason.kind) {
    case 'skipped-declaration':
      return 'skipped declaration';
    case 'no-severity':
      return 'no severity';
    case 'resolved-unacknowledged':
      return 'resolved without being acknowledged';
    case 'implausible-stage-time':
      return `implausible time in ${reason.stage}: ${formatDuration(reason.durationMs)}`;
    default:
      return reason satisfies never;
  }
}

function dataQualitySection(metrics: WeeklyMetrics): Section[] {
  if (metrics.dataQuality.length === 0) return [];
  const items = metrics.dataQuality.map((issue) => ({
    key: issue.key,
    text: issue.reasons.map(dataQualityReasonText).join('; '),
  }));
  return [{ title: 'Data quality', blocks: [{ kind: 'keyed', items }] }];
}

function trendSection(report: WeeklyReport): Section {
  const rows = report.trend.map((trend) => [
    FIGURE_NAMES[trend.figure],
    sparkline(trend.history),
    formatFigure(trend.figure, trend.current),
    formatFigure(trend.figure, trend.baseline),
    formatChange(trend),
  ]);
  return {
    title: `Trend (8 weeks, this week${report.complete ? '' : ' so far'} last; against the 4 weeks before)`,
    blocks: [
      {
        kind: 'table',
        header: ['', '8 weeks', 'This week', 'Average', 'Change'],
        align: ['left', 'left', 'right', 'right', 'left'],
        rows,
      },
    ],
  };
}

/** Said when there is no postmortem database, so no follow-up is known. */
export const FOLLOW_UPS_NOT_TRACKED = 'Follow-ups are not tracked (no postmortem database is set).';

/** The week's follow-ups in one line: opened, done, overdue and without an owner. */
export function followUpsSummaryLine(followUps: Extract<FollowUps, { kind: 'tracked' }>): string {
  return `${plural(followUps.openedCount, 'follow-up')} opened, ${followUps.doneCount} done this week; ${followUps.overdue.length} overdue, ${followUps.withoutOwner.length} without an owner.`;
}

/** An overdue follow-up after its key: "3 days overdue, Sam (INC-7)". */
export function overdueText(line: OverdueFollowUp): string {
  return `${plural(line.daysOverdue, 'day')} overdue, ${line.owner ?? 'no owner'} (${line.incidentKey})`;
}

/** An unwritten postmortem after its incident's key: "resolved 2026-11-16, 9 days ago; postmortem Draft". */
export function unwrittenPostmortemText(line: UnwrittenPostmortem): string {
  return `resolved ${line.resolvedOn}, ${plural(line.daysSinceResolution, 'day')} ago; postmortem ${line.status ?? 'without a status'}`;
}

function followUpsSection(report: WeeklyReport): Section[] {
  const followUps = report.followUps;
  switch (followUps.kind) {
    case 'not-tracked':
      return [{ title: 'Follow-ups', blocks: [{ kind: 'lines', lines: [FOLLOW_UPS_NOT_TRACKED] }] }];
    case 'tracked': {
      const overdueItems = (lines: typeof followUps.overdue) =>
        lines.map((line) => ({ key: line.key, text: overdueText(line) }));
      const blocks: Block[] = [{ kind: 'lines', lines: [followUpsSummaryLine(followUps)] }];
      if (followUps.overdue.length > 0)
        blocks.push({ kind: 'keyed', items: overdueItems(followUps.overdue) });
      if (followUps.withoutOwner.length > 0)
        blocks.push(
          { kind: 'lines', lines: ['', 'Without an owner Jira knows (held by the incident assignee):'] },
          {
            kind: 'keyed',
            items: followUps.withoutOwner.map((line) => ({
              key: line.key,
              text: `from ${line.incidentKey}`,
            })),
          },
        );
      const sections: Section[] = [{ title: 'Follow-ups', blocks }];
      if (followUps.escalated.length > 0)
        sections.push({
          title: 'Manage closely: follow-ups long overdue',
          blocks: [{ kind: 'keyed', items: overdueItems(followUps.escalated) }],
        });
      if (followUps.unwrittenPostmortems.length > 0)
        sections.push({
          title: 'Postmortems not written yet',
          blocks: [
            {
              kind: 'keyed',
              items: followUps.unwrittenPostmortems.map((line) => ({
                key: line.incidentKey,
                text: unwrittenPostmortemText(line),
              })),
            },
          ],
        });
      return sections;
    }
    default:
      return followUps satisfies never;
  }
}

/** Where an incident's postmortem stands, in the table of incidents: "-" before it is due, "not written", its status. */
export function postmortemText(postmortem: PostmortemState): string {
  switch (postmortem.kind) {
    case 'not-due':
      return '-';
    case 'not-written':
      return 'not written';
    case 'written':
      return postmortem.status ?? 'written';
    default:
      return postmortem satisfies never;
  }
}

/** The columns of the table of incidents. */
export const INCIDENT_TABLE_HEADER = [
  'Key',
  'Sev',
  'Summary',
  'Opened',
  'Ack',
  'Resolve',
  'Reopens',
  'Postmortem',
] as const;

/** One incident as the table of incidents writes it, a cell per `INCIDENT_TABLE_HEADER` column. */
export function incidentRow(incident: WeekIncident): string[] {
  return [
    incident.key,
    incident.severity ?? '-',
    incident.summary,
    incident.openedAt,
    incident.timeToAcknowledgeMs === null ? '-' : formatDuration(incident.timeToAcknowledgeMs),
    incident.timeToResolveMs === null ? 'open' : formatDuration(incident.timeToResolveMs),
    String(incident.reopenCount),
    postmortemText(incident.postmortem),
  ];
}

/** The table of incidents' title, naming the clock its openings are on. */
export function incidentsTitle(report: WeeklyReport): string {
  return `Incidents (opened: ${report.timeZone} time)`;
}

function incidentsSection(report: WeeklyReport): Section[] {
  const { metrics } = report;
  if (metrics.incidents.length === 0) return [];
  return [
    {
      title: incidentsTitle(report),
      blocks: [
        {
          kind: 'table',
          header: [...INCIDENT_TABLE_HEADER],
          align: ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'left'],
          rows: metrics.incidents.map(incidentRow),
          noteColumn: 2,
          keyColumn: 0,
        },
      ],
    },
  ];
}

/** The line naming the incidents deleted in Jira, which no figure counts; none when there are none. */
export function deletedLines(metrics: WeeklyMetrics): string[] {
  if (metrics.deletedCount === 0) return [];
  return [`Left out: ${plural(metrics.deletedCount, 'incident')} deleted in Jira.`];
}

/** The detection lines: time to detect, incidents by source, alert noise; none where alerts are not read. */
export function detectionLines(report: WeeklyReport): string[] {
  const detection = report.detection;
  if (!detection) return [];
  const { timeToDetect, bySource } = detection;
  return [
    timeToDetect.count === 0 || timeToDetect.medianMs === null
      ? 'Time to detect: n/a (no alert that opened one gave its start)'
      : `Time to detect: median ${formatDuration(timeToDetect.medianMs)}, longest ${formatDuration(timeToDetect.maxMs ?? timeToDetect.medianMs)} (${plural(timeToDetect.count, 'incident')})`,
    `Incidents by source: ${bySource.alert} by an alert, ${bySource.person} by a person`,
    `Alerts: ${detection.alertsReceived} received, ${plural(detection.incidentsOpened, 'incident')} opened, ${detection.noiseCount} ignored, ${detection.unroutedCount} unrouted`,
  ];
}

function detectionSection(report: WeeklyReport): Section[] {
  const lines = detectionLines(report);
  return lines.length === 0 ? [] : [{ title: 'Detection', blocks: [{ kind: 'lines', lines }] }];
}

/** The CI and deployments section: each part only when the week has some of it, none at all without any. */
function deliverySection(report: WeeklyReport): Section[] {
  const { delivery } = report;
  if (!hasDelivery(delivery)) return [];
  const blocks: Block[] = [];
  if (delivery.failuresOpened.length > 0 || delivery.failuresFixed.length > 0)
    blocks.push({ kind: 'lines', lines: [ciFailuresLine(delivery)] });
  if (delivery.deploymentCount > 0)
    blocks.push(
      { kind: 'lines', lines: [deploymentsLine(delivery)] },
      {
        kind: 'table',
        header: deploymentsHeader(delivery.days),
        align: ['left', ...delivery.days.map(() => 'right' as const), 'right'],
        rows: delivery.deploymentsByService.map(deploymentsRow),
      },
    );
  if (delivery.fixesMerged.length > 0)
    blocks.push(
      { kind: 'lines', lines: [fixesMergedLine(delivery)] },
      {
        kind: 'table',
        header: [...FIXES_HEADER],
        align: ['left', 'left', 'left', 'right'],
        // The PR's link goes under its title, as the email links the title.
        rows: delivery.fixesMerged.map((fix) =>
          fixRow(fix).map((cell, i) => (i === 1 ? `${cell}: ${fix.url}` : cell)),
        ),
        noteColumn: 1,
        keyColumn: 0,
      },
    );
  return [{ title: DELIVERY_TITLE, blocks }];
}

function sections(report: WeeklyReport): Section[] {
  const { metrics } = report;
  const changeFailure: Section = {
    title: 'Change failure rate',
    blocks: [{ kind: 'lines', lines: [changeFailureLine(metrics)] }],
  };
  const headline: Section = {
    title: `Incidents, ${report.label}, ${report.weekId}${report.complete ? '' : ', so far'}`,
    blocks: [{ kind: 'lines', lines: [...headlineLines(report), ...deletedLines(metrics)] }],
  };
  if (isQuiet(metrics))
    return [
      headline,
      ...detectionSection(report),
      changeFailure,
      ...deliverySection(report),
      trendSection(report),
      ...followUpsSection(report),
    ];
  return [
    headline,
    ...detectionSection(report),
    ...incidentsSection(report),
    severitySection(metrics),
    timesSection(metrics),
    stageSection(metrics),
    reopenedSection(metrics),
    changeFailure,
    ...deliverySection(report),
    ...dataQualitySection(metrics),
    trendSection(report),
    ...followUpsSection(report),
  ];
}

/** Letters, digits and punctuation only: what SNS accepts in a subject. */
function asciiSubject(text: string): string {
  const printable = text
    .replace(/[–—]/g, '-')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (printable.length <= SUBJECT_MAX_LENGTH) return printable || 'Incidents, weekly report';
  return `${printable.slice(0, SUBJECT_MAX_LENGTH - 3).trimEnd()}...`;
}

function mttrTrendText(report: WeeklyReport): string {
  const mttr = report.trend.find((trend) => trend.figure === 'mttrMedianMs');
  if (!mttr || mttr.direction === 'n/a') return '';
  // The subject already states this week's figure: against a small base, name only the average.
  if (mttr.changePercent === null) return ` (4-week average ${formatFigure(mttr.figure, mttr.baseline)})`;
  return ` (${formatChange(mttr)})`;
}

/**
 * The email subject: "Incidents, week 47 (Nov 16-22): 3 opened, MTTR 1h 52m (down 23%)". Within SNS's
 * rules: printable ASCII, no line breaks, never empty, at most 100 characters.
 */
export function reportSubject(report: WeeklyReport): string {
  const { metrics } = report;
  const start = `Incidents, ${report.label}${report.complete ? '' : ' so far'}: `;
  if (isQuiet(metrics)) return asciiSubject(`${start}a quiet week, no incidents`);
  const mttr = metrics.timeToResolve.stats;
  const resolution = mttr ? `MTTR ${formatDuration(mttr.medianMs)}${mttrTrendText(report)}` : 'none resolved';
  return asciiSubject(`${start}${metrics.opened.total} opened, ${resolution}`);
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

function linkOf(key: string, options: RenderOptions): string | null {
  return options.jiraBaseUrl ? `${options.jiraBaseUrl.replace(/\/+$/, '')}/browse/${key}` : null;
}

/** A line cut at its last space within the width; the rest continues on lines indented by `indent`. */
function wrapLine(line: string, indent = 4): string[] {
  if (line.length <= TEXT_LINE_MAX_LENGTH) return [line];
  const cut = line.lastIndexOf(' ', TEXT_LINE_MAX_LENGTH);
  if (cut <= indent) return [line];
  return [line.slice(0, cut).trimEnd(), ...wrapLine(`${' '.repeat(indent)}${line.slice(cut + 1)}`, indent)];
}

function textTable(block: Extract<Block, { kind: 'table' }>, options: RenderOptions): string[] {
  const note = block.noteColumn;
  const columns = (row: readonly string[]) => row.filter((_, column) => column !== note);
  const all = [block.header, ...block.rows].map(columns);
  const align = columns(block.align);
  const widths = all[0]?.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return align[column] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const indent = ' '.repeat((widths[0] ?? 0) + 2);
  return [
    line(columns(block.header)),
    ...block.rows.flatMap((row) => {
      const noteText = note === undefined ? '' : oneLine(row[note] ?? '');
      const link = block.keyColumn === undefined ? null : linkOf(row[block.keyColumn] ?? '', options);
      return [
        line(columns(row)),
        ...(noteText ? wrapLine(`${indent}${noteText}`, indent.length) : []),
        ...(link ? [`${indent}${link}`] : []),
      ];
    }),
  ];
}

function textBlock(block: Block, options: RenderOptions): string[] {
  switch (block.kind) {
    case 'lines':
      return [...block.lines];
    case 'table':
      return textTable(block, options);
    case 'keyed': {
      const width = Math.max(...block.items.map((item) => item.key.length));
      return block.items.flatMap(({ key, text }) => {
        const link = linkOf(key, options);
        return [
          ...wrapLine(`${key.padEnd(width)}  ${oneLine(text)}`, width + 2),
          ...(link ? [`${' '.repeat(width + 2)}${link}`] : []),
        ];
      });
    }
    default:
      return block satisfies never;
  }
}

/**
 * The report as plain text for any mail client: headline first, aligned columns, lines of at most 72
 * characters (a longer one wraps at a space; a link longer than that stays whole, to stay clickable).
 */
export function renderReportText(report: WeeklyReport, options: RenderOptions = {}): string {
  const lines = sections(report).flatMap((section, i) => [
    ...(i === 0 ? [] : ['']),
    section.title,
    ...(i === 0 ? [''] : []),
    ...section.blocks.flatMap((block) => textBlock(block, options)),
  ]);
  return `${lines.flatMap((line) => wrapLine(line)).join('\n')}\n`;
}

const escapeMarkdown = (text: string): string => oneLine(text).replace(/[\\`*_[\]|<>#]/g, '\\$&');

function markdownBlock(block: Block, options: RenderOptions): string[] {
  switch (block.kind) {
    case 'lines':
      return block.lines.map(escapeMarkdown).join('  \n').split('\n');
    case 'table': {
      const cell = (text: string, column: number) => {
        const link = column === block.keyColumn ? linkOf(text, options) : null;
        return link ? `[${escapeMarkdown(text)}](${link})` : escapeMarkdown(text);
      };
      const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
      const header = `| ${block.header.map(escapeMarkdown).join(' | ')} |`;
      const rule = `|${block.align.map((align) => (align === 'right' ? ' --: ' : ' --- ')).join('|')}|`;
      return [header, rule, ...block.rows.map(row)];
    }
    case 'keyed':
      return block.items.map(({ key, text }) => {
        const link = linkOf(key, options);
        return `- ${link ? `[${key}](${link})` : escapeMarkdown(key)}: ${escapeMarkdown(text)}`;
      });
    default:
      return block satisfies never;
  }
}

/** The same report as Markdown: a heading per section, tables as Markdown tables, keys as links. */
export function renderReportMarkdown(report: WeeklyReport, options: RenderOptions = {}): string {
  const lines = sections(report).flatMap((section, i) => [
    ...(i === 0 ? [] : ['']),
    `${i === 0 ? '#' : '##'} ${escapeMarkdown(section.title)}`,
    '',
    ...section.blocks.flatMap((block, j) => [...(j === 0 ? [] : ['']), ...markdownBlock(block, options)]),
  ]);
  return `${lines.join('\n')}\n`;
}
