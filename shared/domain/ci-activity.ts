import * as z from 'zod/mini';
import type { CiRun } from './ci-events.ts';
import type { CiStreak } from './ci-streaks.ts';
import type { FixLink } from './fix-links.ts';

const streakFields = {
  streakKey: z.string(),
  generation: z.number(),
  repository: z.string(),
  workflow: z.string(),
  branch: z.string(),
};

export const ciActivitySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('failure-opened'), ...streakFields, atMs: z.number() }),
  z.object({ kind: z.literal('green-again'), ...streakFields, failingSinceMs: z.number(), atMs: z.number() }),
  z.object({
    kind: z.literal('fix-merged'),
    incidentKey: z.string(),
    changeId: z.string(),
    title: z.string(),
    author: z.nullable(z.string()),
    url: z.string(),
    atMs: z.number(),
  }),
]);
/**
 * One thing the weekly report counts from CI, kept when it happens: a watched workflow's failing streak
 * opened (at its first failure) or green again (at the success), or a fix merged for an incident.
 */
export type CiActivity = z.infer<typeof ciActivitySchema>;

/** The identity of an activity: recording it again (a retry, a takeover) is the same record. */
export function ciActivityId(activity: CiActivity): string {
  switch (activity.kind) {
    case 'failure-opened':
    case 'green-again':
      return `${activity.kind}#${activity.streakKey}#${activity.generation}`;
    case 'fix-merged':
      return `${activity.kind}#${activity.incidentKey}#${activity.changeId}`;
    default:
      return activity satisfies never;
  }
}

const streakOf = (run: CiRun, streak: CiStreak) => ({
  streakKey: streak.streakKey,
  generation: streak.generation,
  repository: run.repository,
  workflow: run.workflow,
  branch: run.branch,
});

/** The opening of a failing streak, dated by its first failure (kept across a takeover). */
export function failureOpenedOf(run: CiRun, opening: CiStreak): CiActivity {
  return {
    kind: 'failure-opened',
    ...streakOf(run, opening),
    atMs: opening.failingSinceMs ?? run.finishedAtMs,
  };
}

/** The end of a failing streak at the success that ended it, `failingForMs` after its first failure. */
export function greenAgainOf(run: CiRun, streak: CiStreak, failingForMs: number): CiActivity {
  return {
    kind: 'green-again',
    ...streakOf(run, streak),
    failingSinceMs: run.finishedAtMs - failingForMs,
    atMs: run.finishedAtMs,
  };
}

/** A merged fix as the report counts it; null for a fix that was only opened. */
export function fixMergedOf(fix: FixLink): CiActivity | null {
  if (fix.what !== 'fix merged') return null;
  const { incidentKey, changeId, title, author, url, atMs } = fix;
  return { kind: 'fix-merged', incidentKey, changeId, title, author, url, atMs };
}
