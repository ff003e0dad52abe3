import type { DocBlock, DocRun } from '../domain/doc-blocks.ts';

type AdfNode = Record<string, unknown>;

const MARKS: Record<string, string> = {
  bold: 'strong',
  italic: 'em',
  strikethrough: 'strike',
  underline: 'underline',
  code: 'code',
};

function textNode(run: DocRun): AdfNode | null {
  const text = run.text.length > 0 ? run.text : (run.url ?? '');
  // ADF refuses empty text nodes.
  if (text.length === 0) return null;
  const marks = [
    ...Object.keys(run.marks ?? {}).flatMap((mark) => (MARKS[mark] ? [{ type: MARKS[mark] }] : [])),
    ...(run.url === null ? [] : [{ type: 'link', attrs: { href: run.url } }]),
  ];
  return { type: 'text', text, ...(marks.length > 0 ? { marks } : {}) };
}

const inline = (runs: readonly DocRun[]) => runs.flatMap((run) => textNode(run) ?? []);
const paragraph = (runs: readonly DocRun[]): AdfNode => ({ type: 'paragraph', content: inline(runs) });

/**
 * Document blocks as an Atlassian Document Format document, for an issue's description: paragraphs,
 * headings, bullet and numbered lists (consecutive items in one list), quotes, code and dividers;
 * to-dos become bullets and tables are left out (an alert's description has neither).
 */
export function docBlocksToAdf(blocks: readonly DocBlock[]): AdfNode {
  return { type: 'doc', version: 1, content: convert(blocks) };
}

function convert(blocks: readonly DocBlock[]): AdfNode[] {
  const content: AdfNode[] = [];
  let list: { type: string; content: AdfNode[] } | null = null;
  for (const block of blocks) {
    const listType =
      block.kind === 'bullet' || block.kind === 'todo'
        ? 'bulletList'
        : block.kind === 'numbered'
          ? 'orderedList'
          : null;
    if (listType === null) list = null;
    switch (block.kind) {
      case 'bullet':
      case 'todo':
      case 'numbered': {
        if (list === null || list.type !== listType) {
          list = { type: listType ?? 'bulletList', content: [] };
          content.push(list);
        }
        const children = block.children ? convert(block.children) : [];
        list.content.push({ type: 'listItem', content: [paragraph(block.runs), ...children] });
        break;
      }
      case 'paragraph':
        content.push(paragraph(block.runs), ...(block.children ? convert(block.children) : []));
        break;
      case 'heading':
        content.push({ type: 'heading', attrs: { level: block.level }, content: inline(block.runs) });
        break;
      case 'quote':
        content.push({ type: 'blockquote', content: [paragraph(block.runs)] });
        break;
      case 'code':
        content.push({
          type: 'codeBlock',
          attrs: { language: block.language },
          content: inline(block.runs.map((run) => ({ ...run, url: null, marks: {} }))),
        });
        break;
      case 'divider':
        content.push({ type: 'rule' });
        break;
      case 'table':
        break;
      default:
        block satisfies never;
    }
  }
  return content;
}
