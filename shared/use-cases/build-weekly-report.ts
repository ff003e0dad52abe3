import { type AlertDetection, alertDetection } from '../domain/alert-detection.ts';
import { type FollowUps, followUpReport } from '../domain/follow-up-report.ts';
import { formatIsoWeek, type IsoWeek, previousWeeks, weekBounds } from '../domain/iso-weeks.ts';
import type { IncidentState } from '../domain/timeline.ts';
import {
  type PostmortemRecord,
  type WeeklyMetricsInput,
  type WeeklyReport,
  weeklyMetrics,
  weeklyReport,
  weekSummary,
} from '../domain/weekly-metrics.ts';
import type { WeekSummary } from '../domain/weekly-trend.ts';
import type {
  ActivePostmortem,
  AlertStore,
  CiActivityLog,
  DeploymentStore,
  FollowUpStore,
  IncidentStates,
  PostmortemRecords,
  WeekSummaries,
} from '../ports.ts';
import type { Settings } from '../settings.ts';

export interface WeeklyReportDeps {
  readonly store: IncidentStates & WeekSummaries & PostmortemRecords;
  readonly deployments: DeploymentStore;
  readonly settings: Settings;
  readonly nowMs: () => number;
  /** The follow-ups of postmortems; absent, the report says they are not tracked. */
  readonly followUps?: FollowUpStore;
  /** The alert intake's records; absent, the report has no detection section. */
  readonly alerts?: Pick<AlertStore, 'deliveriesBetween' | 'sourceOf'>;
  /** What CI recorded (failing streaks, merged fixes); absent, the report counts none. */
  readonly ciActivity?: Pick<CiActivityLog, 'activityBetween'>;
}

/** The week's detection figures: its alerts received and what they came to, its incidents' sources. */
async function detectionOf(
  week: IsoWeek,
  incidents: readonly { readonly key: string; readonly openedInWeek: boolean }[],
  deps: WeeklyReportDeps,
): Promise<AlertDetection | undefined> {
  const alerts = deps.alerts;
  if (!alerts) return undefined;
  const bounds = weekBounds(week, deps.settings.timeZone);
  const deliveries = await alerts.deliveriesBetween(bounds.startMs, bounds.endMs);
  const opened = incidents.filter((incident) => incident.openedInWeek);
  const sources = await Promise.all(opened.map((incident) => alerts.sourceOf(incident.key)));
  return alertDetection(
    deliveries.flatMap((delivery) => delivery.alerts),
    opened.map((incident, i) => {
      const source = sources[i];
      return {
        key: incident.key,
        alert: source ? { startsAtMs: source.startsAtMs, openedAtMs: source.openedAtMs } : null,
      };
    }),
  );
}

/** The week's follow-up figures: the week's opened and done by index, every open one, every followed postmortem. */
async function followUpsOf(
  week: IsoWeek,
  active: readonly ActivePostmortem[],
  nowMs: number,
  deps: WeeklyReportDeps,
): Promise<FollowUps> {
  const store = deps.followUps;
  if (!store) return { kind: 'not-tracked' };
  const id = formatIsoWeek(week);
  const [openedInWeek, doneInWeek, open] = await Promise.all([
    store.followUpsByWeek(id, 'opened'),
    store.followUpsByWeek(id, 'done'),
    store.openFollowUps(),
  ]);
  const postmortems = await Promise.all(
    active.map(async ({ issueId, status }) => ({ state: await store.incidentState(issueId), status })),
  );
  return followUpReport({
    bounds: weekBounds(week, deps.settings.timeZone),
    nowMs,
    timeZone: deps.settings.timeZone,
    openedInWeek,
    doneInWeek,
    open,
    postmortems: postmortems.flatMap(({ state, status }) => (state ? [{ state, status }] : [])),
    escalateAfterDays: deps.settings.followUps.escalateAfterDays,
    unwrittenPostmortemDays: deps.settings.report.unwrittenPostmortemDays,
  });
}

/** The weeks before the reported one whose summaries the trend compares with (and the sparkline shows). */
export const TREND_WEEKS = 7;

