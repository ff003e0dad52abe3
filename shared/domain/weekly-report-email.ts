import type { WeeklyReport } from './weekly-metrics.ts';
import type { ReportCharts } from './weekly-report-charts.ts';
import { renderReportHtml } from './weekly-report-html.ts';
import { type RenderOptions, renderReportText, reportSubject } from './weekly-report-text.ts';

/** The weekly email before it is addressed: its week, subject, plain text and HTML. */
export type ReportEmail = {
  readonly weekId: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
};

/** The week's email: the SNS subject, the plain text as SNS sends it, and the HTML with its charts. */
export function weeklyReportEmail(
  report: WeeklyReport,
  charts: ReportCharts,
  options: RenderOptions = {},
): ReportEmail {
  return {
    weekId: report.weekId,
    subject: reportSubject(report),
    text: renderReportText(report, options),
    html: renderReportHtml(report, { ...options, charts }),
  };
}
