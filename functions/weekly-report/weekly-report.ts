import middy from '@middy/core';
import * as z from 'zod/mini';
import { formatIsoWeek, isoWeekOf, parseIsoWeek, shiftWeeks } from '#shared/domain/iso-weeks.ts';
import type { WeeklyReport } from '#shared/domain/weekly-metrics.ts';
import { weeklyReportEmail } from '#shared/domain/weekly-report-email.ts';
import { renderReportText, reportSubject } from '#shared/domain/weekly-report-text.ts';
import { BadRequestError } from '#shared/errors.ts';
import type {
  CiActivityLog,
  DeploymentStore,
  FollowUpStore,
  IncidentStates,
  Log,
  PostmortemRecords,
  ReportLedger,
  ReportMailer,
  ReportPublisher,
  WeekSummaries,
} from '#shared/ports.ts';
import type { Settings } from '#shared/settings.ts';
import { buildReportCharts } from '#shared/use-cases/build-report-charts.ts';
import {
  buildWeeklyReport,
  type WeeklyReportDeps as WeeklyReportUseCaseDeps,
} from '#shared/use-cases/build-weekly-report.ts';

export interface WeeklyReportDeps {
  readonly store: IncidentStates & WeekSummaries & PostmortemRecords;
  readonly deployments: DeploymentStore;
  readonly publisher: ReportPublisher;
  readonly ledger: ReportLedger;
  readonly settings: Settings;
  readonly nowMs: () => number;
  readonly log: Log;
  /** The follow-ups, where postmortems (and so follow-ups) are kept. */
  readonly followUps?: FollowUpStore;
  /** The HTML email through SES, where settings.report.email names its sender and readers. */
  readonly mailer?: ReportMailer;
  /** The alert intake's records, for the report's detection figures. */
  readonly alerts?: WeeklyReportUseCaseDeps['alerts'];
  /** What the CI webhooks recorded: failing streaks and merged fixes. */
  readonly ciActivity?: Pick<CiActivityLog, 'activityBetween'>;
}

/** The schedule sends {} (last week); a person may send {"week": "2026-W47"} to (re)send one week. */
const requestSchema = z.looseObject({ week: z.optional(z.string()), resend: z.optional(z.boolean()) });

export type WeeklyReportOutcome =
  | {
      readonly kind: 'sent';
      readonly week: string;
      readonly messageId: string;
      readonly emailMessageId?: string;
    }
  | { readonly kind: 'already-sent'; readonly week: string; readonly messageId: string };

/** The ledger entry of a week's HTML email, apart from its SNS message: each goes out once. */
export const emailLedgerId = (weekId: string): string => `${weekId}/email`;

/**
 * Scheduled Monday morning: last week's report, published once to the weekly-report topic and, with a
 * mailer, sent once as an HTML email; a run that failed between the two sends only what is missing.
 */
export function makeWeeklyReportHandler(deps: WeeklyReportDeps) {
  return middy(async (event: unknown): Promise<WeeklyReportOutcome> => {
    const request = requestSchema.safeParse(event ?? {});
    if (!request.success)
      throw new BadRequestError('the weekly report takes {"week"?: "2026-W47", "resend"?: true}');
    const week = request.data.week
      ? parseIsoWeek(request.data.week)
      : shiftWeeks(isoWeekOf(deps.nowMs(), deps.settings.timeZone), -1);
    if (!week) throw new BadRequestError(`"${request.data.week}" is not an ISO week such as 2026-W47`);
    const weekId = formatIsoWeek(week);
    // EventBridge Scheduler delivers at least once: a second run for the same week sends nothing.
    const sent = request.data.resend ? null : await deps.ledger.sentMessageId(weekId);
    const emailSent =
      deps.mailer && !request.data.resend ? await deps.ledger.sentMessageId(emailLedgerId(weekId)) : null;
    if (sent && (emailSent || !deps.mailer)) return { kind: 'already-sent', week: weekId, messageId: sent };
    const report = await buildWeeklyReport(week, deps);
    const messageId = sent ?? (await publishText(report, deps));
    if (!deps.mailer || emailSent) return { kind: 'sent', week: weekId, messageId };
    const email = weeklyReportEmail(report, await buildReportCharts(report, deps), deps.settings.report);
    const { messageId: emailMessageId } = await deps.mailer.send(email);
    await deps.ledger.recordSent(emailLedgerId(weekId), emailMessageId);
    // The readers' addresses are never logged: their number says enough.
    deps.log.info('weekly email sent', {
      week: weekId,
      messageId: emailMessageId,
      recipients: deps.settings.report.email?.to.length ?? 0,
    });
    return { kind: 'sent', week: weekId, messageId, emailMessageId };
  });
}

/** The plain-text report to the SNS topic, recorded in the ledger once published. */
async function publishText(report: WeeklyReport, deps: WeeklyReportDeps): Promise<string> {
  const { messageId } = await deps.publisher.publish(
    reportSubject(report),
    renderReportText(report, deps.settings.report),
  );
  await deps.ledger.recordSent(report.weekId, messageId);
  deps.log.info('weekly report sent', {
    week: report.weekId,
    messageId,
    incidents: report.metrics.incidents.length,
  });
  return messageId;
}
