import * as z from 'zod/mini';
import type { DocBlock, DocRun } from '../domain/doc-blocks.ts';
import { isLinkableUrl, notionCodeLanguage } from '../notion/notion-blocks.ts';
import {
  type ConversionOptions,
  type Draft,
  type DraftType,
  draft,
  emit,
  headingType,
  PLAIN,
  quoteOf,
  restyle,
  run,
  type Style,
  withAnnotation,
  withLink,
} from './block-drafts.ts';

const adfNode = z.object({
  type: z.string(),
  text: z.optional(z.string()),
  attrs: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  marks: z.optional(z.nullable(z.array(z.unknown()))),
  content: z.optional(z.nullable(z.array(z.unknown()))),
});
type AdfNode = z.infer<typeof adfNode>;
const adfMark = z.object({
  type: z.string(),
  attrs: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

/** Converts an Atlassian Document Format document into document blocks within Notion's limits; unknown nodes keep their text. */
export function adfToDocBlocks(doc: unknown, options: ConversionOptions = {}): DocBlock[] {
  return emit(adfBlocks([doc], options), 0);
}

const INLINE_NODES: ReadonlySet<string> = new Set([
  'text',
  'hardBreak',
  'mention',
  'emoji',
  'inlineCard',
  'date',
  'status',
  'mediaInline',
  'placeholder',
  'inlineExtension',
]);

const attr = (node: AdfNode, key: string): string | undefined => {
  const value = node.attrs?.[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};
const contentOf = (node: AdfNode): readonly unknown[] => node.content ?? [];

function parseNode(value: unknown): AdfNode | null {
  if (typeof value === 'string') return { type: 'text', text: value };
  const parsed = adfNode.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function adfBlocks(values: readonly unknown[], options: ConversionOptions): Draft[] {
  const out: Draft[] = [];
  let pending: DocRun[] = [];
  const flush = () => {
    if (pending.some((item) => item.text.trim() !== '')) out.push(draft('paragraph', pending));
    pending = [];
  };
  for (const value of values) {
    const node = parseNode(value);
    if (node === null) continue;
    if (INLINE_NODES.has(node.type)) {
      pending.push(...adfInline(node, PLAIN, options));
      continue;
    }
    flush();
    out.push(...adfBlock(node, options));
  }
  flush();
  return out;
}

function adfBlock(node: AdfNode, options: ConversionOptions): Draft[] {
  const inlines = () => adfInlines(contentOf(node), PLAIN, options);
  switch (node.type) {
    case 'paragraph': {
      const runs = inlines();
      return runs.some((item) => item.text !== '') ? [draft('paragraph', runs)] : [];
    }
    case 'heading': {
      return [draft(headingType(Number(attr(node, 'level'))), inlines())];
    }
    case 'bulletList':
    case 'orderedList':
    case 'decisionList': {
      const type = node.type === 'orderedList' ? 'numbered_list_item' : 'bulleted_list_item';
      return contentOf(node).flatMap((value) => {
        const item = parseNode(value);
        if (item === null) return [];
        return item.type === 'listItem' || item.type === 'decisionItem'
          ? [listItem(type, item, options)]
          : adfBlocks([value], options);
      });
    }
    case 'listItem':
    case 'decisionItem':
      return [listItem('bulleted_list_item', node, options)];
    case 'taskList':
      return adfBlocks(contentOf(node), options);
    case 'taskItem':
      return [{ ...draft('to_do', inlines()), checked: attr(node, 'state') === 'DONE' }];
    case 'codeBlock':
      return [
        {
          ...draft('code', [run(textContent(node), PLAIN)]),
          language: notionCodeLanguage(attr(node, 'language')),
        },
      ];
    case 'blockquote':
    case 'panel':
      return [quoteOf(adfBlocks(contentOf(node), options))];
    case 'rule':
      return [draft('divider', [])];
    case 'table':
      return contentOf(node).flatMap((row) => {
        const parsed = parseNode(row);
        return parsed === null ? [] : [draft('paragraph', adfTableRow(parsed, options))];
      });
    case 'media': {
      const name = attr(node, 'alt') ?? attr(node, 'filename');
      const url = attr(node, 'url');
      const style = url !== undefined && isLinkableUrl(url) ? withLink(PLAIN, url) : PLAIN;
      return [draft('paragraph', [run(name ? `[attachment: ${name}]` : '[attachment]', style)])];
    }
    case 'blockCard':
    case 'embedCard': {
      const url = attr(node, 'url');
      return url === undefined ? [] : [draft('paragraph', [linkRun(url, PLAIN)])];
    }
    case 'expand':
    case 'nestedExpand': {
      const title = attr(node, 'title');
      const heading = title ? [draft('paragraph', [run(title, withAnnotation(PLAIN, 'bold'))])] : [];
      return [...heading, ...adfBlocks(contentOf(node), options)];
    }
    default: {
      // Unknown block (doc, layouts, extensions, ones Atlassian adds later): keep whatever text it holds.
      if (node.content) return adfBlocks(node.content, options);
      const text = node.text ?? attr(node, 'text');
      return text ? [draft('paragraph', [run(text, PLAIN)])] : [];
    }
  }
}

function listItem(type: DraftType, node: AdfNode, options: ConversionOptions): Draft {
  const inner = adfBlocks(contentOf(node), options);
  const [first, ...rest] = inner;
  return first?.type === 'paragraph'
    ? draft(type, first.runs, [...first.children, ...rest])
    : draft(type, [], inner);
}

function adfTableRow(row: AdfNode, options: ConversionOptions): DocRun[] {
  const cells = row.content ? row.content : [];
  return cells.flatMap((value, i) => {
    const cell = parseNode(value);
    if (cell === null) return [];
    const style = cell.type === 'tableHeader' ? withAnnotation(PLAIN, 'bold') : PLAIN;
    const blocks = adfBlocks(contentOf(cell), options);
    const text = blocks.flatMap((block, j) => [
      ...(j > 0 ? [run('\n', PLAIN)] : []),
      ...block.runs.map((item) => (style === PLAIN ? item : restyle(item, 'bold'))),
    ]);
    return [...(i > 0 ? [run(' | ', PLAIN)] : []), ...text];
  });
}

function linkRun(url: string, style: Style): DocRun {
  return run(url, isLinkableUrl(url) ? withLink(style, url) : style);
}

function textContent(node: AdfNode): string {
  if (node.text !== undefined) return node.text;
  if (node.type === 'hardBreak') return '\n';
  return contentOf(node)
    .map((value) => {
      const child = parseNode(value);
      return child === null ? '' : textContent(child);
    })
    .join('');
}

function adfInlines(values: readonly unknown[], style: Style, options: ConversionOptions): DocRun[] {
  return values.flatMap((value) => {
    const node = parseNode(value);
    return node === null ? [] : adfInline(node, style, options);
  });
}

function adfInline(node: AdfNode, style: Style, options: ConversionOptions): DocRun[] {
  switch (node.type) {
    case 'text':
      return node.text ? [run(node.text, markedStyle(node, style))] : [];
    case 'hardBreak':
      return [run('\n', style)];
    case 'mention': {
      const id = attr(node, 'id') ?? '';
      const name = attr(node, 'text') ?? options.userNames?.get(id) ?? id;
      return [run(name.startsWith('@') ? name : `@${name}`, style)];
    }
    case 'emoji': {
      const emoji = attr(node, 'text') ?? attr(node, 'shortName');
      return emoji ? [run(emoji, style)] : [];
    }
    case 'inlineCard': {
      const url = attr(node, 'url');
      return url === undefined ? [] : [linkRun(url, style)];
    }
    case 'date': {
      const timestamp = Number(attr(node, 'timestamp'));
      return Number.isFinite(timestamp) ? [run(new Date(timestamp).toISOString().slice(0, 10), style)] : [];
    }
    case 'mediaInline':
      return [run('[attachment]', style)];
    default: {
      if (node.content) return adfInlines(node.content, style, options);
      const text = node.text ?? attr(node, 'text');
      return text ? [run(text, style)] : [];
    }
  }
}

function markedStyle(node: AdfNode, base: Style): Style {
  let style = base;
  for (const value of node.marks ?? []) {
    const mark = adfMark.safeParse(value);
    if (!mark.success) continue;
    const href = mark.data.attrs?.href;
    switch (mark.data.type) {
      case 'strong':
        style = withAnnotation(style, 'bold');
        break;
      case 'em':
        style = withAnnotation(style, 'italic');
        break;
      case 'strike':
        style = withAnnotation(style, 'strikethrough');
        break;
      case 'underline':
        style = withAnnotation(style, 'underline');
        break;
      case 'code':
        style = withAnnotation(style, 'code');
        break;
      case 'link':
        if (typeof href === 'string' && isLinkableUrl(href)) style = withLink(style, href);
        break;
      default:
        break;
    }
  }
  return style;
}
