import { OUTLINE_SECTIONS } from '../domain/postmortem-outline.ts';
import {
  isLinkableUrl,
  NOTION_RICH_TEXT_MAX_ITEMS,
  type NotionAnnotations,
  type NotionBlock,
  type NotionCodeLanguage,
  type NotionRichText,
  notionCodeLanguage,
  richTextOf,
  textPieces,
} from '../notion/notion-blocks.ts';
import { notionBlocksOf } from '../notion/notion-document.ts';
import type { PostmortemDraft } from '../ports.ts';
import { type BlockAnswer, BlockContentAnswer, type RichTextAnswer } from './notion-answers.ts';
import { parseNotionAnswer } from './notion-call.ts';
import { CAN_HAVE_CHILDREN, withChildren } from './notion-request-blocks.ts';

/** A block of the template page as read, with its children. */
export interface TemplateBlock {
  readonly type: string;
  readonly content: BlockContentAnswer;
  readonly children: readonly TemplateBlock[];
}

/** Blocks whose children are another page's body, not part of the template. */
const OTHER_PAGES: ReadonlySet<string> = new Set(['child_page', 'child_database']);
/** Layout blocks without text of their own: their children take their place. */
const UNWRAPPED: ReadonlySet<string> = new Set(['table', 'column_list', 'column', 'synced_block']);

const ANNOTATION_FLAGS = ['bold', 'italic', 'strikethrough', 'underline', 'code'] as const;

/** A response rich-text item as a request one: mentions and equations become their text; colours are dropped. */
function requestRun(item: RichTextAnswer): NotionRichText {
  const url = item.text?.link?.url ?? item.href ?? null;
  const link = url !== null && isLinkableUrl(url) ? { url } : null;
  const flags = ANNOTATION_FLAGS.filter((flag) => item.annotations?.[flag] === true);
  const annotations: NotionAnnotations = Object.fromEntries(flags.map((flag) => [flag, true]));
  const text = { content: item.text?.content ?? item.plain_text, link };
  return flags.length > 0 ? { type: 'text', text, annotations } : { type: 'text', text };
}

const styleOf = (run: NotionRichText) => JSON.stringify([run.text.link, run.annotations ?? {}]);

/** Joins neighbours of one style, so a placeholder Notion stored across two items is still found. */
function mergeRuns(runs: readonly NotionRichText[]): NotionRichText[] {
  const merged: NotionRichText[] = [];
  for (const run of runs) {
    const last = merged.at(-1);
    if (last !== undefined && styleOf(last) === styleOf(run))
      merged[merged.length - 1] = {
        ...last,
        text: { ...last.text, content: last.text.content + run.text.content },
      };
    else merged.push(run);
  }
  return merged;
}

/** Cuts contents to Notion's 2,000 characters per item, never between the halves of a surrogate pair. */
function splitRuns(runs: readonly NotionRichText[]): NotionRichText[] {
  return runs.flatMap((run) =>
    textPieces(run.text.content).map((content) => ({ ...run, text: { ...run.text, content } })),
  );
}

type TextShape =
  | { readonly type: 'paragraph' | 'heading_1' | 'heading_2' | 'heading_3' }
  | { readonly type: 'bulleted_list_item' | 'numbered_list_item' | 'quote' }
  | { readonly type: 'to_do'; readonly checked: boolean }
  | { readonly type: 'code'; readonly language: NotionCodeLanguage };

function textBlock(shape: TextShape, rich_text: readonly NotionRichText[]): NotionBlock {
  switch (shape.type) {
    case 'paragraph':
      return { type: shape.type, paragraph: { rich_text } };
    case 'heading_1':
      return { type: shape.type, heading_1: { rich_text } };
    case 'heading_2':
      return { type: shape.type, heading_2: { rich_text } };
    case 'heading_3':
      return { type: shape.type, heading_3: { rich_text } };
    case 'bulleted_list_item':
      return { type: shape.type, bulleted_list_item: { rich_text } };
    case 'numbered_list_item':
      return { type: shape.type, numbered_list_item: { rich_text } };
    case 'quote':
      return { type: shape.type, quote: { rich_text } };
    case 'to_do':
      return { type: shape.type, to_do: { rich_text, checked: shape.checked } };
    case 'code':
      return { type: shape.type, code: { rich_text, language: shape.language } };
    default:
      return shape satisfies never;
  }
}

/**
 * A block of this shape holding these runs and children, within Notion's limits: past 100 items the
 * text continues in blocks of the same kind (a heading's in paragraphs), the children under the last;
 * a block that cannot have children (a heading, code) is followed by them instead.
 */
