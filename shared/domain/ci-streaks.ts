import type { CiRun } from './ci-events.ts';
import { formatDuration } from './durations.ts';

/**
 * The failing streak of one workflow on one branch: `generation` counts streaks, so that each one has
 * its own premortem ticket and marker label; `version` guards concurrent writes.
 */
export interface CiStreak {
  readonly streakKey: string;
  readonly generation: number;
  readonly failing: boolean;
  readonly ticketKey: string | null;
  readonly ticketUrl: string | null;
  readonly failingSinceMs: number | null;
  /** The run opening the premortem while its ticket is not recorded yet. */
  readonly openingRunId: string | null;
  readonly lastRunAtMs: number;
  /** Runs already acted on (the latest few), so a redelivery or a late copy does nothing twice. */
  readonly handledRunIds: readonly string[];
  readonly version: number;
}

/** What to do with a finished run, and the streak as it is once done. */
export type RunDecision =
  | { readonly kind: 'open-premortem'; readonly streak: CiStreak; readonly label: string }
  | { readonly kind: 'failed-again'; readonly streak: CiStreak; readonly ticketKey: string }
  | {
      readonly kind: 'green-again';
      readonly streak: CiStreak;
      readonly ticketKey: string | null;
      readonly failingForMs: number;
    }
  | { readonly kind: 'nothing'; readonly reason: string; readonly streak: CiStreak | null };

const HANDLED_RUNS_KEPT = 20;
/**
 * Another failure while a premortem is being opened leaves it to that delivery; past this, the opener
 * is taken to have crashed (GitHub does not redeliver by itself) and the failure opens it instead.
 */
export const OPENING_TAKEOVER_MS = 10 * 60_000;

/** What the CI rules read of the `ci` settings: which runs are watched and which deploy to production. */
export interface CiWatch {
  /** Workflows (or pipelines) watched; empty: every one. */
  readonly workflows: readonly string[];
  /** Branches watched; empty: the repository's default branch. */
  readonly branches: readonly string[];
  /** Workflows that deploy to production. */
  readonly productionWorkflows: readonly string[];
}

/** True when the settings watch this run's workflow on this branch. */
export function isWatchedRun(run: CiRun, settings: CiWatch): boolean {
  const workflows = settings.workflows.map((name) => name.toLowerCase());
  const workflowWatched = workflows.length === 0 || workflows.includes(run.workflow.toLowerCase());
  const branches = settings.branches.length > 0 ? settings.branches : [run.defaultBranch];
  return workflowWatched && branches.includes(run.branch);
}

/** True when the run's workflow deploys to production (its failure is a change failure). */
export function isProductionWorkflow(run: CiRun, settings: CiWatch): boolean {
  return settings.productionWorkflows.some((name) => name.toLowerCase() === run.workflow.toLowerCase());
}

/** The identity of a workflow on a branch of a repository. */
export function streakKeyOf(run: CiRun): string {
  return `${run.source}:${run.repository}:${run.workflow}:${run.branch}`;
}

// FNV-1a: a short, stable tag of the whole key, so two names that slug alike keep distinct labels.
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

/**
 * The marker label of one streak's premortem ticket (Jira labels take no spaces): found by it after a
 * crash, so a streak never gets two tickets.
 */
export function premortemLabel(run: CiRun, generation: number): string {
  return `ci-${slug(run.workflow)}-${slug(run.branch)}-${fnv1a(streakKeyOf(run))}-${generation}`;
}

/** The marker label of the incident a failed production deployment or deploy workflow opened. */
export function changeFailureLabel(source: string, id: string): string {
  return `change-failure-${source}-${fnv1a(id)}`;
}

function noted(streak: CiStreak, run: CiRun, changes: Partial<CiStreak>): CiStreak {
  return {
    ...streak,
    ...changes,
    lastRunAtMs: Math.max(streak.lastRunAtMs, run.finishedAtMs),
    handledRunIds: [...streak.handledRunIds, run.runId].slice(-HANDLED_RUNS_KEPT),
  };
}

/**
 * What a finished run means for its streak: a first failure opens a premortem, a further one is
 * commented, the next success is "green again". A run handled before, or older than the last one
 * seen, changes nothing. A failing streak without its ticket (a crash after the streak was written)
 * opens it again: the label finds the ticket if it was created.
 */
