import {
  APIErrorCode,
  APIResponseError,
  type ApiColor,
  type Client,
  type UpdateBlockParameters,
} from '@notionhq/client';
import { ACTION_ITEM_HINT, type ActionItem, type ItemOwner, type TicketRef } from '../domain/follow-ups.ts';
import { OUTLINE_SECTIONS } from '../domain/postmortem-outline.ts';
import {
  isLinkableUrl,
  NOTION_RICH_TEXT_MAX_ITEMS,
  NOTION_TEXT_MAX_LENGTH,
  textPieces,
} from '../notion/notion-blocks.ts';
import type { PostmortemPages } from '../ports.ts';
import {
  BlockAnswer,
  ChildrenAnswer,
  HeadingAnswer,
  PagePropertiesAnswer,
  type RichTextAnswer,
  ToDoAnswer,
  UserAnswer,
} from './notion-answers.ts';
import { parseNotionAnswer, translateNotionError } from './notion-call.ts';

export interface NotionPostmortemPagesOptions {
  /** The team's Jira: only links to its issues are taken for an item's ticket (any Jira's when null). */
  readonly jiraBaseUrl?: string | null;
}

const STATUS_PROPERTY = 'Status';
/** What a write-back puts between the item's text and its ticket; a re-run finds and replaces it. */
const TICKET_SEPARATOR = ' → ';
const PAGE_SIZE = 100;
/** Blocks whose children are another page's body, not part of this one. */
const OTHER_PAGES: ReadonlySet<string> = new Set(['child_page', 'child_database']);
const BROWSE_PATH = /\/browse\/([A-Za-z][A-Za-z0-9_]*-\d+)\/?$/;
/** What is left around the removed mentions and ticket: separators at the ends, empty brackets. */
const EDGE_SEPARATORS = /^[\s→:;,–—-]+|[\s→:;,–—-]+$/g;
const EMPTY_BRACKETS = /\(\s*[,;]?\s*\)|\[\s*[,;]?\s*\]/g;

type ToDoUpdate = Extract<UpdateBlockParameters, { to_do: unknown }>['to_do'];
type RichTextRequest = NonNullable<ToDoUpdate['rich_text']>[number];
type AnnotationsRequest = NonNullable<RichTextRequest['annotations']>;
type MentionRequest = Extract<RichTextRequest, { mention: unknown }>['mention'];
type DateRequest = Extract<MentionRequest, { date: unknown }>['date'];

const headingLevelOf = (type: string): number | null => {
  const digit = /^heading_(\d)$/.exec(type)?.[1];
  return digit === undefined ? null : Number(digit);
};
const linkOf = (run: RichTextAnswer) => run.text?.link?.url ?? run.href ?? null;
const isMentionOf = (run: RichTextAnswer, type: 'user' | 'date') =>
  run.type === 'mention' && run.mention?.type === type;

/** The ticket a link points to, when it is an issue of the team's Jira (of any Jira without a base URL). */
function ticketOfUrl(url: string, jiraBaseUrl: string | null): TicketRef | null {
  if (jiraBaseUrl !== null && !url.toLowerCase().startsWith(`${jiraBaseUrl}/browse/`)) return null;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const key = BROWSE_PATH.exec(path)?.[1];
  return key === undefined ? null : { key: key.toUpperCase(), url };
}

/** Where an item's ticket link is: the runs from the ticket to its note (italic runs right after it). */
interface TicketRuns {
  readonly ticket: TicketRef;
  readonly at: number;
  readonly end: number;
}

/**
 * The item's ticket link: the last run linked to a Jira issue whose text is the key (as a write-back
 * leaves it), else the last run linked to a Jira issue at all; a link to `known` counts wherever it points.
 */
function ticketRunsOf(
  runs: readonly RichTextAnswer[],
  jiraBaseUrl: string | null,
  known: TicketRef | null = null,
): TicketRuns | null {
  const linked = runs.flatMap((run, at) => {
    const url = run.type === 'text' ? linkOf(run) : null;
    const ticket = url === null ? null : url === known?.url ? known : ticketOfUrl(url, jiraBaseUrl);
    return ticket === null ? [] : [{ ticket, at, isKey: run.plain_text.trim().toUpperCase() === ticket.key }];
  });
  const found = linked.findLast((run) => run.isKey) ?? linked.at(-1);
  if (found === undefined) return null;
  const isNote = (run: RichTextAnswer | undefined) =>
    run?.type === 'text' && run.annotations?.italic === true && linkOf(run) === null;
  let end = found.at + 1;
  while (isNote(runs[end])) end += 1;
  return { ticket: found.ticket, at: found.at, end };
}