function blocksOf(
  shape: TextShape,
  runs: readonly NotionRichText[],
  children: readonly NotionBlock[],
): NotionBlock[] {
  const items = splitRuns(runs.filter((run) => run.text.content !== ''));
  const pieceCount = Math.max(1, Math.ceil(items.length / NOTION_RICH_TEXT_MAX_ITEMS));
  const blocks = Array.from({ length: pieceCount }, (_, i) =>
    textBlock(
      i > 0 && shape.type.startsWith('heading_') ? { type: 'paragraph' } : shape,
      items.slice(i * NOTION_RICH_TEXT_MAX_ITEMS, (i + 1) * NOTION_RICH_TEXT_MAX_ITEMS),
    ),
  );
  const last = blocks.pop() ?? textBlock(shape, []);
  return CAN_HAVE_CHILDREN.has(last.type) && children.length > 0
    ? [...blocks, withChildren(last, children)]
    : [...blocks, last, ...children];
}

/** The placeholders a template page may hold in its text; each is replaced by the draft's value. */
export const TEMPLATE_PLACEHOLDERS = [
  'incident.key',
  'incident.summary',
  'incident.severity',
  'incident.start',
  'incident.resolved',
  'incident.time_to_resolve',
  'incident.time_to_acknowledge',
  'incident.jira_url',
] as const;
type Placeholder = (typeof TEMPLATE_PLACEHOLDERS)[number];
const isPlaceholder = (name: string): name is Placeholder =>
  (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name);
const PLACEHOLDER = /\{\{\s*([a-z_.]+)\s*\}\}/g;

/** The placeholders standing for a whole section of the draft, by the heading_2 the section has in it. */
const SECTION_PLACEHOLDERS = {
  timeline: OUTLINE_SECTIONS.timeline,
  stage_durations: OUTLINE_SECTIONS.stageTimes,
  summary: OUTLINE_SECTIONS.summary,
} as const;
type SectionName = keyof typeof SECTION_PLACEHOLDERS;
const SECTION_PLACEHOLDER = /^\s*\{\{\s*(timeline|stage_durations|summary)\s*\}\}\s*$/;
/** The built-in outline's sections: one ends where the next of these begins (a heading_2 of the description does not end it). */
const OUTLINE_HEADINGS: ReadonlySet<string> = new Set(Object.values(OUTLINE_SECTIONS));

const headingTextOf = (block: NotionBlock) =>
  block.type === 'heading_2'
    ? richTextOf(block)
        .map((run) => run.text.content)
        .join('')
        .trim()
    : null;
const isGuidance = (block: NotionBlock) =>
  block.type === 'paragraph' &&
  block.paragraph.rich_text.length > 0 &&
  block.paragraph.rich_text.every((run) => run.annotations?.italic === true);

/**
 * A section of the draft: the blocks after its first heading_2 with this title, up to the next of the
 * outline's headings, without the italic guidance line that opens it; none if the draft has no such heading.
 */
function sectionOf(blocks: readonly NotionBlock[], title: string): readonly NotionBlock[] {
  const start = blocks.findIndex((block) => headingTextOf(block) === title);
  if (start < 0) return [];
  const rest = blocks.slice(start + 1);
  const end = rest.findIndex((block) => OUTLINE_HEADINGS.has(headingTextOf(block) ?? ''));
  const section = end < 0 ? rest : rest.slice(0, end);
  return section[0] !== undefined && isGuidance(section[0]) ? section.slice(1) : section;
}

/** What a template page's placeholders are filled with. */
export interface Filling {
  readonly values: Readonly<Record<Placeholder, { readonly text: string; readonly url: string | null }>>;
  readonly sections: Readonly<Record<SectionName, readonly NotionBlock[]>>;
}

/** The values and sections of the draft that fill a template page's placeholders. */
export function fillingOf(draft: PostmortemDraft, timeZone: string): Filling {
  const clock = (ms: number) =>
    `${new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(ms)} ${timeZone}`;
  const prefix = `${draft.incidentKey}: `;
  const blocks = notionBlocksOf(draft.blocks);
  const value = (text: string, url: string | null = null) => ({ text, url });
  return {
    values: {
      'incident.key': value(draft.incidentKey),
      'incident.summary': value(
        draft.title.startsWith(prefix) ? draft.title.slice(prefix.length) : draft.title,
      ),
      'incident.severity': value(draft.severity ?? 'not set'),
      'incident.start': value(clock(draft.incidentStartMs)),
      'incident.resolved': value(draft.resolvedAtMs === null ? 'not resolved' : clock(draft.resolvedAtMs)),
      'incident.time_to_resolve': value(draft.timeToResolve ?? 'not resolved'),
      'incident.time_to_acknowledge': value(draft.timeToAcknowledge ?? 'never acknowledged'),
      'incident.jira_url': value(draft.jiraUrl ?? 'no Jira link', draft.jiraUrl),
    },
    sections: {
      timeline: sectionOf(blocks, SECTION_PLACEHOLDERS.timeline),
      stage_durations: sectionOf(blocks, SECTION_PLACEHOLDERS.stage_durations),
      summary: sectionOf(blocks, SECTION_PLACEHOLDERS.summary),
    },
  };
}

