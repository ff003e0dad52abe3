import type { DocBlock, DocRun } from '../domain/doc-blocks.ts';
import { type NotionBlock, type NotionRichText, notionCodeLanguage, textPieces } from './notion-blocks.ts';

/** A run as a rich-text item of Notion's request JSON. */
export function notionRunOf(run: DocRun): NotionRichText {
  const text = { content: run.text, link: run.url === null ? null : { url: run.url } };
  return run.marks === undefined ? { type: 'text', text } : { type: 'text', text, annotations: run.marks };
}

/**
 * A run as the rich-text items Notion takes: one per 2,000 characters, the most one item may hold
 * (a timeline bullet carries a whole Jira comment, up to 32,767).
 */
function notionRunsOf(runs: readonly DocRun[]): NotionRichText[] {
  return runs.flatMap((run) => textPieces(run.text).map((piece) => notionRunOf({ ...run, text: piece })));
}

/**
 * A document as the blocks Notion's requests carry, block for block, each run cut into items Notion
 * takes; other limits are not applied here (the Jira text converters fit their blocks to them; the
 * writer cuts requests to size).
 */
export function notionBlocksOf(blocks: readonly DocBlock[]): NotionBlock[] {
  return blocks.map(notionBlockOf);
}

function notionBlockOf(block: DocBlock): NotionBlock {
  switch (block.kind) {
    case 'heading': {
      const rich_text = notionRunsOf(block.runs);
      if (block.level === 1) return { type: 'heading_1', heading_1: { rich_text } };
      return block.level === 2
        ? { type: 'heading_2', heading_2: { rich_text } }
        : { type: 'heading_3', heading_3: { rich_text } };
    }
    case 'paragraph':
      return { type: 'paragraph', paragraph: bodyOf(block) };
    case 'bullet':
      return { type: 'bulleted_list_item', bulleted_list_item: bodyOf(block) };
    case 'numbered':
      return { type: 'numbered_list_item', numbered_list_item: bodyOf(block) };
    case 'todo':
      return { type: 'to_do', to_do: { ...bodyOf(block), checked: block.checked } };
    case 'quote':
      return { type: 'quote', quote: bodyOf(block) };
    case 'code':
      return {
        type: 'code',
        code: { rich_text: notionRunsOf(block.runs), language: notionCodeLanguage(block.language) },
      };
    case 'divider':
      return { type: 'divider', divider: {} };
    case 'table':
      return {
        type: 'table',
        table: {
          table_width: block.width,
          has_column_header: block.hasColumnHeader,
          has_row_header: block.hasRowHeader,
          children: block.rows.map((row) => ({
            type: 'table_row',
            table_row: { cells: row.cells.map(notionRunsOf) },
          })),
        },
      };
    default:
      return block satisfies never;
  }
}

// `children` only when there are some: Notion's JSON, and what the converters always sent, omits it.
function bodyOf(block: { readonly runs: readonly DocRun[]; readonly children?: readonly DocBlock[] }) {
  const rich_text = notionRunsOf(block.runs);
  const children = block.children ?? [];
  return children.length > 0 ? { rich_text, children: notionBlocksOf(children) } : { rich_text };
}
