import * as z from 'zod/mini';

/** Notion rejects a rich-text item whose `text.content` is longer than this (UTF-16 code units). */
export const NOTION_TEXT_MAX_LENGTH = 2000;
/** Notion rejects a link URL longer than this; such links are kept as plain text. */
export const NOTION_URL_MAX_LENGTH = 2000;
/** Notion rejects a `rich_text` array with more items than this. */
export const NOTION_RICH_TEXT_MAX_ITEMS = 100;
/** Levels of `children` Notion accepts below the top-level blocks of one request. */
export const NOTION_MAX_NESTING_LEVELS = 2;

/** The code-block languages Notion accepts; anything else is sent as 'plain text'. */
// biome-ignore format: one long list reads better packed
export const NOTION_CODE_LANGUAGES = [
  'abap', 'abc', 'agda', 'arduino', 'ascii art', 'assembly', 'bash', 'basic', 'bnf', 'c', 'c#', 'c++',
  'clojure', 'coffeescript', 'coq', 'css', 'dart', 'dhall', 'diff', 'docker', 'ebnf', 'elixir', 'elm',
  'erlang', 'f#', 'flow', 'fortran', 'gherkin', 'glsl', 'go', 'graphql', 'groovy', 'haskell', 'hcl',
  'html', 'idris', 'java', 'javascript', 'json', 'julia', 'kotlin', 'latex', 'less', 'lisp', 'livescript',
  'llvm ir', 'lua', 'makefile', 'markdown', 'markup', 'matlab', 'mathematica', 'mermaid', 'nix',
  'notion formula', 'objective-c', 'ocaml', 'pascal', 'perl', 'php', 'plain text', 'powershell', 'prolog',
  'protobuf', 'purescript', 'python', 'r', 'racket', 'reason', 'ruby', 'rust', 'sass', 'scala', 'scheme',
  'scss', 'shell', 'smalltalk', 'solidity', 'sql', 'swift', 'toml', 'typescript', 'vb.net', 'verilog',
  'vhdl', 'visual basic', 'webassembly', 'xml', 'yaml', 'java/c/c++/c#',
] as const;
export type NotionCodeLanguage = (typeof NOTION_CODE_LANGUAGES)[number];

/** Text styles, as in Notion's `annotations`; only the flags that are set are present. */
export type NotionAnnotations = {
  readonly bold?: true;
  readonly italic?: true;
  readonly strikethrough?: true;
  readonly underline?: true;
  readonly code?: true;
};

/** One rich-text item of Notion's request JSON. */
export type NotionRichText = {
  readonly type: 'text';
  readonly text: { readonly content: string; readonly link: { readonly url: string } | null };
  readonly annotations?: NotionAnnotations;
};

type RichTextOnly = { readonly rich_text: readonly NotionRichText[] };
type RichTextWithChildren = RichTextOnly & { readonly children?: readonly NotionBlock[] };

/** A row of a table: one rich-text array per cell, as many cells as the table is wide. */
export type NotionTableRow = {
  readonly type: 'table_row';
  readonly table_row: { readonly cells: readonly (readonly NotionRichText[])[] };
};

/**
 * A table with its rows: Notion takes a table only with at least one row, each of `table_width` cells,
 * and never changes its width afterwards.
 */
export type NotionTable = {
  readonly type: 'table';
  readonly table: {
    readonly table_width: number;
    readonly has_column_header: boolean;
    readonly has_row_header: boolean;
    readonly children: readonly NotionTableRow[];
  };
};

/** A block as sent in `children` of pages.create or blocks.children.append. */
export type NotionBlock =
  | { readonly type: 'paragraph'; readonly paragraph: RichTextWithChildren }
  | { readonly type: 'heading_1'; readonly heading_1: RichTextOnly }
  | { readonly type: 'heading_2'; readonly heading_2: RichTextOnly }
  | { readonly type: 'heading_3'; readonly heading_3: RichTextOnly }
  | { readonly type: 'bulleted_list_item'; readonly bulleted_list_item: RichTextWithChildren }
  | { readonly type: 'numbered_list_item'; readonly numbered_list_item: RichTextWithChildren }
  | { readonly type: 'to_do'; readonly to_do: RichTextWithChildren & { readonly checked: boolean } }
  | { readonly type: 'quote'; readonly quote: RichTextWithChildren }
  | { readonly type: 'code'; readonly code: RichTextOnly & { readonly language: NotionCodeLanguage } }
  | { readonly type: 'divider'; readonly divider: Record<string, never> }
  | NotionTable
  | NotionTableRow;

