import { formatIsoWeek, type IsoWeek, previousWeeks, weekBounds } from '../domain/iso-weeks.ts';
import type { SeverityCounts } from '../domain/weekly-metrics.ts';
import { type WeeklyReport, weeklyMetrics } from '../domain/weekly-metrics.ts';
import { followUpsByOwner, type ReportCharts } from '../domain/weekly-report-charts.ts';
import type { FollowUpStore, IncidentStates } from '../ports.ts';
import type { Settings } from '../settings.ts';

/** What the charts read besides the report: the incidents by opening week, and the follow-ups. */
export interface ReportChartsDeps {
  readonly store: Pick<IncidentStates, 'listStatesByWeek'>;
  readonly settings: Settings;
  readonly followUps?: Pick<FollowUpStore, 'followUpsByWeek'> | undefined;
}

/** The weeks before the reported one in the 8-week charts. */
const EARLIER_WEEKS = 7;

/** The opened counts of an earlier week, by the report's own rule (weeklyMetrics). */
async function openedIn(week: IsoWeek, deps: ReportChartsDeps): Promise<SeverityCounts> {
  const incidents = await deps.store.listStatesByWeek(formatIsoWeek(week), 'opened');
  return weeklyMetrics({
    week,
    bounds: weekBounds(week, deps.settings.timeZone),
    incidents,
    deployments: [],
    settings: {
      changeLabel: deps.settings.report.changeLabel,
      resolveStage: deps.settings.board.resolveStage,
      statuses: deps.settings.board.statuses,
      timeZone: deps.settings.timeZone,
    },
  }).opened;
}

/**
 * The data of the HTML email's charts that the report does not hold: the incidents opened in each of
 * the seven weeks before, by severity (one index query a week, as stored summaries keep totals only),
 * and the week's follow-ups by owner.
 */
export async function buildReportCharts(report: WeeklyReport, deps: ReportChartsDeps): Promise<ReportCharts> {
  const earlier = previousWeeks(report.week, EARLIER_WEEKS).reverse();
  const history = await Promise.all(
    earlier.map(async (week) => ({ weekId: formatIsoWeek(week), opened: await openedIn(week, deps) })),
  );
  const severityHistory = [...history, { weekId: report.weekId, opened: report.metrics.opened }];
  const followUps = report.followUps;
  if (followUps.kind === 'not-tracked' || !deps.followUps) return { severityHistory, followUpOwners: null };
  const [opened, done] = await Promise.all([
    deps.followUps.followUpsByWeek(report.weekId, 'opened'),
    deps.followUps.followUpsByWeek(report.weekId, 'done'),
  ]);
  return { severityHistory, followUpOwners: followUpsByOwner(opened, done, followUps.overdue) };
}
