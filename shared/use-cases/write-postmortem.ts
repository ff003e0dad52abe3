import { formatDuration } from '../domain/durations.ts';
import type { IncidentEvent } from '../domain/events.ts';
import type { AlertMoments } from '../domain/postmortem-outline.ts';
import { postmortemOutline } from '../domain/postmortem-outline.ts';
import { postmortemDueSinceMs } from '../domain/postmortem-policy.ts';
import type { IncidentState } from '../domain/timeline.ts';
import { descriptionOf } from '../jira/jira-text.ts';
import type {
  AlertStore,
  FixLinks,
  PostmortemDraft,
  PostmortemRecords,
  PostmortemWriter,
  WrittenPostmortem,
} from '../ports.ts';
import type { Settings } from '../settings.ts';

export interface PostmortemDeps {
  readonly store: PostmortemRecords;
  readonly writer: PostmortemWriter;
  readonly settings: Settings;
  /** Incident Flow's own Jira account, whose comments the timeline leaves out. */
  readonly ownAccountId: string | null;
  /** The pull and merge requests naming incidents, for the Changes section; absent, none is written. */
  readonly fixes?: Pick<FixLinks, 'fixesOf'> | undefined;
  /** Where incidents opened by alerts came from, for the timeline's "alert fired" and "alert cleared". */
  readonly alertSources?: Pick<AlertStore, 'sourceOf'> | undefined;
}

type DraftProperties = Pick<
  PostmortemDraft,
  'severity' | 'incidentStartMs' | 'resolvedAtMs' | 'timeToResolve' | 'timeToAcknowledge'
>;

/** The properties that follow the incident, as the page shows them. */
function propertiesOf(state: IncidentState): DraftProperties {
  return {
    severity: state.severity,
    incidentStartMs: state.openedAtMs,
    resolvedAtMs: state.resolvedAtMs,
    timeToResolve: state.timeToResolveMs === null ? null : formatDuration(state.timeToResolveMs),
    timeToAcknowledge: state.timeToAcknowledgeMs === null ? null : formatDuration(state.timeToAcknowledgeMs),
  };
}

/** Equal exactly when the page would show the same properties (durations as formatted). */
const fingerprintOf = (properties: DraftProperties): string =>
  JSON.stringify([
    properties.severity,
    properties.incidentStartMs,
    properties.resolvedAtMs,
    properties.timeToResolve,
    properties.timeToAcknowledge,
  ]);

/** The fingerprint of the properties an incident's page should show now. */
export const postmortemPropertiesFingerprint = (state: IncidentState): string =>
  fingerprintOf(propertiesOf(state));

function draftOf(
  state: IncidentState,
  events: readonly IncidentEvent[],
  properties: DraftProperties,
  deps: PostmortemDeps,
  alert: AlertMoments | null,
  fixes: Awaited<ReturnType<FixLinks['fixesOf']>> = [],
): PostmortemDraft {
  const base = deps.settings.report.jiraBaseUrl;
  const jiraUrl = base ? `${base}/browse/${state.key}` : null;
  return {
    ...properties,
    incidentKey: state.key,
    title: `${state.key}: ${state.summary}`,
    jiraUrl,
    ownerEmail: state.assignee?.email ?? null,
    blocks: postmortemOutline(state, events, {
      timeZone: deps.settings.timeZone,
      description: descriptionOf(events),
      jiraUrl,
      ownAccountId: deps.ownAccountId,
      alert,
      fixes,
    }),
  };
}

async function alertOf(state: IncidentState, deps: PostmortemDeps): Promise<AlertMoments | null> {
  const source = await deps.alertSources?.sourceOf(state.key);
  if (!source) return null;
  return {
    name: source.alertName,
    tool: source.tool,
    firedAtMs: source.startsAtMs ?? source.openedAtMs,
    clearedAtMs: source.clearedAtMs,
  };
}

/**
 * Once an incident is resolved, its postmortem exists, once, already holding what the system knows.
 * The writer itself finds a page made by an earlier run that crashed before recording it. After a
 * reopen and a new resolution, the page's properties follow the incident (its body is left to people);
 * they are written only when they changed since last written, so processing again costs no request.
 */
export async function ensurePostmortem(
  state: IncidentState,
  events: readonly IncidentEvent[],
  deps: PostmortemDeps,
): Promise<WrittenPostmortem | null> {
  if (postmortemDueSinceMs(state, deps.settings) === null) return deps.store.postmortemOf(state.issueId);
  const properties = propertiesOf(state);
  const fingerprint = fingerprintOf(properties);
  let postmortem = await deps.store.postmortemOf(state.issueId);
  if (!postmortem) {
    const fixes = (await deps.fixes?.fixesOf(state.key)) ?? [];
    postmortem = await deps.writer.write(
      draftOf(state, events, properties, deps, await alertOf(state, deps), fixes),
    );
    await deps.store.recordPostmortem(state.issueId, postmortem);
    if (postmortem.created) {
      await deps.store.recordPostmortemProperties(state.issueId, fingerprint);
      return postmortem;
    }
    // A page found rather than made holds the properties of the run that made it: refreshed below.
  }
  if ((await deps.store.postmortemPropertiesOf(state.issueId)) === fingerprint) return postmortem;
  await deps.writer.refreshProperties(postmortem, draftOf(state, events, properties, deps, null));
  await deps.store.recordPostmortemProperties(state.issueId, fingerprint);
  return postmortem;
}