export type NotionBlockType = NotionBlock['type'];

/**
 * A block as one request carries it: children at most NOTION_MAX_NESTING_LEVELS below the top, and no
 * table at the deepest level (its rows would be a level too deep). Adapters cut blocks to this shape.
 */
export type NotionRequestBlock = RequestBlockAt<NotionBlock, 1>;
type RequestBlockAt<B, Level extends 1 | 2 | 3> = B extends NotionBlock
  ? { readonly [K in keyof B]: K extends 'type' ? B[K] : RequestBodyAt<B[K], Level> }
  : never;
type RequestBodyAt<T, Level extends 1 | 2 | 3> = {
  readonly [K in keyof T]: K extends 'children' ? RequestChildrenAt<T[K], Level> : T[K];
};
type RequestChildrenAt<C, Level extends 1 | 2 | 3> = C extends readonly (infer Child)[]
  ? Level extends 1
    ? readonly RequestBlockAt<Child, 2>[]
    : Level extends 2
      ? readonly RequestBlockAt<Exclude<Child, NotionTable>, 3>[]
      : never
  : C;
/** The blocks the converters make: text blocks and dividers (a Jira table becomes a paragraph per row). */
type DraftType = Exclude<NotionBlockType, 'table' | 'table_row'>;

/** What the converters may know beyond the text: display names of Jira account ids, for mentions. */
export type ConversionOptions = { readonly userNames?: ReadonlyMap<string, string> };

// The parsers build drafts without limits; `emit` alone applies Notion's limits, so both formats obey them.
type Draft = {
  readonly type: DraftType;
  readonly runs: readonly NotionRichText[];
  readonly children: readonly Draft[];
  readonly language?: NotionCodeLanguage;
  readonly checked?: boolean;
};
type Style = { readonly annotations: NotionAnnotations; readonly url: string | null };
const PLAIN: Style = { annotations: {}, url: null };

const HEADINGS = ['heading_1', 'heading_2', 'heading_3'] as const;
/** Notion has three heading levels: h4-h6 (and anything unreadable past h1) become heading_3. */
const headingType = (level: number): DraftType =>
  HEADINGS[Math.min(Math.max(Number.isFinite(level) ? level : 1, 1), 3) - 1] ?? 'heading_3';

const draft = (type: DraftType, runs: readonly NotionRichText[], children: readonly Draft[] = []): Draft => ({
  type,
  runs,
  children,
});

function run(content: string, style: Style): NotionRichText {
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

const withAnnotation = (style: Style, flag: keyof NotionAnnotations): Style => ({
  ...style,
  annotations: annotate(style.annotations, flag),
});

const withLink = (style: Style, url: string): Style => ({ ...style, url });

/** True for URLs Notion accepts as a link: absolute web or mail addresses within its length limit. */
export function isLinkableUrl(url: string): boolean {
  return url.length <= NOTION_URL_MAX_LENGTH && /^(https?:\/\/|ftp:\/\/|mailto:)\S+$/i.test(url);
}

const LANGUAGE_ALIASES: Readonly<Record<string, NotionCodeLanguage>> = {
  cpp: 'c++',
  csharp: 'c#',
  cs: 'c#',
  fsharp: 'f#',
  js: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  sh: 'shell',
  zsh: 'shell',
  console: 'shell',
  py: 'python',
  rb: 'ruby',
  kt: 'kotlin',
  yml: 'yaml',
  objc: 'objective-c',
  objectivec: 'objective-c',
  visualbasic: 'visual basic',
  vb: 'visual basic',
  vbnet: 'vb.net',
  dockerfile: 'docker',
  golang: 'go',
  ps1: 'powershell',
  proto: 'protobuf',
  tex: 'latex',
  md: 'markdown',
  terraform: 'hcl',
  plaintext: 'plain text',
  text: 'plain text',
  txt: 'plain text',
  none: 'plain text',
};

/** Notion's name for a Jira or ADF code language; unknown or missing languages become 'plain text'. */
export function notionCodeLanguage(language: string | undefined): NotionCodeLanguage {
  const name = (language ?? '').trim().toLowerCase();
  const known = NOTION_CODE_LANGUAGES.find((candidate) => candidate === name);
  return known ?? LANGUAGE_ALIASES[name] ?? 'plain text';
}

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
  return merged.flatMap((item) =>
    splitText(item.text.content, NOTION_TEXT_MAX_LENGTH).map((piece) => withContent(item, piece)),
  );
}

