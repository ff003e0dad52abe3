import type { CreatePageParameters, UpdatePageParameters } from '@notionhq/client';
import { textPieces } from '../notion/notion-blocks.ts';
import type { PostmortemDraft } from '../ports.ts';

/** The postmortem database's properties, by name, as the team's database (and the simulator) defines them. */
export const PROPERTY = {
  title: 'Name',
  jira: 'Jira',
  severity: 'Severity',
  status: 'Status',
  incidentStart: 'Incident start',
  resolved: 'Resolved',
  timeToResolve: 'Time to resolve',
  timeToAcknowledge: 'Time to acknowledge',
  owner: 'Owner',
} as const;
const DRAFT_STATUS = 'Draft';

const isoDate = (ms: number) => ({ start: new Date(ms).toISOString() });

/**
 * The properties that follow the incident (Severity, Incident start, Resolved, Time to resolve and to
 * acknowledge), as a new page gets them (what the incident lacks left out) or as a refresh sets them
 * (what it no longer has cleared). Title, Jira, Status and Owner are not among them: people change those.
 */
export function incidentPropertiesOf(
  draft: PostmortemDraft,
  missing: 'omit-missing' | 'clear-missing',
): NonNullable<UpdatePageParameters['properties']> {
  type Property = NonNullable<UpdatePageParameters['properties']>[string];
  const entry = <V>(name: string, value: V | null, set: (value: V) => Property, clear: Property) =>
    value !== null ? { [name]: set(value) } : missing === 'clear-missing' ? { [name]: clear } : {};
  const text = (value: string): Property => ({ rich_text: richText(value) });
  return {
    [PROPERTY.incidentStart]: { date: isoDate(draft.incidentStartMs) },
    ...entry(PROPERTY.severity, draft.severity, (name) => ({ select: { name } }), { select: null }),
    ...entry(PROPERTY.resolved, draft.resolvedAtMs, (ms) => ({ date: isoDate(ms) }), { date: null }),
    ...entry(PROPERTY.timeToResolve, draft.timeToResolve, text, { rich_text: [] }),
    ...entry(PROPERTY.timeToAcknowledge, draft.timeToAcknowledge, text, { rich_text: [] }),
  };
}

/** A text property's value, split at Notion's 2,000 characters per item, never truncated (one empty item when empty). */
const richText = (text: string) => {
  const pieces = textPieces(text);
  return (pieces.length > 0 ? pieces : ['']).map((content) => ({ text: { content } }));
};

/** A new page's properties: the incident's, its title, Jira link and owner (when known), and the Draft status. */
export function newPagePropertiesOf(
  draft: PostmortemDraft,
  ownerId: string | undefined,
): CreatePageParameters['properties'] {
  return {
    [PROPERTY.title]: { title: richText(draft.title) },
    [PROPERTY.status]: { status: { name: DRAFT_STATUS } },
    ...(draft.jiraUrl === null ? {} : { [PROPERTY.jira]: { url: draft.jiraUrl } }),
    ...incidentPropertiesOf(draft, 'omit-missing'),
    ...(ownerId === undefined ? {} : { [PROPERTY.owner]: { people: [{ id: ownerId }] } }),
  };
}
