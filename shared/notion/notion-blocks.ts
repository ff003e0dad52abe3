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

/**
 * Cuts text into pieces of at most Notion's 2,000 characters per rich-text item (or `max`), never between
 * the halves of a surrogate pair; no pieces for empty text.
 */
export function textPieces(text: string, max: number = NOTION_TEXT_MAX_LENGTH): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + max, text.length);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
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
