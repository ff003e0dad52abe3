import type { CiActivity } from './ci-activity.ts';
import type { Deployment } from './deployments.ts';
import { formatLocalTime, type WeekBounds } from './iso-weeks.ts';
import { compareKeys } from './key-order.ts';
import { type DayKey, dayKeyOf, daysFrom } from './local-days.ts';
import { median } from './percentile.ts';

/** A watched workflow on a branch, as the report names it. */
export type CiStreakName = {
  readonly repository: string;
  readonly workflow: string;
  readonly branch: string;
};

/** A failing streak that ended in the week, with its time to green (first failure → next success). */
export type GreenStreak = CiStreakName & { readonly greenAtMs: number; readonly timeToGreenMs: number };

/** One service's deployments on each of the week's days (the team's calendar), and in all. */
export type ServiceDeployments = {
  readonly service: string;
  readonly perDay: readonly number[];
  readonly total: number;
};

/** A fix merged in the week for an incident, timed from the incident's start when it is known. */
export type MergedFix = {
  readonly incidentKey: string;
  readonly title: string;
  readonly author: string | null;
  readonly url: string;
  readonly mergedAtMs: number;
  /** The merge on the team's wall clock: "Nov 18 14:02". */
  readonly mergedAt: string;
  /** Null when the incident's state is not known (deleted since). */
  readonly startToMergeMs: number | null;
};

/** The week's CI and deployment figures (definitions on `weeklyDelivery`). */
export type WeeklyDelivery = {
  readonly failuresOpened: readonly (CiStreakName & { readonly openedAtMs: number })[];
  readonly failuresFixed: readonly GreenStreak[];
  /** Median over `failuresFixed`; null when none was fixed. */
  readonly timeToGreenMedianMs: number | null;
  /** The week's days on the team's calendar, Monday first. */
  readonly days: readonly DayKey[];
  readonly deploymentCount: number;
  readonly deploymentsByService: readonly ServiceDeployments[];
  readonly fixesMerged: readonly MergedFix[];
  /** Median over the merged fixes whose incident's start is known; null when none. */
  readonly startToMergeMedianMs: number | null;
};

/** What the week's CI and deployment figures are counted from. */
export type WeeklyDeliveryInput = {
  readonly bounds: WeekBounds;
  /** The instant the week is counted to: its end, or now for the week in progress. */
  readonly asOfMs: number;
  readonly timeZone: string;
  readonly activity: readonly CiActivity[];
  readonly deployments: readonly Deployment[];
  /** When each incident a fix names started (opened), by issue key. */
  readonly incidentStartMs: ReadonlyMap<string, number>;
};

const nameOf = (activity: CiStreakName): CiStreakName => ({
  repository: activity.repository,
  workflow: activity.workflow,
  branch: activity.branch,
});

const byStreakName = (a: CiStreakName, b: CiStreakName): number =>
  a.repository.localeCompare(b.repository) ||
  a.workflow.localeCompare(b.workflow) ||
  a.branch.localeCompare(b.branch);

/**
 * The CI and deployment figures of one week, [startMs, endMs), counted to `asOfMs`:
 * - CI failures opened: failing streaks of watched workflows whose first failure falls in the week;
 *   fixed: streaks whose next success falls in it (a streak opened the week before counts as fixed here);
 * - time to green: first failure → next success of each fixed streak, median by `percentile`'s rule;
 * - deployments per day by service: each deployment in the week counted on its day in the team's
 *   time zone, Monday to Sunday, services by name;
 * - fixes merged: merged pull or merge requests naming an incident, timed from the incident's opening.
 */
export function weeklyDelivery(input: WeeklyDeliveryInput): WeeklyDelivery {
  const { bounds, timeZone } = input;
  const endMs = Math.min(input.asOfMs, bounds.endMs);
  const isCounted = (ms: number) => ms >= bounds.startMs && ms < endMs;
  const counted = input.activity.filter((activity) => isCounted(activity.atMs));
  const failuresOpened = counted
    .flatMap((activity) =>
      activity.kind === 'failure-opened' ? [{ ...nameOf(activity), openedAtMs: activity.atMs }] : [],
    )
    .sort((a, b) => a.openedAtMs - b.openedAtMs || byStreakName(a, b));
  const failuresFixed = counted
    .flatMap((activity) =>
      activity.kind === 'green-again'
        ? [
            {
              ...nameOf(activity),
              greenAtMs: activity.atMs,
              timeToGreenMs: activity.atMs - activity.failingSinceMs,
            },
          ]
        : [],
    )
    .sort((a, b) => a.greenAtMs - b.greenAtMs || byStreakName(a, b));
  const days = daysFrom(dayKeyOf(bounds.startMs, timeZone), dayKeyOf(bounds.endMs - 1, timeZone));
  const deployments = input.deployments.filter((deployment) => isCounted(deployment.atMs));
  const services = [...new Set(deployments.map((deployment) => deployment.service))].sort((a, b) =>
    a.localeCompare(b),
  );
  const deploymentsByService = services.map((service) => {
    const ofService = deployments.filter((deployment) => deployment.service === service);
    const perDay = days.map(
      (day) => ofService.filter((deployment) => dayKeyOf(deployment.atMs, timeZone) === day).length,
    );
    return { service, perDay, total: ofService.length };
  });
  const fixesMerged = counted
    .flatMap((activity) => {
      if (activity.kind !== 'fix-merged') return [];
      const startMs = input.incidentStartMs.get(activity.incidentKey);
      return [
        {
          incidentKey: activity.incidentKey,
          title: activity.title,
          author: activity.author,
          url: activity.url,
          mergedAtMs: activity.atMs,
          mergedAt: formatLocalTime(activity.atMs, timeZone),
          startToMergeMs: startMs === undefined ? null : activity.atMs - startMs,
        },
      ];
    })
    .sort((a, b) => compareKeys(a.incidentKey, b.incidentKey) || a.mergedAtMs - b.mergedAtMs);
  return {
    failuresOpened,
    failuresFixed,
    timeToGreenMedianMs: median(failuresFixed.map((streak) => streak.timeToGreenMs)),
    days,
    deploymentCount: deployments.length,
    deploymentsByService,
    fixesMerged,
    startToMergeMedianMs: median(
      fixesMerged.flatMap((fix) => (fix.startToMergeMs === null ? [] : [fix.startToMergeMs])),
    ),
  };
}

/** True when the week has any CI failure, fix, deployment or merged fix to show. */
export function hasDelivery(delivery: WeeklyDelivery): boolean {
  return (
    delivery.failuresOpened.length > 0 ||
    delivery.failuresFixed.length > 0 ||
    delivery.deploymentCount > 0 ||
    delivery.fixesMerged.length > 0
  );
}