/** A week's candidates: the incidents opened in it and those finally resolved in it, each once. */
async function weekInput(week: IsoWeek, nowMs: number, deps: WeeklyReportDeps): Promise<WeeklyMetricsInput> {
  const bounds = weekBounds(week, deps.settings.timeZone);
  const id = formatIsoWeek(week);
  const [opened, resolved, deployments] = await Promise.all([
    deps.store.listStatesByWeek(id, 'opened'),
    deps.store.listStatesByWeek(id, 'resolved'),
    deps.deployments.listDeployments(bounds.startMs, bounds.endMs),
  ]);
  const byIssue = new Map<string, IncidentState>();
  for (const state of [...opened, ...resolved]) byIssue.set(state.issueId, state);
  return {
    week,
    bounds,
    asOfMs: Math.min(bounds.endMs, nowMs),
    incidents: [...byIssue.values()],
    deployments,
    settings: {
      changeLabel: deps.settings.report.changeLabel,
      resolveStage: deps.settings.board.resolveStage,
      statuses: deps.settings.board.statuses,
      timeZone: deps.settings.timeZone,
    },
  };
}

/** The postmortems written for the week's incidents, with the Status the sync last read where it follows one. */
async function postmortemsOf(
  incidents: readonly IncidentState[],
  active: readonly ActivePostmortem[],
  deps: WeeklyReportDeps,
): Promise<Map<string, PostmortemRecord>> {
  const statuses = new Map(active.map((postmortem) => [postmortem.issueId, postmortem.status]));
  const written = await Promise.all(
    incidents.map(async ({ issueId }) => ({ issueId, written: await deps.store.postmortemOf(issueId) })),
  );
  return new Map(
    written.flatMap(({ issueId, written }) =>
      written ? [[issueId, { status: statuses.get(issueId) ?? null }] as const] : [],
    ),
  );
}

/** The week's CI activity, and when each incident a merged fix names started, where the week does not hold it. */
async function ciActivityOf(
  input: WeeklyMetricsInput,
  deps: WeeklyReportDeps,
): Promise<Pick<WeeklyMetricsInput, 'ciActivity' | 'fixedIncidentStartMs'>> {
  if (!deps.ciActivity) return {};
  const ciActivity = await deps.ciActivity.activityBetween(input.bounds.startMs, input.bounds.endMs);
  const known = new Set(input.incidents.map((incident) => incident.key));
  const others = [
    ...new Set(
      ciActivity.flatMap((activity) =>
        activity.kind === 'fix-merged' && !known.has(activity.incidentKey) ? [activity.incidentKey] : [],
      ),
    ),
  ];
  const states = await Promise.all(others.map((key) => deps.store.getStateByKey(key)));
  const fixedIncidentStartMs = new Map(
    states.flatMap((state) => (state ? [[state.key, state.openedAtMs] as const] : [])),
  );
  return { ciActivity, fixedIncidentStartMs };
}

async function summaryOf(week: IsoWeek, nowMs: number, deps: WeeklyReportDeps): Promise<WeekSummary> {
  return weekSummary(weeklyMetrics(await weekInput(week, nowMs, deps)));
}

/**
 * The report of one ISO week, counted to its end, or to now for the week in progress (marked
 * incomplete). It reads that week's incidents by index queries, their postmortem records, its CI
 * activity by a range query (and the incidents its merged fixes name by key), and the
 * headline figures of the seven weeks before from their stored summaries (computing and storing any
 * that are missing): the cost follows one week's incidents, never the whole history. Only weeks that
 * are over are stored; a change to an incident forgets the summaries of its weeks (refreshIncident).
 */
export async function buildWeeklyReport(week: IsoWeek, deps: WeeklyReportDeps): Promise<WeeklyReport> {
  const nowMs = deps.nowMs();
  const isOver = (each: IsoWeek) => weekBounds(each, deps.settings.timeZone).endMs <= nowMs;
  const earlier = previousWeeks(week, TREND_WEEKS);
  const stored = await deps.store.getWeekSummaries(earlier.map(formatIsoWeek));
  const summaries = await Promise.all(
    earlier.map(async (each) => {
      const id = formatIsoWeek(each);
      const known = stored.get(id);
      if (known) return known;
      const summary = await summaryOf(each, nowMs, deps);
      if (isOver(each)) await deps.store.saveWeekSummary(id, summary);
      return summary;
    }),
  );
  const input = await weekInput(week, nowMs, deps);
  const active = deps.followUps ? await deps.followUps.activePostmortems() : [];
  const postmortems = await postmortemsOf(input.incidents, active, deps);
  const followUps = await followUpsOf(week, active, nowMs, deps);
  const ci = await ciActivityOf(input, deps);
  const built = weeklyReport({ ...input, ...ci, postmortems }, summaries, followUps);
  const detection = await detectionOf(week, built.metrics.incidents, deps);
  const report = detection ? { ...built, detection } : built;
  if (isOver(week)) await deps.store.saveWeekSummary(report.weekId, report.summary);
  return report;
}
