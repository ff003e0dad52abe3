/** Where a CI/CD event came from. */
export type CiSource = 'github' | 'gitlab';

/** How a finished run ended; anything else (cancelled, skipped, still running) is `other`. */
export type RunOutcome = 'failure' | 'success' | 'other';

/** A finished workflow run (GitHub) or pipeline (GitLab), in the words of the premortem. */
export interface CiRun {
  readonly kind: 'run';
  readonly source: CiSource;
  readonly repository: string;
  readonly defaultBranch: string | null;
  readonly workflow: string;
  readonly branch: string;
  /** The run and its attempt: a re-run of the same run is another attempt, another result. */
  readonly runId: string;
  readonly outcome: RunOutcome;
  readonly sha: string;
  readonly commitTitle: string | null;
  readonly author: string | null;
  readonly url: string;
  /** The jobs that failed, when the payload or the jobs API says. */
  readonly failedJobs: readonly string[];
  readonly finishedAtMs: number;
}

/** A deployment's result in an environment. */
export interface CiDeployment {
  readonly kind: 'deployment';
  readonly source: CiSource;
  readonly repository: string;
  /** The service deployed, as the weekly report counts deployments: the repository's name. */
  readonly service: string;
  /** Stable across redeliveries and across both webhooks of one deployment. */
  readonly deploymentId: string;
  readonly environment: string;
  /** True when the sender itself marks the environment as production (GitHub's flag, GitLab's tier). */
  readonly markedProduction: boolean;
  readonly outcome: RunOutcome;
  readonly sha: string;
  readonly ref: string;
  readonly url: string | null;
  readonly atMs: number;
}

/** A pull or merge request, opened or merged. */
export interface CiChange {
  readonly kind: 'change';
  readonly source: CiSource;
  readonly repository: string;
  readonly changeId: string;
  readonly action: 'opened' | 'merged' | 'other';
  readonly title: string;
  readonly body: string;
  readonly branch: string;
  readonly author: string | null;
  readonly url: string;
  readonly atMs: number;
}

/** What a followed CI/CD webhook says, whatever its source. */
export type CiEvent = CiRun | CiDeployment | CiChange;