/** Replaces the known placeholders in each run, in its style; a link value links where the run did not. */
function fillRuns(runs: readonly NotionRichText[], filling: Filling): NotionRichText[] {
  return mergeRuns(runs).flatMap((run) => {
    const filled: NotionRichText[] = [];
    const piece = (content: string, url: string | null = null): NotionRichText => ({
      ...run,
      text: { content, link: run.text.link ?? (url !== null && isLinkableUrl(url) ? { url } : null) },
    });
    let at = 0;
    for (const match of run.text.content.matchAll(PLACEHOLDER)) {
      const name = match[1] ?? '';
      if (!isPlaceholder(name)) continue;
      filled.push(piece(run.text.content.slice(at, match.index)));
      filled.push(piece(filling.values[name].text, filling.values[name].url));
      at = match.index + match[0].length;
    }
    filled.push(piece(run.text.content.slice(at)));
    return mergeRuns(filled.filter((item) => item.text.content !== ''));
  });
}

/** The text of a block we have no counterpart for: its text, caption, title or formula, and its link. */
function textOfOther(block: TemplateBlock): NotionRichText[] {
  const { content } = block;
  const runs = (content.rich_text ?? content.caption ?? []).map(requestRun);
  const own = content.title ?? content.expression;
  if (own !== undefined && own !== '') runs.push({ type: 'text', text: { content: own, link: null } });
  const url = content.url ?? content.external?.url ?? content.file?.url;
  if (url !== undefined && url !== '') {
    if (runs.length > 0) runs.push({ type: 'text', text: { content: ' ', link: null } });
    runs.push({ type: 'text', text: { content: url, link: isLinkableUrl(url) ? { url } : null } });
  }
  // Never dropped: a block without any text still says what stood there.
  return runs.length > 0
    ? runs
    : [{ type: 'text', text: { content: `[${block.type.replaceAll('_', ' ')}]`, link: null } }];
}

const CELL_SEPARATOR: NotionRichText = { type: 'text', text: { content: ' | ', link: null } };

/**
 * A template page's block as request blocks, placeholders filled. Kept as they are: paragraphs,
 * headings, list items, to-dos, quotes, code and dividers; a toggle becomes a paragraph and a callout
 * a quote, children kept; a table row becomes a paragraph of its cells joined by " | "; tables, columns
 * and synced blocks give way to their children; any other block becomes a paragraph of its text (see
 * `textOfOther`). A paragraph whose only text is {{timeline}}, {{stage_durations}} or {{summary}} is
 * replaced by that section of the draft.
 */
export function fillBlock(block: TemplateBlock, filling: Filling): NotionBlock[] {
  const children = block.children.flatMap((child) => fillBlock(child, filling));
  const runs = () => fillRuns((block.content.rich_text ?? []).map(requestRun), filling);
  switch (block.type) {
    case 'paragraph': {
      const text = (block.content.rich_text ?? []).map((item) => item.plain_text).join('');
      const section = SECTION_PLACEHOLDER.exec(text)?.[1] as SectionName | undefined;
      return section === undefined
        ? blocksOf({ type: 'paragraph' }, runs(), children)
        : [...filling.sections[section], ...children];
    }
    case 'heading_1':
    case 'heading_2':
    case 'heading_3':
    case 'bulleted_list_item':
    case 'numbered_list_item':
    case 'quote':
      return blocksOf({ type: block.type }, runs(), children);
    case 'to_do':
      return blocksOf({ type: 'to_do', checked: block.content.checked ?? false }, runs(), children);
    case 'code':
      return blocksOf(
        { type: 'code', language: notionCodeLanguage(block.content.language) },
        runs(),
        children,
      );
    case 'divider':
      return [{ type: 'divider', divider: {} }, ...children];
    case 'toggle':
      return blocksOf({ type: 'paragraph' }, runs(), children);
    case 'callout':
      return blocksOf({ type: 'quote' }, runs(), children);
    case 'table_row': {
      const cells = (block.content.cells ?? []).map((cell) => cell.map(requestRun));
      const joined = cells.flatMap((cell, i) => (i === 0 ? cell : [CELL_SEPARATOR, ...cell]));
      return blocksOf({ type: 'paragraph' }, fillRuns(joined, filling), children);
    }
    default:
      return UNWRAPPED.has(block.type)
        ? children
        : blocksOf({ type: 'paragraph' }, fillRuns(textOfOther(block), filling), children);
  }
}

/**
 * A template page's blocks, children read wherever Notion says a block has some (not those of a child
 * page or database); `listChildren` lists every page of a block's children.
 */
export async function readTemplatePage(
  pageId: string,
  listChildren: (blockId: string, what: string) => Promise<readonly BlockAnswer[]>,
  blockId = pageId,
): Promise<TemplateBlock[]> {
  const what = `reading the postmortem template page ${pageId}`;
  const blocks: TemplateBlock[] = [];
  for (const block of await listChildren(blockId, what)) {
    const content = parseNotionAnswer(BlockContentAnswer, block[block.type] ?? {}, what);
    const hasOwnChildren = block.has_children && !OTHER_PAGES.has(block.type);
    const children = hasOwnChildren ? await readTemplatePage(pageId, listChildren, block.id) : [];
    blocks.push({ type: block.type, content, children });
  }
  return blocks;
}