/** An item's summary: its text without owner and date mentions, ticket link and note, tidied. */
function summaryOf(runs: readonly RichTextAnswer[], ticketRuns: TicketRuns | null): string {
  return runs
    .filter((_, i) => !(ticketRuns !== null && i >= ticketRuns.at && i < ticketRuns.end))
    .filter((run) => !isMentionOf(run, 'user') && !isMentionOf(run, 'date'))
    .map((run) => run.plain_text)
    .join('')
    .replace(/\s+/g, ' ')
    .replace(EMPTY_BRACKETS, '')
    .replace(EDGE_SEPARATORS, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function actionItemOf(id: string, toDo: ToDoAnswer, jiraBaseUrl: string | null): ActionItem | null {
  const runs = toDo.rich_text;
  const ownerRun = runs.find((run) => isMentionOf(run, 'user'));
  const dateRun = runs.find((run) => isMentionOf(run, 'date'));
  const ticketRuns = ticketRunsOf(runs, jiraBaseUrl);
  const summary = summaryOf(runs, ticketRuns);
  const userId = ownerRun?.mention?.user?.id;
  const owner: ItemOwner | null =
    userId === undefined
      ? null
      : { kind: 'notion-user', userId, name: ownerRun?.plain_text.replace(/^@/, '').trim() || null };
  const dueDate = dateRun?.mention?.date?.start.slice(0, 10) ?? null;
  const hasMention = ownerRun !== undefined || dateRun !== undefined;
  const isHint = summary.toLowerCase() === ACTION_ITEM_HINT.toLowerCase();
  if (!hasMention && (summary === '' || isHint)) return null;
  return { itemId: id, summary, owner, dueDate, checked: toDo.checked, ticket: ticketRuns?.ticket ?? null };
}

const ANNOTATION_FLAGS = ['bold', 'italic', 'strikethrough', 'underline', 'code'] as const;

/** Only the styles that are set, so runs read back from Notion and runs we build compare equal. */
function annotationsOf(run: RichTextAnswer): AnnotationsRequest | undefined {
  const flags = ANNOTATION_FLAGS.filter((flag) => run.annotations?.[flag] === true);
  const color = run.annotations?.color;
  const annotations: AnnotationsRequest = Object.fromEntries(flags.map((flag) => [flag, true]));
  // Notion answers a colour from its own list: sent back as it came.
  if (color !== undefined && color !== 'default') annotations.color = color as ApiColor;
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}

const textRun = (content: string, url: string | null = null, annotations?: AnnotationsRequest) =>
  ({
    type: 'text',
    text: { content, link: url === null ? null : { url } },
    ...(annotations ? { annotations } : {}),
  }) satisfies RichTextRequest;

/**
 * A run as read, in request form: text, equations and mentions of people, dates, pages, databases and
 * custom emoji as they were; a mention that cannot be sent (a link preview) becomes its text, linked.
 */
function requestRun(run: RichTextAnswer): RichTextRequest {
  const annotations = annotationsOf(run);
  const styled = annotations ? { annotations } : {};
  const { mention } = run;
  if (run.type === 'equation' && run.equation) return { type: 'equation', equation: run.equation, ...styled };
  if (run.type === 'mention' && mention) {
    const as = (value: RichTextRequest & { type: 'mention' }) => ({ ...value, ...styled });
    if (mention.user)
      return as({ type: 'mention', mention: { type: 'user', user: { id: mention.user.id } } });
    if (mention.date) {
      const { start, end, time_zone } = mention.date;
      // Notion answers a zone from its own list: sent back as it came.
      const zone = time_zone ? { time_zone: time_zone as NonNullable<DateRequest['time_zone']> } : {};
      return as({ type: 'mention', mention: { type: 'date', date: { start, end: end ?? null, ...zone } } });
    }
    if (mention.page)
      return as({ type: 'mention', mention: { type: 'page', page: { id: mention.page.id } } });
    if (mention.database)
      return as({ type: 'mention', mention: { type: 'database', database: { id: mention.database.id } } });
    if (mention.custom_emoji)
      return as({ type: 'mention', mention: { type: 'custom_emoji', custom_emoji: mention.custom_emoji } });
  }
  const url = linkOf(run);
  const content = run.text?.content ?? run.plain_text;
  return textRun(content, url !== null && isLinkableUrl(url) ? url : null, annotations);
}

const italic = (content: string) => textRun(content, null, { italic: true });

const styleKey = (run: RichTextRequest) =>
  run.type === 'text' && 'text' in run
    ? JSON.stringify([run.text.link ?? null, run.annotations ?? {}])
    : null;

/** Joins neighbouring text runs of one style (within `maxLength` characters): Notion shows them the same. */
function mergeRuns(
  runs: readonly RichTextRequest[],
  maxLength = Number.POSITIVE_INFINITY,
): RichTextRequest[] {
  const merged: RichTextRequest[] = [];
  for (const run of runs) {
    const last = merged.at(-1);
    const key = styleKey(run);
    if (last && key !== null && key === styleKey(last) && 'text' in last && 'text' in run) {
      const content = last.text.content + run.text.content;
      if (content.length <= maxLength) {
        merged[merged.length - 1] = { ...last, text: { ...last.text, content } };
        continue;
      }
    }
    merged.push(run);
  }
  return merged;
}

/** The runs before a removed ticket link, without the separator a write-back put before it. */
function withoutSeparator(runs: readonly RichTextAnswer[]): RichTextAnswer[] {
  const last = runs.at(-1);
  if (last?.type !== 'text' || last.text === undefined || !last.text.content.trimEnd().endsWith('→'))
    return [...runs];
  const content = last.text.content.replace(/\s*→\s*$/, '');
  const rest = runs.slice(0, -1);
  return content === '' ? rest : [...rest, { ...last, plain_text: content, text: { ...last.text, content } }];
}

/**
 * The item's rich text with this ticket link (and note) instead of any earlier one: the person's runs as
 * they are, mentions included, then " → KEY" and the note in italics, within Notion's 100 items.
 */
function writtenBack(
  itemId: string,
  runs: readonly RichTextAnswer[],
  ticketRuns: TicketRuns | null,
  ticket: TicketRef,
  note: string | null,
): RichTextRequest[] {
  const own =
    ticketRuns === null
      ? runs
      : [...withoutSeparator(runs.slice(0, ticketRuns.at)), ...runs.slice(ticketRuns.end)];
  const kept = own.map(requestRun);
  const separator = /\s$/.test(own.at(-1)?.plain_text ?? ' ')
    ? TICKET_SEPARATOR.trimStart()
    : TICKET_SEPARATOR;
  const link = [textRun(separator), textRun(ticket.key, ticket.url)];
  const notePieces = note === null ? [] : textPieces(` (${note})`);
  const all = [...kept, ...link, ...notePieces.map(italic)];
  if (all.length <= NOTION_RICH_TEXT_MAX_ITEMS) return all;
  const compact = mergeRuns(kept, NOTION_TEXT_MAX_LENGTH);
  const room = NOTION_RICH_TEXT_MAX_ITEMS - compact.length - link.length;
  if (room < 0)
    throw new Error(
      `the to-do ${itemId} has too many pieces of styled text for Notion to take its ticket link (${ticket.key})`,
    );
  // A note too long for the room left is cut short: the ticket carries the whole story.
  const cutNote = notePieces.length <= room ? notePieces : notePieces.slice(0, room);
  if (cutNote.length < notePieces.length && cutNote.length > 0)
    cutNote[cutNote.length - 1] = `${cutNote.at(-1)?.slice(0, -2)}…)`;
  return [...compact, ...link, ...cutNote.map(italic)];
}

const isNotVisible = (error: unknown) =>
  APIResponseError.isAPIResponseError(error) &&
  (error.code === APIErrorCode.RestrictedResource || error.code === APIErrorCode.ObjectNotFound);

/**
 * Postmortem pages in Notion (API 2025-09-03) as the follow-up sync reads and annotates them. The
 * client brings the rate limit and the retries (see notion-rate-limiter.ts); what still fails is an
 * UpstreamUnavailableError when worth retrying later, else an Error saying what Notion refused.
 */
export function createNotionPostmortemPages(
  client: Client,
  options: NotionPostmortemPagesOptions = {},
): PostmortemPages {
  const jiraBaseUrl = options.jiraBaseUrl ? options.jiraBaseUrl.replace(/\/+$/, '').toLowerCase() : null;
  const actionItemsTitle = OUTLINE_SECTIONS.actionItems.toLowerCase();

  async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw translateNotionError(error, what, 'the postmortem page');
    }
  }

  /** A page's or block's children, a page of the listing at a time, read only as far as they are wanted. */
  async function* childrenOf(blockId: string, what: string): AsyncGenerator<BlockAnswer> {
    let cursor: string | undefined;
    do {
      const start = cursor === undefined ? {} : { start_cursor: cursor };
      const answer = await call(what, () =>
        client.blocks.children.list({ block_id: blockId, page_size: PAGE_SIZE, ...start }),
      );
      const page = parseNotionAnswer(ChildrenAnswer, answer, what);
      yield* page.results;
      cursor = page.has_more ? (page.next_cursor ?? undefined) : undefined;
    } while (cursor !== undefined);
  }

  /** Every block under this one in page order (a block, then its children), subpages left out. */
  async function* blocksUnder(blockId: string, what: string): AsyncGenerator<BlockAnswer> {
    for await (const block of childrenOf(blockId, what)) {
      yield block;
      if (block.has_children && !OTHER_PAGES.has(block.type)) yield* blocksUnder(block.id, what);
    }
  }

  const isActionItemsHeading = (block: BlockAnswer, what: string) =>
    parseNotionAnswer(HeadingAnswer, block[block.type], what)
      .rich_text.map((run) => run.plain_text)
      .join('')
      .trim()
      .toLowerCase() === actionItemsTitle;

  async function toDo(itemId: string, what: string) {
    const block = parseNotionAnswer(
      BlockAnswer,
      await call(what, () => client.blocks.retrieve({ block_id: itemId })),
      what,
    );
    if (block.type !== 'to_do')
      throw new Error(`Notion refused ${what}: the block is a ${block.type}, not a to-do`);
    if (block.in_trash === true) throw new Error(`Notion refused ${what}: the to-do was deleted`);
    return parseNotionAnswer(ToDoAnswer, block.to_do, what);
  }

  return {
    async actionItems(pageId) {
      const what = `reading the action items of the postmortem ${pageId}`;
      const items: ActionItem[] = [];
      let sectionLevel: number | null = null;
      for await (const block of blocksUnder(pageId, what)) {
        const level = headingLevelOf(block.type);
        if (sectionLevel === null) {
          if (level !== null && isActionItemsHeading(block, what)) sectionLevel = level;
          continue;
        }
        // The section ends at the next heading of its level or above: the rest of the page is not read.
        if (level !== null && level <= sectionLevel) break;
        if (block.type !== 'to_do') continue;
        const item = actionItemOf(block.id, parseNotionAnswer(ToDoAnswer, block.to_do, what), jiraBaseUrl);
        if (item !== null) items.push(item);
      }
      return items;
    },

    async writeBack(itemId, ticket, note) {
      const what = `writing the ticket ${ticket.key} into the action item ${itemId}`;
      const { rich_text: runs } = await toDo(itemId, what);
      // The ticket's own link counts even outside jiraBaseUrl, so a re-run replaces it rather than adding one.
      const ticketRuns = ticketRunsOf(runs, jiraBaseUrl, ticket);
      const updated = writtenBack(itemId, runs, ticketRuns, ticket, note);
      // Written already (a re-run): nothing to send, and the page's last edit stays the person's.
      const same = (a: readonly RichTextRequest[]) => JSON.stringify(mergeRuns(a));
      if (same(runs.map(requestRun)) === same(updated)) return;
      // `checked` is left out: Notion keeps it, and a box ticked meanwhile stays ticked.
      await call(what, () => client.blocks.update({ block_id: itemId, to_do: { rich_text: updated } }));
    },

    async setChecked(itemId, checked) {
      const what = `${checked ? 'checking' : 'unchecking'} the action item ${itemId}`;
      await call(what, () => client.blocks.update({ block_id: itemId, to_do: { checked } }));
    },

    async personEmail(userId) {
      const what = `reading the Notion user ${userId}`;
      const answer = await call(what, () =>
        client.users.retrieve({ user_id: userId }).catch((error: unknown) => {
          // Without the "read user information" capability, or for someone gone, there is no address to read.
          if (isNotVisible(error)) return null;
          throw error;
        }),
      );
      if (answer === null) return null;
      const user = parseNotionAnswer(UserAnswer, answer, what);
      return user.type === 'person' ? (user.person?.email ?? null) : null;
    },

    async status(pageId) {
      const what = `reading the status of the postmortem ${pageId}`;
      const page = parseNotionAnswer(
        PagePropertiesAnswer,
        await call(what, () => client.pages.retrieve({ page_id: pageId })),
        what,
      );
      const property = page.properties[STATUS_PROPERTY];
      if (property?.type === 'status') return property.status?.name ?? null;
      if (property?.type === 'select') return property.select?.name ?? null;
      return null;
    },
  };
}
