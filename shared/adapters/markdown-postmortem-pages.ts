import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ACTION_ITEM_HINT, type ActionItem, type TicketRef } from '../domain/follow-ups.ts';
import { OUTLINE_SECTIONS } from '../domain/postmortem-outline.ts';
import type { PostmortemPages } from '../ports.ts';
import { containedPath } from './contained-path.ts';

/** `- [ ] text`, `* [x] text`, indented for nesting. */
const TO_DO = /^(\s*)[-*] \[( |x|X)\] (.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*$/;
/** What a write-back appends: ` → LOCAL-1` (or a linked key), an optional note, and the item's id. */
const ITEM_MARKER = /\s*<!-- item:([0-9a-f]{16}) -->\s*$/;
const TICKET =
  /\s*→\s*(?:\[([A-Z][A-Z0-9_]*-\d+)\]\(([^)]+)\)|([A-Z][A-Z0-9_]*-\d+))(?:\s*_\(([^)]*)\)_)?\s*$/;
const OWNER = /(?:^|\s)@([\p{L}\p{N}._-]+)/u;
const DATE = /(?:^|\s)(\d{4}-\d{2}-\d{2})(?=\s|$)/;
const STATUS_ROW = /^\|\s*Status\s*\|\s*([^|]*?)\s*\|\s*$/m;

interface ParsedLine {
  readonly lineIndex: number;
  readonly item: ActionItem;
}

/** An item's id before any write-back: from the incident and the item's first text, stable across runs. */
const idOf = (pageId: string, text: string) =>
  createHash('sha256').update(`${pageId}\n${text}`).digest('hex').slice(0, 16);

function parseItem(pageId: string, lineIndex: number, line: string): ParsedLine | null {
  const match = TO_DO.exec(line);
  if (!match) return null;
  let rest = match[3] ?? '';
  const marker = ITEM_MARKER.exec(rest);
  if (marker) rest = rest.slice(0, marker.index);
  const ticketMatch = TICKET.exec(rest);
  let ticket: TicketRef | null = null;
  if (ticketMatch) {
    const key = ticketMatch[1] ?? ticketMatch[3] ?? '';
    ticket = { key, url: ticketMatch[2] ?? key };
    rest = rest.slice(0, ticketMatch.index);
  }
  const itemText = rest.trim();
  const owner = OWNER.exec(itemText);
  const date = DATE.exec(itemText);
  const summary = itemText.replace(OWNER, ' ').replace(DATE, ' ').replace(/\s+/g, ' ').trim();
  // The outline's hint to-do reads "@mention" as an owner here, so it is known by its whole text.
  const isHint = itemText.toLowerCase() === ACTION_ITEM_HINT.toLowerCase();
  if (summary.length === 0 || isHint) return null;
  return {
    lineIndex,
    item: {
      itemId: marker?.[1] ?? idOf(pageId, itemText),
      summary,
      owner: owner?.[1] ? { kind: 'name', name: owner[1] } : null,
      dueDate: date?.[1] && !Number.isNaN(Date.parse(date[1])) ? date[1] : null,
      checked: (match[2] ?? ' ').toLowerCase() === 'x',
      ticket,
    },
  };
}

/**
 * The local postmortems (DATA_DIR/postmortems/<KEY>.md, written by the Markdown postmortem writer) as
 * the follow-up sync reads them: `- [ ] item @owner YYYY-MM-DD` lines under `## Action Items`,
 * nested ones too. A write-back appends ` → LOCAL-1` and the item's id as an HTML comment, so an item
 * keeps its identity when its text is edited afterwards.
 */
export function createMarkdownPostmortemPages(dir: string): PostmortemPages {
  const pathOf = (pageId: string) => containedPath(dir, `${pageId}.md`);
  const read = (pageId: string): string[] => {
    const path = pathOf(pageId);
    if (!existsSync(path)) throw new Error(`no local postmortem ${path}`);
    return readFileSync(path, 'utf8').split('\n');
  };

  function itemsOf(pageId: string, lines: readonly string[]): ParsedLine[] {
    const items: ParsedLine[] = [];
    let inSection = false;
    let sectionLevel = 0;
    for (const [index, line] of lines.entries()) {
      const heading = HEADING.exec(line);
      if (heading) {
        const level = heading[1]?.length ?? 0;
        if ((heading[2] ?? '').toLowerCase() === OUTLINE_SECTIONS.actionItems.toLowerCase()) {
          inSection = true;
          sectionLevel = level;
        } else if (inSection && level <= sectionLevel) inSection = false;
        continue;
      }
      if (!inSection) continue;
      const parsed = parseItem(pageId, index, line);
      if (parsed) items.push(parsed);
    }
    return items;
  }

  /** The page each item was read from: a write-back goes straight to its file. */
  const pageOfItem = new Map<string, string>();

  /** Finds the item's line: in the page it was read from, else in whichever local postmortem holds it. */
  function locate(itemId: string): { pageId: string; lines: string[]; found: ParsedLine } {
    const known = pageOfItem.get(itemId);
    const pages = existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.endsWith('.md'))
          .map((name) => name.slice(0, -'.md'.length))
      : [];
    const candidates = known === undefined ? pages : [known, ...pages.filter((pageId) => pageId !== known)];
    for (const pageId of candidates) {
      const lines = read(pageId);
      const found = itemsOf(pageId, lines).find((parsed) => parsed.item.itemId === itemId);
      if (found) return { pageId, lines, found };
    }
    throw new Error(`no action item ${itemId} in ${dir}: was it removed from the postmortem?`);
  }

  const rewrite = (pageId: string, lines: readonly string[]) =>
    writeFileSync(pathOf(pageId), lines.join('\n'));

  return {
    async actionItems(pageId) {
      const items = itemsOf(pageId, read(pageId)).map((parsed) => parsed.item);
      for (const item of items) pageOfItem.set(item.itemId, pageId);
      return items;
    },
    async writeBack(itemId, ticket, note) {
      const { pageId, lines, found } = locate(itemId);
      const line = lines[found.lineIndex] ?? '';
      const match = TO_DO.exec(line);
      let rest = (match?.[3] ?? '').replace(ITEM_MARKER, '');
      rest = rest.replace(TICKET, '').trimEnd();
      const link = ticket.url.startsWith('http') ? `[${ticket.key}](${ticket.url})` : ticket.key;
      const noted = note === null ? '' : ` _(${note.replaceAll(')', ']')})_`;
      lines[found.lineIndex] =
        `${match?.[1] ?? ''}- [${match?.[2] ?? ' '}] ${rest} → ${link}${noted} <!-- item:${itemId} -->`;
      rewrite(pageId, lines);
    },
    async setChecked(itemId, checked) {
      const { pageId, lines, found } = locate(itemId);
      lines[found.lineIndex] = (lines[found.lineIndex] ?? '').replace(/\[( |x|X)\]/, checked ? '[x]' : '[ ]');
      rewrite(pageId, lines);
    },
    async personEmail() {
      return null;
    },
    async status(pageId) {
      return STATUS_ROW.exec(read(pageId).join('\n'))?.[1] ?? null;
    },
  };
}
