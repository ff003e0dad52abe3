// The parsers of both Jira formats build drafts without limits; `emit` alone applies Notion's limits, so
// both formats obey them the same way.
import {
  NOTION_MAX_NESTING_LEVELS,
  NOTION_RICH_TEXT_MAX_ITEMS,
  type NotionAnnotations,
  type NotionBlock,
  type NotionBlockType,
  type NotionCodeLanguage,
  type NotionRichText,
  textPieces,
} from '../notion/notion-blocks.ts';

/** The blocks the converters make: text blocks and dividers (a Jira table becomes a paragraph per row). */
export type DraftType = Exclude<NotionBlockType, 'table' | 'table_row'>;

/** What the converters may know beyond the text: display names of Jira account ids, for mentions. */
export type ConversionOptions = { readonly userNames?: ReadonlyMap<string, string> };

/** A block as a parser builds it: its runs and children before Notion's limits are applied. */
export type Draft = {
  readonly type: DraftType;
  readonly runs: readonly NotionRichText[];
  readonly children: readonly Draft[];
  readonly language?: NotionCodeLanguage;
  readonly checked?: boolean;
};
/** The style a run of text is written in: its annotations and link. */
export type Style = { readonly annotations: NotionAnnotations; readonly url: string | null };
/** Unstyled, unlinked text. */
export const PLAIN: Style = { annotations: {}, url: null };

const HEADINGS = ['heading_1', 'heading_2', 'heading_3'] as const;
/** Notion has three heading levels: h4-h6 (and anything unreadable past h1) become heading_3. */
export const headingType = (level: number): DraftType =>
  HEADINGS[Math.min(Math.max(Number.isFinite(level) ? level : 1, 1), 3) - 1] ?? 'heading_3';

/** A draft of this type with these runs and children. */
export const draft = (
  type: DraftType,
  runs: readonly NotionRichText[],
  children: readonly Draft[] = [],
): Draft => ({
  type,
  runs,
  children,
});

/** A rich-text item of this content in this style. */
export function run(content: string, style: Style): NotionRichText {
  const link = style.url === null ? null : { url: style.url };
  const hasAnnotations = Object.keys(style.annotations).length > 0;
  return hasAnnotations
    ? { type: 'text', text: { content, link }, annotations: style.annotations }
    : { type: 'text', text: { content, link } };
}

const ANNOTATION_FLAGS = ['bold', 'italic', 'strikethrough', 'underline', 'code'] as const;

// Flags in one fixed order, so that equal styles serialise equally and neighbouring runs merge.
function annotate(
  annotations: NotionAnnotations | undefined,
  flag: keyof NotionAnnotations,
): NotionAnnotations {
  const set = new Set([...ANNOTATION_FLAGS.filter((name) => annotations?.[name]), flag]);
  return Object.fromEntries(ANNOTATION_FLAGS.filter((name) => set.has(name)).map((name) => [name, true]));
}

/** The style with one more annotation. */
export const withAnnotation = (style: Style, flag: keyof NotionAnnotations): Style => ({
  ...style,
  annotations: annotate(style.annotations, flag),
});

/** The style linking to `url`. */
export const withLink = (style: Style, url: string): Style => ({ ...style, url });

const sameStyle = (a: NotionRichText, b: NotionRichText): boolean =>
  a.text.link?.url === b.text.link?.url &&
  JSON.stringify(a.annotations ?? {}) === JSON.stringify(b.annotations ?? {});

function withContent(item: NotionRichText, content: string): NotionRichText {
  return { ...item, text: { ...item.text, content } };
}

/** Merges neighbours of the same style, then splits contents longer than Notion's limit. */
function normaliseRuns(runs: readonly NotionRichText[]): NotionRichText[] {
  const merged: NotionRichText[] = [];
  for (const item of runs) {
    if (item.text.content === '') continue;
    const last = merged.at(-1);
    if (last !== undefined && sameStyle(last, item)) {
      merged[merged.length - 1] = withContent(last, last.text.content + item.text.content);
    } else {
      merged.push(item);
    }
  }
  return merged.flatMap((item) => textPieces(item.text.content).map((piece) => withContent(item, piece)));
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

/** Drafts as Notion blocks within Notion's limits, `level` being how deep below the top they start. */
export function emit(drafts: readonly Draft[], level: number): NotionBlock[] {
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

function toBlock(
  d: Draft,
  rich_text: readonly NotionRichText[],
  children: readonly NotionBlock[],
): NotionBlock {
  const body = children.length > 0 ? { rich_text, children } : { rich_text };
  switch (d.type) {
    case 'paragraph':
      return { type: 'paragraph', paragraph: body };
    case 'heading_1':
      return { type: 'heading_1', heading_1: { rich_text } };
    case 'heading_2':
      return { type: 'heading_2', heading_2: { rich_text } };
    case 'heading_3':
      return { type: 'heading_3', heading_3: { rich_text } };
    case 'bulleted_list_item':
      return { type: 'bulleted_list_item', bulleted_list_item: body };
    case 'numbered_list_item':
      return { type: 'numbered_list_item', numbered_list_item: body };
    case 'to_do':
      return { type: 'to_do', to_do: { ...body, checked: d.checked ?? false } };
    case 'quote':
      return { type: 'quote', quote: body };
    case 'code':
      return { type: 'code', code: { rich_text, language: d.language ?? 'plain text' } };
    case 'divider':
      return { type: 'divider', divider: {} };
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

/** The rich-text item with one more annotation. */
export function restyle(item: NotionRichText, flag: keyof NotionAnnotations): NotionRichText {
  return { ...item, annotations: annotate(item.annotations, flag) };
}
