import type { DocBlock, DocMark, DocRun } from '../domain/doc-blocks.ts';
import { isLinkableUrl, notionCodeLanguage } from '../notion/notion-blocks.ts';
import {
  type ConversionOptions,
  type Draft,
  draft,
  emit,
  headingType,
  PLAIN,
  quoteOf,
  run,
  type Style,
  withAnnotation,
  withLink,
} from './block-drafts.ts';

/** Converts Jira wiki markup into document blocks within Notion's limits; text it does not understand stays as text. */
export function wikiToDocBlocks(text: string, options: ConversionOptions = {}): DocBlock[] {
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

function tableRow(line: string, options: ConversionOptions): DocRun[] {
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

const EMPHASIS: Readonly<Record<string, DocMark>> = {
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

function parseInline(text: string, style: Style, options: ConversionOptions): DocRun[] {
  const runs: DocRun[] = [];
  let plain = '';
  // Once a marker has no closing on a line, later openers of it on that line have none either.
  const noClosingBefore = new Map<string, number>();
  const flush = () => {
    if (plain !== '') runs.push(run(plain, style));
    plain = '';
  };
  const emitRuns = (more: readonly DocRun[]) => {
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
function bracket(content: string, style: Style, options: ConversionOptions): DocRun[] | null {
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
