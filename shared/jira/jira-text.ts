import type { DocBlock } from '../domain/doc-blocks.ts';
import { type IncidentEvent, orderEvents } from '../domain/events.ts';
import { currentIssue } from '../domain/timeline.ts';
import { adfToDocBlocks } from './atlassian-document-format.ts';
import type { ConversionOptions } from './block-drafts.ts';
import { wikiToDocBlocks } from './jira-wiki-markup.ts';

/** Converts a Jira description or comment body in either form: wiki text (REST v2) or ADF (REST v3). */
export function jiraTextToDocBlocks(body: unknown, options: ConversionOptions = {}): DocBlock[] {
  if (body === null || body === undefined) return [];
  return typeof body === 'string' ? wikiToDocBlocks(body, options) : adfToDocBlocks(body, options);
}

/** The incident's description as its latest event tells it, as a document; empty when it has none. */
export function descriptionOf(events: readonly IncidentEvent[]): DocBlock[] {
  return jiraTextToDocBlocks(currentIssue(orderEvents(events)).description ?? null);
}
