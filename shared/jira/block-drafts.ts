// The parsers of both Jira formats build drafts without limits; `emit` alone applies Notion's limits
// (where the document is written), so both formats obey them the same way.
import { DOC_MARKS, type DocBlock, type DocMark, type DocMarks, type DocRun } from '../domain/doc-blocks.ts';
import {
  NOTION_MAX_NESTING_LEVELS,
  NOTION_RICH_TEXT_MAX_ITEMS,
  textPieces,
} from '../notion/notion-blocks.ts';

/** The blocks the converters make: text blocks and dividers (a Jira table becomes a paragraph per row). */
export type DraftType =
  | 'paragraph'
  | 'heading_1'
  | 'heading_2'
  | 'heading_3'
  | 'bulleted_list_item'
  | 'numbered_list_item'
  | 'to_do'
  | 'quote'
  | 'code'
  | 'divider';

/** What the converters may know beyond the text: display names of Jira account ids, for mentions. */
export type ConversionOptions = { readonly userNames?: ReadonlyMap<string, string> };

/** A block as a parser builds it: its runs and children before Notion's limits are applied. */
export type Draft = {
  readonly type: DraftType;
  readonly runs: readonly DocRun[];
  readonly children: readonly Draft[];
  readonly language?: string;
  readonly checked?: boolean;
};
/** The style a run of text is written in: its marks and link. */
export type Style = { readonly marks: DocMarks; readonly url: string | null };
/** Unstyled, unlinked text. */
export const PLAIN: Style = { marks: {}, url: null };

const HEADINGS = ['heading_1', 'heading_2', 'heading_3'] as const;
/** Notion has three heading levels: h4-h6 (and anything unreadable past h1) become heading_3. */
export const headingType = (level: number): DraftType =>
  HEADINGS[Math.min(Math.max(Number.isFinite(level) ? level : 1, 1), 3) - 1] ?? 'heading_3';

/** A draft of this type with these runs and children. */
export const draft = (type: DraftType, runs: readonly DocRun[], children: readonly Draft[] = []): Draft => ({
  type,
  runs,
  children,
});

/** A run of this content in this style. */
export function run(content: string, style: Style): DocRun {
  const hasMarks = Object.keys(style.marks).length > 0;
  return hasMarks ? { text: content, url: style.url, marks: style.marks } : { text: content, url: style.url };
}

// Marks in one fixed order, so that equal styles serialise equally and neighbouring runs merge.
function annotate(marks: DocMarks | undefined, flag: DocMark): DocMarks {
  const set = new Set([...DOC_MARKS.filter((name) => marks?.[name]), flag]);
  return Object.fromEntries(DOC_MARKS.filter((name) => set.has(name)).map((name) => [name, true]));
}

/** The style with one more mark. */
export const withAnnotation = (style: Style, flag: DocMark): Style => ({
  ...style,
  marks: annotate(style.marks, flag),
});

/** The style linking to `url`. */
export const withLink = (style: Style, url: string): Style => ({ ...style, url });

const sameStyle = (a: DocRun, b: DocRun): boolean =>
  a.url === b.url && JSON.stringify(a.marks ?? {}) === JSON.stringify(b.marks ?? {});

function withContent(item: DocRun, content: string): DocRun {
  return { ...item, text: content };
}

/** Merges neighbours of the same style, then splits contents longer than Notion's limit. */
function normaliseRuns(runs: readonly DocRun[]): DocRun[] {
  const merged: DocRun[] = [];
  for (const item of runs) {
    if (item.text === '') continue;
    const last = merged.at(-1);
    if (last !== undefined && sameStyle(last, item)) {
      merged[merged.length - 1] = withContent(last, last.text + item.text);
    } else {
      merged.push(item);
    }
  }
  return merged.flatMap((item) => textPieces(item.text).map((piece) => withContent(item, piece)));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [[]];
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

const CAN_HAVE_CHILDREN: ReadonlySet<DraftType> = new Set([
  'paragraph',
  'bulleted_list_item',
  'numbered_list_item',
  'to_do',
  'quote',
]);

/** Drafts as document blocks within Notion's limits, `level` being how deep below the top they start. */
export function emit(drafts: readonly Draft[], level: number): DocBlock[] {
  return drafts.flatMap((d) => {
    const chunks = chunk(normaliseRuns(d.runs), NOTION_RICH_TEXT_MAX_ITEMS);
    const keepsChildren = level < NOTION_MAX_NESTING_LEVELS && CAN_HAVE_CHILDREN.has(d.type);
    const children = keepsChildren ? emit(d.children, level + 1) : [];
    const blocks = chunks.map((runs, i) => {
      // A heading's overflow continues as paragraphs; other blocks continue as the same kind.
      const type = i > 0 && d.type.startsWith('heading_') ? 'paragraph' : d.type;
      return toBlock({ ...d, type }, runs, i === chunks.length - 1 ? children : []);
    });
    // Too deep for one request: the children follow their parent as siblings, text kept, order kept.
    return keepsChildren ? blocks : [...blocks, ...emit(d.children, level)];
  });
}

function toBlock(d: Draft, runs: readonly DocRun[], children: readonly DocBlock[]): DocBlock {
  const body = children.length > 0 ? { runs, children } : { runs };
  switch (d.type) {
    case 'paragraph':
      return { kind: 'paragraph', ...body };
    case 'heading_1':
      return { kind: 'heading', level: 1, runs };
    case 'heading_2':
      return { kind: 'heading', level: 2, runs };
    case 'heading_3':
      return { kind: 'heading', level: 3, runs };
    case 'bulleted_list_item':
      return { kind: 'bullet', ...body };
    case 'numbered_list_item':
      return { kind: 'numbered', ...body };
    case 'to_do':
      return { kind: 'todo', ...body, checked: d.checked ?? false };
    case 'quote':
      return { kind: 'quote', ...body };
    case 'code':
      return { kind: 'code', runs, language: d.language ?? 'plain text' };
    case 'divider':
      return { kind: 'divider' };
    default:
      return d.type satisfies never;
  }
}

/** A quote whose first paragraph is its own text and whose other blocks are its children. */
export function quoteOf(inner: readonly Draft[]): Draft {
  const [first, ...rest] = inner;
  if (first?.type === 'paragraph') return draft('quote', first.runs, [...first.children, ...rest]);
  return draft('quote', [], inner);
}

/** The run with one more mark. */
export function restyle(item: DocRun, flag: DocMark): DocRun {
  return { ...item, marks: annotate(item.marks, flag) };
}
