import middy from '@middy/core';
import * as z from 'zod/mini';
import { formatIsoWeek, isoWeekOf, parseIsoWeek, shiftWeeks } from '#shared/domain/iso-weeks.ts';
import { renderReportText, reportSubject } from '#shared/domain/weekly-report-text.ts';
import { BadRequestError } from '#shared/errors.ts';
import type {
  DeploymentStore,
  EventStore,
  FollowUpStore,
  Log,
  ReportLedger,
  ReportPublisher,
} from '#shared/ports.ts';
import type { Settings } from '#shared/settings.ts';
import { buildWeeklyReport } from '#shared/use-cases/build-weekly-report.ts';

export interface WeeklyReportDeps {
  readonly store: EventStore;
  readonly deployments: DeploymentStore;
  readonly publisher: ReportPublisher;
  readonly ledger: ReportLedger;
  readonly settings: Settings;
  readonly nowMs: () => number;
  readonly log: Log;
  /** The follow-ups, where postmortems (and so follow-ups) are kept. */
  readonly followUps?: FollowUpStore;
}

/** The schedule sends {} (last week); a person may send {"week": "2026-W47"} to (re)send one week. */
const requestSchema = z.looseObject({ week: z.optional(z.string()), resend: z.optional(z.boolean()) });

export type WeeklyReportOutcome =
  | { readonly kind: 'sent'; readonly week: string; readonly messageId: string }
  | { readonly kind: 'already-sent'; readonly week: string; readonly messageId: string };

/** Scheduled Monday morning: last week's report, published once to the weekly-report topic. */
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
    if (sent) return { kind: 'already-sent', week: weekId, messageId: sent };
    const report = await buildWeeklyReport(week, deps);
    const { messageId } = await deps.publisher.publish(
      reportSubject(report),
      renderReportText(report, deps.settings.report),
    );
    await deps.ledger.recordSent(weekId, messageId);
    deps.log.info('weekly report sent', {
      week: weekId,
      messageId,
      incidents: report.metrics.incidents.length,
    });
    return { kind: 'sent', week: weekId, messageId };
  });
}
