import type { NotionBlock } from '../notion/notion-blocks.ts';
import { adfToNotionBlocks } from './atlassian-document-format.ts';
import type { ConversionOptions } from './block-drafts.ts';
import { wikiToNotionBlocks } from './jira-wiki-markup.ts';

/** Converts a Jira description or comment body in either form: wiki text (REST v2) or ADF (REST v3). */
export function jiraTextToNotionBlocks(body: unknown, options: ConversionOptions = {}): NotionBlock[] {
  if (body === null || body === undefined) return [];
  return typeof body === 'string' ? wikiToNotionBlocks(body, options) : adfToNotionBlocks(body, options);
}
