import { existsSync } from 'node:fs';
import {
  createEmlReportMailer,
  emlPath,
  LOCAL_REPORT_ADDRESSES,
} from '#shared/adapters/eml-report-mailer.ts';
import { formatIsoWeek, isoWeekOf, shiftWeeks } from '#shared/domain/iso-weeks.ts';
import { buildMimeMessage } from '#shared/domain/mime-message.ts';
import type { WeeklyReport } from '#shared/domain/weekly-metrics.ts';
import { weeklyReportEmail } from '#shared/domain/weekly-report-email.ts';
import type { Log } from '#shared/ports.ts';
import { buildReportCharts, type ReportChartsDeps } from '#shared/use-cases/build-report-charts.ts';
import { buildWeeklyReport, type WeeklyReportDeps } from '#shared/use-cases/build-weekly-report.ts';

/** The weekly email of a built report as `report --format html` prints it, or the whole message for `eml`. */
export async function reportEmailOutput(
  report: WeeklyReport,
  format: 'html' | 'eml',
  deps: ReportChartsDeps,
  nowMs: number,
): Promise<string> {
  const email = weeklyReportEmail(report, await buildReportCharts(report, deps), deps.settings.report);
  if (format === 'html') return email.html;
  return buildMimeMessage({
    ...email,
    ...(deps.settings.report.email ?? LOCAL_REPORT_ADDRESSES),
    dateMs: nowMs,
  });
}

/** How often the local server looks for a week whose email is not written yet. */
const CHECK_EVERY_MS = 60 * 60_000;

/**
 * The local stand-in for the Monday schedule: at start and then every hour, last week's email is
 * written to `<dir>/<week>.eml` unless it is there already (the file is the ledger), so each week's
 * email appears once the week is over, whether the server ran through Monday or started later.
 */
export function startWeeklyEmails(dir: string, deps: WeeklyReportDeps & { readonly log: Log }) {
  const mailer = createEmlReportMailer(dir, deps.nowMs);
  let running: Promise<string | null> = Promise.resolve(null);
  const writeDue = async (): Promise<string | null> => {
    const week = shiftWeeks(isoWeekOf(deps.nowMs(), deps.settings.timeZone), -1);
    if (existsSync(emlPath(dir, formatIsoWeek(week)))) return null;
    const report = await buildWeeklyReport(week, deps);
    const email = weeklyReportEmail(report, await buildReportCharts(report, deps), deps.settings.report);
    const { messageId: path } = await mailer.send(email);
    deps.log.info('weekly email written', { week: report.weekId, path });
    return path;
  };
  const tick = () => {
    running = running.then(writeDue).catch((error: unknown) => {
      deps.log.error('weekly email failed', { error: String(error) });
      return null;
    });
    return running;
  };
  const timer = setInterval(tick, CHECK_EVERY_MS);
  timer.unref();
  return {
    /** Writes last week's email if it is missing; resolves to its path, or null when there was nothing to do. */
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
