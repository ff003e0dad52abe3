import type { KnownStage, Severity } from './lifecycle.ts';
import { isAtOrAfter, SEVERITIES } from './lifecycle.ts';
import type { IncidentState } from './timeline.ts';

/** A component's state on the status page, from best to worst (Atlassian Statuspage's four). */
export const COMPONENT_STATES = [
  'operational',
  'degraded-performance',
  'partial-outage',
  'major-outage',
] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

/** The customer-facing phases of an incident, as Statuspage names them. */
export const UPDATE_PHASES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type UpdatePhase = (typeof UPDATE_PHASES)[number];

/** One component customers see, and the Jira components whose incidents affect it. */
export interface PublicComponent {
  readonly name: string;
  readonly jiraComponents?: readonly string[] | undefined;
  readonly description?: string | undefined;
}

/** What the status page is built from, besides the incidents (the `statusPage` settings). */
export interface StatusPageOptions {
  readonly title: string;
  /** The components shown, in order; empty: each Jira component of a shown incident, under its own name. */
  readonly components: readonly PublicComponent[];
  readonly severityStates: Readonly<Record<Severity, ComponentState>>;
  readonly phases: Readonly<Record<KnownStage, UpdatePhase>>;
  readonly publicCommentPrefix: string;
  /** Publish the comments Jira Service Management shares with customers (jsdPublic), prefix or not. */
  readonly jsmPublicComments: boolean;
  readonly internalLabel: string;
  readonly showSummary: boolean;
  readonly historyDays: number;
}

/** The board settings the page reads: when an incident is confirmed, and when it is resolved. */
export interface StatusBoard {
  readonly acknowledgeStage: KnownStage;
  readonly resolveStage: KnownStage;
}

/** How each state reads, with a glyph so that no state is told by colour alone. */
export const STATE_WORDS: Readonly<
  Record<ComponentState, { readonly label: string; readonly glyph: string }>
> = {
  operational: { label: 'Operational', glyph: '✓' },
  'degraded-performance': { label: 'Degraded performance', glyph: '~' },
  'partial-outage': { label: 'Partial outage', glyph: '!' },
  'major-outage': { label: 'Major outage', glyph: '✕' },
};

/** The worse of two states. */
export function worseState(a: ComponentState, b: ComponentState): ComponentState {
  return COMPONENT_STATES.indexOf(a) >= COMPONENT_STATES.indexOf(b) ? a : b;
}

/** The worst of several states; operational when there are none. */
export function worstState(states: Iterable<ComponentState>): ComponentState {
  let worst: ComponentState = 'operational';
  for (const state of states) worst = worseState(worst, state);
  return worst;
}

/**
 * Whether customers may see the incident at all: a real, undeleted incident that the team confirmed
 * (reached the acknowledging stage) and did not label internal.
 */
export function isPublicIncident(state: IncidentState, options: StatusPageOptions): boolean {
  return (
    state.isIncident &&
    !state.deleted &&
    state.acknowledgedAtMs !== null &&
    !state.labels.some((label) => label.toLowerCase() === options.internalLabel.toLowerCase())
  );
}

/** True while the incident is not at or past the resolving stage. */
export function isOngoing(state: IncidentState, board: StatusBoard): boolean {
  return state.stage === null || !isAtOrAfter(state.stage, board.resolveStage);
}

/** The state an incident puts its components in, by its severity (none set counts as the least severe). */
export function incidentComponentState(state: IncidentState, options: StatusPageOptions): ComponentState {
  return options.severityStates[state.severity ?? SEVERITIES[SEVERITIES.length - 1] ?? 'SEV4'];
}

/** The public components an incident affects, through the mapping of Jira components. */
export function affectedComponents(
  jiraComponents: readonly string[],
  components: readonly PublicComponent[],
): string[] {
  const named = new Set(jiraComponents.map((name) => name.toLowerCase()));
  return components
    .filter((component) =>
      (component.jiraComponents ?? [component.name]).some((jira) => named.has(jira.toLowerCase())),
    )
    .map((component) => component.name);
}

/** The components the page shows: the configured ones, else every Jira component the incidents name. */
export function shownComponents(
  incidents: readonly IncidentState[],
  options: StatusPageOptions,
): PublicComponent[] {
  if (options.components.length > 0) return [...options.components];
  const names = new Set(incidents.flatMap((incident) => incident.components));
  return [...names].sort((a, b) => a.localeCompare(b)).map((name) => ({ name }));
}

/** Each shown component's state now: the worst state of the ongoing incidents affecting it. */
export function componentStates(
  ongoing: readonly IncidentState[],
  components: readonly PublicComponent[],
  options: StatusPageOptions,
): Map<string, ComponentState> {
  const states = new Map<string, ComponentState>(
    components.map((component) => [component.name, 'operational']),
  );
  for (const incident of ongoing) {
    const state = incidentComponentState(incident, options);
    for (const name of affectedComponents(incident.components, components))
      states.set(name, worseState(states.get(name) ?? 'operational', state));
  }
  return states;
}

/**
 * The page's overall state: the worst component state, and the state of an ongoing incident that
 * affects no shown component (customers still have a problem).
 */
export function overallState(
  ongoing: readonly IncidentState[],
  states: ReadonlyMap<string, ComponentState>,
  options: StatusPageOptions,
): ComponentState {
  return worstState([
    ...states.values(),
    ...ongoing.map((incident) => incidentComponentState(incident, options)),
  ]);
}

/** The headline of the page for its overall state. */
export function overallHeadline(state: ComponentState): string {
  switch (state) {
    case 'operational':
      return 'All systems operational';
    case 'degraded-performance':
      return 'Degraded performance';
    case 'partial-outage':
      return 'Partial outage';
    case 'major-outage':
      return 'Major outage';
    default:
      return state satisfies never;
  }
}
