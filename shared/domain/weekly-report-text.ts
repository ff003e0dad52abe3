import { formatDuration } from './durations.ts';
import { sparkline } from './sparkline.ts';
import type {
  DataQualityReason,
  FigureTrend,
  HeadlineFigure,
  TimeMeasure,
  WeekIncident,
  WeeklyMetrics,
  WeeklyReport,
} from './weekly-metrics.ts';
import { SEVERITY_COLUMNS } from './weekly-metrics.ts';

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
    }
  | { readonly kind: 'keyed'; readonly items: readonly { readonly key: string; readonly text: string }[] };

type Section = { readonly title: string; readonly blocks: readonly Block[] };

const FIGURE_NAMES: Record<HeadlineFigure, string> = {
  openedCount: 'Opened',
  resolvedCount: 'Resolved',
  mttaMedianMs: 'MTTA (median)',
  mttrMedianMs: 'MTTR (median)',
  changeFailureRate: 'Change failure',
};

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

const percent = (rate: number): string => `${Math.round(rate * 100)}%`;

function isQuiet(metrics: WeeklyMetrics): boolean {
  return metrics.opened.total === 0 && metrics.resolved.total === 0;
}

function formatFigure(figure: HeadlineFigure, value: number | null): string {
  if (value === null) return 'n/a';
  switch (figure) {
    case 'openedCount':
    case 'resolvedCount':
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    case 'mttaMedianMs':
    case 'mttrMedianMs':
      return formatDuration(Math.round(value));
    case 'changeFailureRate':
      return percent(value);
    default:
      return figure satisfies never;
  }
}

function formatChange(trend: FigureTrend): string {
  switch (trend.direction) {
    case 'n/a':
    case 'flat':
      return trend.direction;
    case 'up':
    case 'down':
      return trend.changePercent === null
        ? trend.direction
        : `${trend.direction} ${Math.abs(trend.changePercent)}%`;
    default:
      return trend.direction satisfies never;
  }
}

function headlineLines(report: WeeklyReport): string[] {
  const { metrics } = report;
  if (isQuiet(metrics)) return ['A quiet week: no incidents opened or resolved.'];
  const mtta = metrics.timeToAcknowledge.stats;
  const mttr = metrics.timeToResolve.stats;
  return [
    `${metrics.opened.total} opened, ${metrics.resolved.total} resolved, ${metrics.stillOpen.total} still open`,
    `MTTA ${mtta ? formatDuration(mtta.medianMs) : 'n/a'}, MTTR ${mttr ? formatDuration(mttr.medianMs) : 'n/a'} (medians)`,
  ];
}

