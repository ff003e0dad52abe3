import type { CiSettings } from '../ci-settings.ts';
import { failureOpenedOf, fixMergedOf, greenAgainOf } from '../domain/ci-activity.ts';
import type { CiDeployment, CiEvent, CiRun } from '../domain/ci-events.ts';
import {
  changeFailureLabel,
  decideRun,
  failedAgainComment,
  greenAgainComment,
  isProductionWorkflow,
  isWatchedRun,
  premortemDescription,
  premortemSummary,
  streakKeyOf,
  withTicket,
} from '../domain/ci-streaks.ts';
import { fixLinkOf, issueKeysNamedBy } from '../domain/fix-links.ts';
import type {
  CiActivityLog,
  CiStreaks,
  DeployIncidentOpener,
  DeploymentStore,
  FixLinks,
  IncidentStates,
  Log,
  TicketTracker,
} from '../ports.ts';

/** What handling a CI/CD event needs. */
export interface CiEventDeps {
  readonly settings: CiSettings;
  readonly streaks: CiStreaks;
  /** Premortem tickets: the tracker configured with `ci.issueType`. */
  readonly premortems: TicketTracker;
  readonly incidents: DeployIncidentOpener;
  readonly deployments: DeploymentStore;
  readonly fixes: FixLinks;
  /** What the weekly report counts: streaks opened and ended, fixes merged. */
  readonly activity: CiActivityLog;
  /** Which keys a change names are incidents. */
  readonly incidentStates: Pick<IncidentStates, 'getStateByKey'>;
  readonly log: Log;
}

/** What became of an event, as the webhook answers it. */
export type CiOutcome =
  | { readonly kind: 'premortem-opened'; readonly ticket: string }
  | { readonly kind: 'premortem-commented'; readonly ticket: string }
  | { readonly kind: 'green-again'; readonly ticket: string | null }
  | { readonly kind: 'incident-opened'; readonly incident: string }
  | { readonly kind: 'deployment-recorded'; readonly deployment: string; readonly duplicate: boolean }
  | { readonly kind: 'fix-linked'; readonly incidents: readonly string[] }
  | { readonly kind: 'ignored'; readonly reason: string };

/** Two webhooks of one workflow racing: each re-reads the streak and tries again. */
const STREAK_ATTEMPTS = 5;

async function handleRun(run: CiRun, deps: CiEventDeps): Promise<CiOutcome> {
  if (!isWatchedRun(run, deps.settings))
    return { kind: 'ignored', reason: `${run.workflow} on ${run.branch} is not watched` };
  if (isProductionWorkflow(run, deps.settings)) {
    if (run.outcome !== 'failure')
      return { kind: 'ignored', reason: 'a production deploy that did not fail' };
    const incident = await deps.incidents.openIncident({
      label: changeFailureLabel(run.source, run.runId),
      summary: `Production deploy failed: ${run.workflow} on ${run.branch} (${run.repository})`,
      description: premortemDescription(run).slice(0, -1),
    });
    return { kind: 'incident-opened', incident: incident.key };
  }
  for (let attempt = 1; attempt <= STREAK_ATTEMPTS; attempt += 1) {
    const before = await deps.streaks.streakOf(streakKeyOf(run));
    const version = before?.version ?? 0;
    const decision = decideRun(before, run);
    switch (decision.kind) {
      case 'nothing':
        if (decision.streak !== null && decision.streak !== before)
          await deps.streaks.saveStreak(decision.streak, version);
        return { kind: 'ignored', reason: decision.reason };
      case 'open-premortem': {
        // Recorded before the streak: once the streak is saved the run counts as handled, so a crash
        // between the two would lose the record; recording the same opening again is harmless.
        await deps.activity.recordActivity(failureOpenedOf(run, decision.streak));
        // The streak is written first: a concurrent failure then waits for this ticket instead of opening one.
        if (!(await deps.streaks.saveStreak(decision.streak, version))) continue;
        const ticket =
          (await deps.premortems.findByLabel(decision.label)) ??
          (await deps.premortems.createTicket({
            summary: premortemSummary(run),
            description: premortemDescription(run),
            assigneeAccountId: null,
            dueDate: null,
            labels: [...deps.settings.labels, decision.label],
            projectKey: deps.settings.projectKey ?? '',
          }));
        await deps.streaks.saveStreak(withTicket(decision.streak, run, ticket), version + 1);
        deps.log.info('premortem opened', { ticket: ticket.key, workflow: run.workflow, branch: run.branch });
        return { kind: 'premortem-opened', ticket: ticket.key };
      }
      case 'failed-again':
        if (!(await deps.streaks.saveStreak(decision.streak, version))) continue;
        await deps.premortems.comment(decision.ticketKey, failedAgainComment(run));
        return { kind: 'premortem-commented', ticket: decision.ticketKey };
      case 'green-again':
        await deps.activity.recordActivity(greenAgainOf(run, decision.streak, decision.failingForMs));
        if (!(await deps.streaks.saveStreak(decision.streak, version))) continue;
        if (decision.ticketKey !== null) {
          await deps.premortems.comment(decision.ticketKey, greenAgainComment(run, decision.failingForMs));
          if (deps.settings.closeWhenGreen)
            await deps.premortems.transitionTo(decision.ticketKey, deps.settings.doneStatus);
        }
        return { kind: 'green-again', ticket: decision.ticketKey };
      default:
        return decision satisfies never;
    }
  }
  throw new Error(`the streak of ${streakKeyOf(run)} kept changing under ${STREAK_ATTEMPTS} attempts`);
}