/** Cuts text into pieces of at most `max` UTF-16 units, never between the halves of a surrogate pair. */
function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > max) {
    let end = start + max;
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  pieces.push(text.slice(start));
  return pieces;
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

function emit(drafts: readonly Draft[], level: number): NotionBlock[] {
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

/** The rich text of a block; empty for a divider, a table and a table row (whose text is in its cells). */
export function richTextOf(block: NotionBlock): readonly NotionRichText[] {
  const body = bodyOf(block);
  return body === null ? [] : body.rich_text;
}

function bodyOf(block: NotionBlock): (RichTextOnly & { children?: readonly NotionBlock[] }) | null {
  switch (block.type) {
    case 'paragraph':
      return block.paragraph;
    case 'heading_1':
      return block.heading_1;
    case 'heading_2':
      return block.heading_2;
    case 'heading_3':
      return block.heading_3;
    case 'bulleted_list_item':
      return block.bulleted_list_item;
    case 'numbered_list_item':
      return block.numbered_list_item;
    case 'to_do':
      return block.to_do;
    case 'quote':
      return block.quote;
    case 'code':
      return block.code;
    case 'divider':
    case 'table':
    case 'table_row':
      return null;
    default:
      return block satisfies never;
  }
}

/** The nested blocks of a block (a table's rows), empty when it has none. */
export function childrenOf(block: NotionBlock): readonly NotionBlock[] {
  if (block.type === 'table') return block.table.children;
  return bodyOf(block)?.children ?? [];
}

/** The blocks' text, one line per block (children after their parent, a row's cells joined by " | ", dividers left out). */
export function plainTextOf(blocks: readonly NotionBlock[]): string {
  const textOf = (runs: readonly NotionRichText[]) => runs.map((item) => item.text.content).join('');
  return blocks
    .flatMap((block) => {
      const own =
        block.type === 'table_row'
          ? [block.table_row.cells.map(textOf).join(' | ')]
          : block.type === 'divider' || block.type === 'table'
            ? []
            : [textOf(richTextOf(block))];
      const nested = childrenOf(block);
      return nested.length > 0 ? [...own, plainTextOf(nested)] : own;
    })
    .join('\n');
}

/** Converts Jira wiki markup into Notion blocks within Notion's limits; text it does not understand stays as text. */
export function wikiToNotionBlocks(text: string, options: ConversionOptions = {}): NotionBlock[] {
  return emit(parseWikiBlocks(text, options), 0);
}

type MutableDraft = Omit<Draft, 'children'> & { children: Draft[] };

// Lookbehind: `{{code}}` is monospace text, not a code macro.
const FENCE = /(?<!\{)\{(code|noformat|quote|panel)(?::([^}]*))?\}/i;
const HEADING = /^\s*h([1-6])\.(?:\s+(.*))?$/i;
const BLOCKQUOTE = /^\s*bq\.(?:\s+(.*))?$/i;
const DIVIDER = /^\s*----\s*$/;
const LIST_ITEM = /^\s*([*#]+|-)\s+(.*)$/;
const TABLE_ROW = /^\s*\|/;

function parseWikiBlocks(text: string, options: ConversionOptions): Draft[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Draft[] = [];
  let paragraph: string[] = [];
  let listStack: { level: number; item: MutableDraft }[] = [];

  const inline = (source: string, style: Style = PLAIN) => parseInline(source, style, options);
  const flushParagraph = () => {
    if (paragraph.length > 0) out.push(draft('paragraph', inline(paragraph.join('\n'))));
    paragraph = [];
  };
  const flush = () => {
    flushParagraph();
    listStack = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence !== null) {
      const before = line.slice(0, fence.index);
      if (before.trim() !== '') {
        // Text before the macro on the same line is read first, as a line of its own.
        lines.splice(i, 1, before, line.slice(fence.index));
        i -= 1;
        continue;
      }
      flush();
      const name = (fence[1] ?? '').toLowerCase();
      const closing = `{${name}}`;
      const body: string[] = [];
      let current = line.slice(fence.index + fence[0].length);
      let j = i;
      for (;;) {
        const end = current.toLowerCase().indexOf(closing);
        if (end >= 0) {
          body.push(current.slice(0, end));
          const tail = current.slice(end + closing.length);
          if (tail.trim() !== '') lines.splice(j + 1, 0, tail);
          break;
        }
        body.push(current);
        j += 1;
        if (j >= lines.length) break;
        current = lines[j] ?? '';
      }
      i = j;
      out.push(...fencedBlock(name, fence[2], trimBlankEnds(body), options));
      continue;
    }

    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading !== null) {
      flush();
      out.push(draft(headingType(Number(heading[1])), inline(heading[2] ?? '')));
      continue;
    }
    const quote = BLOCKQUOTE.exec(line);
    if (quote !== null) {
      flush();
      out.push(draft('quote', inline(quote[1] ?? '')));
      continue;
    }
    if (DIVIDER.test(line)) {
      flush();
      out.push(draft('divider', []));
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item !== null) {
      flushParagraph();
      const marker = item[1] ?? '*';
      const level = marker.length;
      const type = marker.endsWith('#') ? 'numbered_list_item' : 'bulleted_list_item';
      const node: MutableDraft = { type, runs: inline(item[2] ?? ''), children: [] };
      while ((listStack.at(-1)?.level ?? 0) >= level) listStack.pop();
      const parent = listStack.at(-1);
      if (parent === undefined) out.push(node);
      else parent.item.children.push(node);
      listStack.push({ level, item: node });
      continue;
    }
    if (TABLE_ROW.test(line)) {
      flush();
      out.push(draft('paragraph', tableRow(line, options)));
      continue;
    }
    listStack = [];
    paragraph.push(line);
  }
  flush();
  return out;
}

function trimBlankEnds(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  if ((lines[0] ?? '').trim() === '') start = 1;
  if (end > start && (lines[end - 1] ?? '').trim() === '') end -= 1;
  return lines.slice(start, end);
}

function fencedBlock(
  name: string,
  params: string | undefined,
  body: string[],
  options: ConversionOptions,
): Draft[] {
  const parameters = (params ?? '').split('|').map((part) => part.trim());
  if (name === 'code' || name === 'noformat') {
    const named = parameters
      .find((part) => part.toLowerCase().startsWith('language='))
      ?.slice('language='.length);
    const language =
      name === 'code' ? (named ?? parameters.find((part) => part !== '' && !part.includes('='))) : undefined;
    const title = parameters.find((part) => part.toLowerCase().startsWith('title='))?.slice('title='.length);
    const code: Draft = {
      type: 'code',
      runs: [run(body.join('\n'), PLAIN)],
      children: [],
      language: notionCodeLanguage(language),
    };
    return title ? [draft('paragraph', [run(title, withAnnotation(PLAIN, 'bold'))]), code] : [code];
  }
  const inner = parseWikiBlocks(body.join('\n'), options);
  const title = parameters.find((part) => part.toLowerCase().startsWith('title='))?.slice('title='.length);
  const titled = title ? [draft('paragraph', [run(title, withAnnotation(PLAIN, 'bold'))]), ...inner] : inner;
  return [quoteOf(titled)];
}

/** A quote whose first paragraph is its own text and whose other blocks are its children. */
function quoteOf(inner: readonly Draft[]): Draft {
  const [first, ...rest] = inner;
  if (first?.type === 'paragraph') return draft('quote', first.runs, [...first.children, ...rest]);
  return draft('quote', [], inner);
}

function tableRow(line: string, options: ConversionOptions): NotionRichText[] {
  const cells = splitCells(line.trim());
  return cells.flatMap((cell, i) => {
    const separator = i > 0 ? [run(' | ', PLAIN)] : [];
    const style = cell.header ? withAnnotation(PLAIN, 'bold') : PLAIN;
    return [...separator, ...parseInline(cell.text.trim(), style, options)];
  });
}

/** Splits `||h||h||` or `|c|c|` at bars that are not inside a link or monospace. */
function splitCells(row: string): { text: string; header: boolean }[] {
  const cells: { text: string; header: boolean }[] = [];
  let current = '';
  let header = false;
  let depth = 0;
  let i = 0;
  const push = () => {
    if (current.trim() !== '') cells.push({ text: current, header });
    current = '';
  };
  while (i < row.length) {
    const c = row[i] ?? '';
    if (c === '[' || (c === '{' && row[i + 1] === '{')) depth += 1;
    if ((c === ']' || (c === '}' && row[i + 1] === '}')) && depth > 0) depth -= 1;
    if (c === '|' && depth === 0) {
      push();
      header = row[i + 1] === '|';
      i += header ? 2 : 1;
      continue;
    }
    current += c;
    i += 1;
  }
  push();
  return cells;
}

const EMPHASIS: Readonly<Record<string, keyof NotionAnnotations>> = {
  '*': 'bold',
  _: 'italic',
  '-': 'strikethrough',
  '+': 'underline',
};
const WORD_CHAR = /[\p{L}\p{N}]/u;
const BARE_URL = /(?:https?|ftp):\/\/[^\s<>"'[\]|{}]+/y;
const IMAGE = /!([^\s!|]+\.[a-z0-9]{2,5}|https?:\/\/[^\s!|]+)(\|[^!\n]*)?!/iy;
const COLOR = /\{color(?::[^}]*)?\}/y;
const ESCAPABLE = '*_-+{}[]|!^~?#\\';

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && WORD_CHAR.test(c);
}

function isSpace(c: string | undefined): boolean {
  return c === undefined || /\s/.test(c);
}

function stickyMatch(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

function parseInline(text: string, style: Style, options: ConversionOptions): NotionRichText[] {
  const runs: NotionRichText[] = [];
  let plain = '';
  // Once a marker has no closing on a line, later openers of it on that line have none either.
  const noClosingBefore = new Map<string, number>();
  const flush = () => {
    if (plain !== '') runs.push(run(plain, style));
    plain = '';
  };
  const emitRuns = (more: readonly NotionRichText[]) => {
    flush();
    runs.push(...more);
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    const previous = text[i - 1];

    if (c === '\\' && text[i + 1] === '\\') {
      plain += '\n';
      i += 2;
      continue;
    }
    if (c === '\\' && ESCAPABLE.includes(text[i + 1] ?? ' ')) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '{' && text[i + 1] === '{') {
      const end = text.indexOf('}}', i + 2);
      const content = end > i + 2 ? text.slice(i + 2, end) : '';
      if (content !== '' && !content.includes('\n')) {
        emitRuns([run(content, withAnnotation(style, 'code'))]);
        i = end + 2;
        continue;
      }
    }
    if (c === '{') {
      const color = stickyMatch(COLOR, text, i);
      if (color !== null) {
        i += color[0].length;
        continue;
      }
    }
    if (c === '[') {
      const end = text.indexOf(']', i + 1);
      const content = end > i + 1 ? text.slice(i + 1, end) : '';
      const converted = content.includes('\n') ? null : bracket(content, style, options);
      if (converted !== null) {
        emitRuns(converted);
        i = end + 1;
        continue;
      }
    }
    if (c === '!' && !isWordChar(previous)) {
      const image = stickyMatch(IMAGE, text, i);
      const source = image?.[1];
      if (image !== null && source !== undefined) {
        const linked = isLinkableUrl(source) ? withLink(style, source) : style;
        emitRuns([run(`[attachment: ${source}]`, linked)]);
        i += image[0].length;
        continue;
      }
    }
    if ((c === 'h' || c === 'f') && !isWordChar(previous) && previous !== '/') {
      const url = stickyMatch(BARE_URL, text, i);
      if (url !== null) {
        const address = trimUrlPunctuation(url[0]);
        if (style.url === null && isLinkableUrl(address)) {
          emitRuns([run(address, withLink(style, address))]);
          i += address.length;
          continue;
        }
      }
    }
    const flag = EMPHASIS[c];
    if (flag !== undefined && !isWordChar(previous) && !isSpace(text[i + 1]) && text[i + 1] !== c) {
      const close = (noClosingBefore.get(c) ?? -1) > i ? -1 : closingMarker(text, c, i);
      if (close > 0) {
        emitRuns(parseInline(text.slice(i + 1, close), withAnnotation(style, flag), options));
        i = close + 1;
        continue;
      }
      const lineEnd = text.indexOf('\n', i);
      noClosingBefore.set(c, lineEnd < 0 ? text.length : lineEnd);
    }
    plain += c;
    i += 1;
  }
  flush();
  return runs;
}

function closingMarker(text: string, marker: string, open: number): number {
  for (let j = open + 2; j < text.length; j++) {
    const c = text[j];
    if (c === '\n') return -1;
    if (c === marker && !isSpace(text[j - 1]) && !isWordChar(text[j + 1])) return j;
  }
  return -1;
}

function trimUrlPunctuation(url: string): string {
  let end = url.length;
  while (end > 0) {
    const c = url[end - 1] ?? '';
    const unbalancedParen = c === ')' && !url.slice(0, end - 1).includes('(');
    if (!'.,;:!?'.includes(c) && !unbalancedParen) break;
    end -= 1;
  }
  return url.slice(0, end);
}

/** `[~user]`, `[~accountid:id]`, `[text|url]`, `[url]`; null for anything else, which stays literal. */
function bracket(content: string, style: Style, options: ConversionOptions): NotionRichText[] | null {
  if (content.startsWith('~')) {
    const user = content.slice(1).trim();
    const accountId = user.toLowerCase().startsWith('accountid:') ? user.slice('accountid:'.length) : null;
    const name = accountId === null ? user : (options.userNames?.get(accountId) ?? accountId);
    return name === '' ? null : [run(`@${name}`, style)];
  }
  const [label = '', address = '', ...rest] = content.split('|');
  if (rest.length === 0 && address !== '') {
    const url = address.trim();
    if (!isLinkableUrl(url)) return null;
    const shown = label.trim() === '' ? url : label;
    return parseInline(shown, withLink(style, url), options);
  }
  const url = content.trim();
  return rest.length === 0 && isLinkableUrl(url) ? [run(url, withLink(style, url))] : null;
}

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

/** Converts an Atlassian Document Format document into Notion blocks within Notion's limits; unknown nodes keep their text. */
export function adfToNotionBlocks(doc: unknown, options: ConversionOptions = {}): NotionBlock[] {
  return emit(adfBlocks([doc], options), 0);
}

/** Converts a Jira description or comment body in either form: wiki text (REST v2) or ADF (REST v3). */
export function jiraTextToNotionBlocks(body: unknown, options: ConversionOptions = {}): NotionBlock[] {
  if (body === null || body === undefined) return [];
  return typeof body === 'string' ? wikiToNotionBlocks(body, options) : adfToNotionBlocks(body, options);
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
  let pending: NotionRichText[] = [];
  const flush = () => {
    if (pending.some((item) => item.text.content.trim() !== '')) out.push(draft('paragraph', pending));
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
      return runs.some((item) => item.text.content !== '') ? [draft('paragraph', runs)] : [];
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

function adfTableRow(row: AdfNode, options: ConversionOptions): NotionRichText[] {
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

function restyle(item: NotionRichText, flag: keyof NotionAnnotations): NotionRichText {
  return { ...item, annotations: annotate(item.annotations, flag) };
}

function linkRun(url: string, style: Style): NotionRichText {
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

function adfInlines(values: readonly unknown[], style: Style, options: ConversionOptions): NotionRichText[] {
  return values.flatMap((value) => {
    const node = parseNode(value);
    return node === null ? [] : adfInline(node, style, options);
  });
}

function adfInline(node: AdfNode, style: Style, options: ConversionOptions): NotionRichText[] {
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
