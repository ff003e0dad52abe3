import type { IncidentEvent } from './events.ts';
import { customerTitle } from './notification-messages.ts';
import { type ComponentHistory, componentHistory, impactSpans } from './status-page-history.ts';
import {
  affectedComponents,
  type ComponentState,
  componentStates,
  incidentComponentState,
  isOngoing,
  isPublicIncident,
  overallState,
  type StatusBoard,
  type StatusPageOptions,
  shownComponents,
  type UpdatePhase,
} from './status-page-states.ts';
import { currentPhase, type PublicUpdate, publicComments, publicUpdates } from './status-page-updates.ts';
import type { IncidentState } from './timeline.ts';

const DAY_MS = 86_400_000;

/** An incident as customers see it: nothing in it comes from Jira but what the settings allow. */
export interface PublicIncident {
  /** The incident's id in page addresses: its issue key in lower case ("ops-42"). */
  readonly id: string;
  readonly title: string;
  readonly phase: UpdatePhase;
  /** The state it puts its components in (its impact). */
  readonly impact: ComponentState;
  readonly components: readonly string[];
  readonly startedAtMs: number;
  readonly resolvedAtMs: number | null;
  readonly updatedAtMs: number;
  /** Oldest first. */
  readonly updates: readonly PublicUpdate[];
}

/** Everything the status page's files are rendered from. */
export interface StatusPage {
  readonly title: string;
  readonly generatedAtMs: number;
  readonly timeZone: string;
  readonly historyDays: number;
  readonly overall: ComponentState;
  readonly components: readonly {
    readonly name: string;
    readonly description: string | null;
    readonly state: ComponentState;
  }[];
  readonly history: readonly ComponentHistory[];
  /** Unresolved incidents, most recently started first. */
  readonly ongoing: readonly PublicIncident[];
  /** Resolved incidents that touched the history window, most recently started first. */
  readonly past: readonly PublicIncident[];
}

/** An incident with its events (the comments are read from them). */
export interface IncidentRecord {
  readonly state: IncidentState;
  readonly events: readonly IncidentEvent[];
}

/** The page id of an incident: its key in lower case, which is safe in a file name and a URL. */
export function publicIncidentId(state: IncidentState): string {
  return state.key.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/**
 * The page ids of incidents customers may have seen but may not any more (labelled internal, deleted,
 * or no longer an incident after they were confirmed), within the history window: their pages are
 * withdrawn from a published site.
 */
export function withdrawnIncidentIds(
  states: readonly IncidentState[],
  options: StatusPageOptions,
  windowStartMs: number,
): string[] {
  return states
    .filter(
      (state) =>
        state.acknowledgedAtMs !== null &&
        !isPublicIncident(state, options) &&
        state.lastEventAtMs >= windowStartMs,
    )
    .map(publicIncidentId);
}

/**
 * The page as it reads without the moment it was built: stamped with its last change customers can see
 * (the latest update of an incident shown, or the start of today, when the history bars last moved),
 * so a rebuild that finds nothing new renders the same bytes and writes nothing.
 */
export function asOfLastChange(page: StatusPage, startOfTodayMs: number): StatusPage {
  const changes = [...page.ongoing, ...page.past].flatMap((incident) => [
    incident.updatedAtMs,
    incident.resolvedAtMs ?? incident.updatedAtMs,
  ]);
  return { ...page, generatedAtMs: Math.max(startOfTodayMs, ...changes) };
}

const newestFirst = (a: PublicIncident, b: PublicIncident): number =>
  b.startedAtMs - a.startedAtMs || a.id.localeCompare(b.id);

/**
 * The status page at `nowMs`, from every incident: those customers may not see (unconfirmed,
 * internal, deleted, not incidents) are dropped first, so nothing downstream can show them.
 */
export function buildStatusPage(input: {
  readonly incidents: readonly IncidentRecord[];
  readonly options: StatusPageOptions;
  readonly board: StatusBoard;
  readonly timeZone: string;
  readonly nowMs: number;
}): StatusPage {
  const { options, board, timeZone, nowMs } = input;
  const windowStartMs = nowMs - options.historyDays * DAY_MS;
  const shown = input.incidents.filter((record) => isPublicIncident(record.state, options));
  const recent = shown.filter((record) =>
    impactSpans(record.state, board.resolveStage, nowMs).some((span) => span.endMs >= windowStartMs),
  );
  const components = shownComponents(
    recent.map((record) => record.state),
    options,
  );
  const ongoingStates = shown.map((record) => record.state).filter((state) => isOngoing(state, board));
  const states = componentStates(ongoingStates, components, options);

  const toPublic = ({ state, events }: IncidentRecord): PublicIncident => {
    const updates = publicUpdates(
      state,
      publicComments(events, options.publicCommentPrefix, options.jsmPublicComments),
      options,
    );
    const affected = affectedComponents(state.components, components);
    return {
      id: publicIncidentId(state),
      title:
        options.showSummary && state.summary.trim() !== '' ? state.summary.trim() : customerTitle(affected),
      phase: currentPhase(state, updates, board),
      impact: incidentComponentState(state, options),
      components: affected,
      startedAtMs: state.openedAtMs,
      resolvedAtMs: isOngoing(state, board) ? null : state.resolvedAtMs,
      updatedAtMs: updates.at(-1)?.atMs ?? state.acknowledgedAtMs ?? state.openedAtMs,
      updates,
    };
  };
  const incidents = recent.map(toPublic);
  return {
    title: options.title,
    generatedAtMs: nowMs,
    timeZone,
    historyDays: options.historyDays,
    overall: overallState(ongoingStates, states, options),
    components: components.map((component) => ({
      name: component.name,
      description: component.description ?? null,
      state: states.get(component.name) ?? 'operational',
    })),
    history: componentHistory({
      incidents: recent.map((record) => record.state),
      components,
      options,
      resolveStage: board.resolveStage,
      timeZone,
      nowMs,
      idOf: publicIncidentId,
    }),
    ongoing: incidents.filter((incident) => incident.resolvedAtMs === null).sort(newestFirst),
    past: incidents.filter((incident) => incident.resolvedAtMs !== null).sort(newestFirst),
  };
}