function isProduction(deployment: CiDeployment, settings: CiSettings): boolean {
  const environment = deployment.environment.toLowerCase();
  return (
    deployment.markedProduction ||
    settings.productionEnvironments.some((name) => name.toLowerCase() === environment)
  );
}

async function handleDeployment(deployment: CiDeployment, deps: CiEventDeps): Promise<CiOutcome> {
  if (!isProduction(deployment, deps.settings))
    return { kind: 'ignored', reason: `${deployment.environment} is not a production environment` };
  switch (deployment.outcome) {
    case 'success': {
      const outcome = await deps.deployments.recordDeployment({
        id: deployment.deploymentId,
        service: deployment.service,
        version: deployment.sha,
        atMs: deployment.atMs,
      });
      return {
        kind: 'deployment-recorded',
        deployment: deployment.deploymentId,
        duplicate: outcome === 'duplicate',
      };
    }
    case 'failure': {
      const incident = await deps.incidents.openIncident({
        label: changeFailureLabel(deployment.source, deployment.deploymentId),
        summary: `Production deployment failed: ${deployment.service} to ${deployment.environment}`,
        description: [
          [
            {
              text: `The deployment of ${deployment.sha.slice(0, 7)} (${deployment.ref}) of ${deployment.repository} to ${deployment.environment} failed.`,
            },
          ],
          ...(deployment.url ? [[{ text: 'Log: ' }, { text: deployment.url, url: deployment.url }]] : []),
        ],
      });
      return { kind: 'incident-opened', incident: incident.key };
    }
    case 'other':
      return { kind: 'ignored', reason: 'a deployment neither succeeded nor failed' };
    default:
      return deployment.outcome satisfies never;
  }
}

/**
 * One followed CI/CD event: a watched run's failure opens or comments its premortem and the next
 * success says it is green again; a production deployment is counted, or opens an incident when it
 * failed; a pull or merge request naming incidents becomes their "fix opened"/"fix merged".
 */
export async function handleCiEvent(event: CiEvent, deps: CiEventDeps): Promise<CiOutcome> {
  switch (event.kind) {
    case 'run':
      return handleRun(event, deps);
    case 'deployment':
      return handleDeployment(event, deps);
    case 'change': {
      const linked: string[] = [];
      for (const key of issueKeysNamedBy(event)) {
        const fix = fixLinkOf(event, key);
        if (fix === null) break;
        if ((await deps.incidentStates.getStateByKey(key)) === null) continue;
        await deps.fixes.recordFix(fix);
        const merged = fixMergedOf(fix);
        if (merged) await deps.activity.recordActivity(merged);
        linked.push(key);
      }
      return linked.length > 0
        ? { kind: 'fix-linked', incidents: linked }
        : { kind: 'ignored', reason: 'names no incident, or neither opened nor merged' };
    }
    default:
      return event satisfies never;
  }
}