function severitySection(metrics: WeeklyMetrics): Section {
  const rows = SEVERITY_COLUMNS.map((column) => [
    column === 'none' ? 'No severity' : column,
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

function timeRow(name: string, measure: TimeMeasure): string[] {
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

function leftOutLines(metrics: WeeklyMetrics): string[] {
  const neverAcknowledged = metrics.timeToAcknowledge.leftOutKeys;
  const ackLine =
    neverAcknowledged.length === 0
      ? 'MTTA leaves out no incident: all were acknowledged before resolving.'
      : `MTTA leaves out ${plural(neverAcknowledged.length, 'incident')} never acknowledged: ${neverAcknowledged.join(', ')}.`;
  const stillOpen = metrics.incidents.filter((incident) => incident.openedInWeek && !incident.resolvedInWeek);
  const resolveLine =
    stillOpen.length === 0
      ? 'MTTR leaves out no incident opened this week: all were resolved.'
      : `MTTR leaves out ${plural(stillOpen.length, 'incident')} still open: ${stillOpen.map((incident) => incident.key).join(', ')}.`;
  return [ackLine, resolveLine];
}

function timesSection(metrics: WeeklyMetrics): Section {
  return {
    title: 'Time to acknowledge and resolve (incidents resolved this week)',
    blocks: [
      {
        kind: 'table',
        header: ['', 'Count', 'Median', 'Mean', 'p90', 'Worst'],
        align: ['left', 'right', 'right', 'right', 'right', 'left'],
        rows: [timeRow('Acknowledge', metrics.timeToAcknowledge), timeRow('Resolve', metrics.timeToResolve)],
      },
      { kind: 'lines', lines: leftOutLines(metrics) },
    ],
  };
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
        header: ['Stage', 'Incidents', 'Median'],
        align: ['left', 'right', 'right'],
        rows: metrics.stageTimes.map((time) => [
          time.stage,
          String(time.count),
          formatDuration(time.medianMs),
        ]),
      },
    ],
  };
}

function reopenedSection(metrics: WeeklyMetrics): Section {
  if (metrics.reopened.length === 0) {
    return { title: 'Reopened', blocks: [{ kind: 'lines', lines: ['No resolved incident was reopened.'] }] };
  }
  const items = metrics.reopened.map(({ key, reopenCount }) => ({
    key,
    text: `reopened ${reopenCount === 1 ? 'once' : `${reopenCount} times`}`,
  }));
  return { title: 'Reopened', blocks: [{ kind: 'keyed', items }] };
}

function changeFailureLine(metrics: WeeklyMetrics): string {
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

function reasonText(reason: DataQualityReason): string {
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
    text: issue.reasons.map(reasonText).join('; '),
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
    title: 'Trend (8 weeks, this week last; against the 4 weeks before)',
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

function followUpsSection(report: WeeklyReport): Section[] {
  const followUps = report.followUps;
  switch (followUps.kind) {
    case 'not-tracked':
      return [
        {
          title: 'Follow-ups',
          blocks: [{ kind: 'lines', lines: ['Follow-ups are not tracked (no postmortem database is set).'] }],
        },
      ];
    case 'tracked': {
      const days = (n: number) => plural(n, 'day');
      const overdueItems = (lines: typeof followUps.overdue) =>
        lines.map((line) => ({
          key: line.key,
          text: `${days(line.daysOverdue)} overdue, ${line.owner ?? 'no owner'} (${line.incidentKey})`,
        }));
      const blocks: Block[] = [
        {
          kind: 'lines',
          lines: [
            `${plural(followUps.openedCount, 'follow-up')} opened, ${followUps.doneCount} done this week; ${followUps.overdue.length} overdue, ${followUps.withoutOwner.length} without an owner.`,
          ],
        },
      ];
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
                text: `resolved ${days(line.daysSinceResolution)} ago, postmortem ${line.status ?? 'without a status'}`,
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

function incidentStatus(incident: WeekIncident): string {
  if (incident.resolvedInWeek) return incident.openedInWeek ? 'opened, resolved' : 'resolved';
  return 'opened, still open';
}

function incidentsSection(metrics: WeeklyMetrics): Section[] {
  if (metrics.incidents.length === 0) return [];
  const items = metrics.incidents.map((incident) => ({
    key: incident.key,
    text: `${incident.severity ?? 'no severity'}, ${incidentStatus(incident)}: ${incident.summary}`,
  }));
  return [{ title: 'Incidents', blocks: [{ kind: 'keyed', items }] }];
}

function deletedLines(metrics: WeeklyMetrics): string[] {
  if (metrics.deletedCount === 0) return [];
  return [`Left out: ${plural(metrics.deletedCount, 'incident')} deleted in Jira.`];
}

function sections(report: WeeklyReport): Section[] {
  const { metrics } = report;
  const changeFailure: Section = {
    title: 'Change failure rate',
    blocks: [{ kind: 'lines', lines: [changeFailureLine(metrics)] }],
  };
  const headline: Section = {
    title: `Incidents, ${report.label}, ${report.weekId}`,
    blocks: [{ kind: 'lines', lines: [...headlineLines(report), ...deletedLines(metrics)] }],
  };
  if (isQuiet(metrics)) return [headline, changeFailure, trendSection(report), ...followUpsSection(report)];
  return [
    headline,
    severitySection(metrics),
    timesSection(metrics),
    stageSection(metrics),
    reopenedSection(metrics),
    changeFailure,
    ...dataQualitySection(metrics),
    trendSection(report),
    ...followUpsSection(report),
    ...incidentsSection(metrics),
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
  return ` (${formatChange(mttr)})`;
}

/**
 * The email subject: "Incidents, week 47 (Nov 16-22): 3 opened, MTTR 1h 52m (down 23%)". Within SNS's
 * rules: printable ASCII, no line breaks, never empty, at most 100 characters.
 */
export function reportSubject(report: WeeklyReport): string {
  const { metrics } = report;
  const start = `Incidents, ${report.label}: `;
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

function textTable(block: Extract<Block, { kind: 'table' }>): string[] {
  const all = [block.header, ...block.rows];
  const widths = block.header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map((row) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return block.align[column] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd(),
  );
}

function textBlock(block: Block, options: RenderOptions): string[] {
  switch (block.kind) {
    case 'lines':
      return [...block.lines];
    case 'table':
      return textTable(block);
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
      const row = (cells: readonly string[]) => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
      const rule = `|${block.align.map((align) => (align === 'right' ? ' --: ' : ' --- ')).join('|')}|`;
      return [row(block.header), rule, ...block.rows.map(row)];
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