export function decideRun(streak: CiStreak | null, run: CiRun): RunDecision {
  const key = streakKeyOf(run);
  const current: CiStreak = streak ?? {
    streakKey: key,
    generation: 0,
    failing: false,
    ticketKey: null,
    ticketUrl: null,
    failingSinceMs: null,
    openingRunId: null,
    lastRunAtMs: 0,
    handledRunIds: [],
    version: 0,
  };
  if (current.handledRunIds.includes(run.runId))
    return { kind: 'nothing', reason: 'run already handled', streak };
  if (run.finishedAtMs < current.lastRunAtMs)
    return { kind: 'nothing', reason: 'older than the last run seen', streak };
  switch (run.outcome) {
    case 'failure': {
      if (current.failing && current.ticketKey !== null)
        return { kind: 'failed-again', streak: noted(current, run, {}), ticketKey: current.ticketKey };
      const isOpenedElsewhere =
        current.failing &&
        current.openingRunId !== run.runId &&
        run.finishedAtMs - (current.failingSinceMs ?? 0) < OPENING_TAKEOVER_MS;
      if (isOpenedElsewhere)
        return {
          kind: 'nothing',
          reason: 'the premortem is being opened by another delivery',
          streak: noted(current, run, {}),
        };
      const generation = current.failing ? current.generation : current.generation + 1;
      const opening: CiStreak = {
        ...current,
        generation,
        failing: true,
        ticketKey: null,
        ticketUrl: null,
        failingSinceMs: current.failing ? current.failingSinceMs : run.finishedAtMs,
        openingRunId: run.runId,
      };
      return { kind: 'open-premortem', streak: opening, label: premortemLabel(run, generation) };
    }
    case 'success': {
      if (!current.failing)
        return { kind: 'nothing', reason: 'green already', streak: noted(current, run, {}) };
      return {
        kind: 'green-again',
        ticketKey: current.ticketKey,
        failingForMs: run.finishedAtMs - (current.failingSinceMs ?? run.finishedAtMs),
        streak: noted(current, run, { failing: false, failingSinceMs: null }),
      };
    }
    case 'other':
      return { kind: 'nothing', reason: 'neither failed nor succeeded', streak };
    default:
      return run.outcome satisfies never;
  }
}

/** The streak once its premortem ticket exists. */
export function withTicket(streak: CiStreak, run: CiRun, ticket: { key: string; url: string }): CiStreak {
  return noted(streak, run, { ticketKey: ticket.key, ticketUrl: ticket.url, openingRunId: null });
}

const shortSha = (sha: string) => sha.slice(0, 7);

/** The premortem ticket's summary: the workflow and the branch. */
export function premortemSummary(run: CiRun): string {
  return `CI failing: ${run.workflow} on ${run.branch} (${run.repository})`;
}

/** The premortem ticket's description, paragraph by paragraph (a run with a URL is a link). */
export function premortemDescription(
  run: CiRun,
): readonly (readonly { readonly text: string; readonly url?: string }[])[] {
  const commit = [
    `Head commit ${shortSha(run.sha)}`,
    run.commitTitle ? `: ${run.commitTitle.split('\n')[0]}` : '',
    run.author ? ` by ${run.author}` : '',
  ].join('');
  return [
    [{ text: `The workflow ${run.workflow} failed on ${run.branch} of ${run.repository}.` }],
    [{ text: commit }],
    [{ text: 'Run: ' }, { text: run.url, url: run.url }],
    ...(run.failedJobs.length > 0 ? [[{ text: `Failing jobs: ${run.failedJobs.join(', ')}` }]] : []),
    [
      {
        text: 'A premortem: learn what broke before it reaches customers. Incident Flow comments here when the workflow fails again and when it is green again.',
      },
    ],
  ];
}

/** The comment a further failure of the streak posts. */
export function failedAgainComment(run: CiRun): string {
  return `failed again at ${shortSha(run.sha)}${run.author ? ` by ${run.author}` : ''}: ${run.url}`;
}

/** The comment the streak's next success posts. */
export function greenAgainComment(run: CiRun, failingForMs: number): string {
  return `green again at ${shortSha(run.sha)} after ${formatDuration(failingForMs)}: ${run.url}`;
}
