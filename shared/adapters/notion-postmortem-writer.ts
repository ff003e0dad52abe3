import {
  APIErrorCode,
  APIResponseError,
  type BlockObjectRequest,
  type Client,
  type CreatePageParameters,
  type UpdatePageParameters,
} from '@notionhq/client';
import {
  childrenOf,
  isLinkableUrl,
  NOTION_MAX_NESTING_LEVELS,
  NOTION_RICH_TEXT_MAX_ITEMS,
  type NotionAnnotations,
  type NotionBlock,
  type NotionCodeLanguage,
  type NotionRequestBlock,
  type NotionRichText,
  notionCodeLanguage,
  richTextOf,
  textPieces,
} from '../domain/notion-blocks.ts';
import { OUTLINE_SECTIONS } from '../domain/postmortem-outline.ts';
import { UpstreamUnavailableError } from '../errors.ts';
import type { PostmortemDraft, PostmortemWriter } from '../ports.ts';
import {
  type BlockAnswer,
  BlockContentAnswer,
  ChildrenAnswer,
  DatabaseAnswer,
  PageAnswer,
  QueryAnswer,
  type RichTextAnswer,
  UsersAnswer,
} from './notion-answers.ts';
import { parseNotionAnswer, translateNotionError } from './notion-call.ts';

/**
 * Which body a new page starts from: ours alone; one of the data source's Notion templates with ours
 * after it; or a page the team edits in Notion, copied with its placeholders filled (see `fillBlock`).
 */
export type PostmortemTemplate =
  | { readonly kind: 'built-in' }
  | { readonly kind: 'default' }
  | { readonly kind: 'template-id'; readonly id: string }
  | { readonly kind: 'template-page'; readonly pageId: string };

export interface NotionPostmortemWriterOptions {
  readonly databaseId: string;
  readonly template: PostmortemTemplate;
  /** How long, in pauses between polls, to wait for Notion to apply a template (default 10 s). */
  readonly templateWaitMs?: number;
  /** The pause between polls for a template; injectable so tests need not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The IANA zone {{incident.start}} and {{incident.resolved}} are written in on a template page (default UTC). */
  readonly timeZone?: string;
}

/** The postmortem database's properties, by name, as the team's database (and the simulator) defines them. */
const PROPERTY = {
  title: 'Name',
  jira: 'Jira',
  severity: 'Severity',
  status: 'Status',
  incidentStart: 'Incident start',
  resolved: 'Resolved',
  timeToResolve: 'Time to resolve',
  timeToAcknowledge: 'Time to acknowledge',
  owner: 'Owner',
} as const;
const DRAFT_STATUS = 'Draft';

/** Notion's per-request limits on block children: array length, blocks counted with descendants, body size. */
const MAX_CHILDREN_PER_REQUEST = 100;
const MAX_BLOCKS_PER_REQUEST = 1000;
/** Notion refuses bodies over 500 KB; the margin leaves room for the properties of a page creation. */
const MAX_CHILDREN_BYTES = 400 * 1024;
const DEFAULT_TEMPLATE_WAIT_MS = 10_000;
const FIRST_POLL_PAUSE_MS = 200;
const MAX_POLL_PAUSE_MS = 2000;

// The client's request types are mutable; ours are readonly and checked against them in the domain's tests.
type DeepMutable<T> = T extends readonly (infer U)[]
  ? DeepMutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;
/** Blocks cut by `cutForRequest`, which keeps them within the nesting a request takes. */
const asRequest = (blocks: readonly NotionBlock[]): BlockObjectRequest[] =>
  blocks as readonly NotionRequestBlock[] as DeepMutable<NotionRequestBlock>[] satisfies BlockObjectRequest[];

const descendantCount = (block: NotionBlock): number =>
  1 + childrenOf(block).reduce((sum, child) => sum + descendantCount(child), 0);

/** Splits blocks, in order, into requests within Notion's limits on children per request. */
function chunkBlocks(blocks: readonly NotionBlock[]): NotionBlock[][] {
  const chunks: NotionBlock[][] = [];
  let chunk: NotionBlock[] = [];
  let blockCount = 0;
  let byteCount = 0;
  for (const block of blocks) {
    const count = descendantCount(block);
    const bytes = Buffer.byteLength(JSON.stringify(block)) + 1;
    const full =
      chunk.length === MAX_CHILDREN_PER_REQUEST ||
      blockCount + count > MAX_BLOCKS_PER_REQUEST ||
      byteCount + bytes > MAX_CHILDREN_BYTES;
    if (full && chunk.length > 0) {
      chunks.push(chunk);
      chunk = [];
      blockCount = 0;
      byteCount = 0;
    }
    chunk.push(block);
    blockCount += count;
    byteCount += bytes;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** Block children the way a request may carry them, and the children left for later requests. */
interface RequestBlocks {
  readonly sendable: NotionBlock[];
  /** Children of the sendable block at `path` (indices from the top), sent bare: written once it exists. */
  readonly deferred: { readonly path: readonly number[]; readonly children: readonly NotionBlock[] }[];
}

const CAN_HAVE_CHILDREN: ReadonlySet<NotionBlock['type']> = new Set([
  'paragraph',
  'bulleted_list_item',
  'numbered_list_item',
  'to_do',
  'quote',
]);

/**
 * The block with these children instead of its own (none for a block type that cannot have any; only
 * rows for a table, which the caller never leaves without one: Notion refuses a table without rows).
 */
function withChildren(block: NotionBlock, children: readonly NotionBlock[]): NotionBlock {
  const body = <B extends { readonly children?: readonly NotionBlock[] }>({ children: _, ...rest }: B) =>
    children.length > 0 ? { ...rest, children } : rest;
  switch (block.type) {
    case 'table':
      return {
        type: block.type,
        table: { ...block.table, children: children.filter((child) => child.type === 'table_row') },
      };
    case 'paragraph':
      return { type: block.type, paragraph: body(block.paragraph) };
    case 'bulleted_list_item':
      return { type: block.type, bulleted_list_item: body(block.bulleted_list_item) };
    case 'numbered_list_item':
      return { type: block.type, numbered_list_item: body(block.numbered_list_item) };
    case 'to_do':
      return { type: block.type, to_do: body(block.to_do) };
    case 'quote':
      return { type: block.type, quote: body(block.quote) };
    default:
      return block;
  }
}

/** How many of a block's children must go with it: a table is created with its first row or refused. */
const leadingChildCount = (block: NotionBlock) => (block.type === 'table' ? 1 : 0);

/**
 * Cuts blocks to what one request takes: children two levels below the top, at most 100 per array, no
 * table where its rows would be too deep, and a top-level block within the per-request block and byte
 * limits. A block over any of these is sent without its children (a table with its first rows), the
 * rest written under it afterwards, in order, by the same rule.
 */
function cutForRequest(blocks: readonly NotionBlock[]): RequestBlocks {
  const deferred: RequestBlocks['deferred'] = [];
  const keep = (block: NotionBlock, level: number, path: readonly number[]): NotionBlock => {
    const children = childrenOf(block);
    if (children.length === 0) return block;
    if (block.type === 'table') {
      // Rows have no children of their own: only their count can be too much for one request.
      if (children.length > MAX_CHILDREN_PER_REQUEST)
        deferred.push({ path, children: children.slice(MAX_CHILDREN_PER_REQUEST) });
      return withChildren(block, children.slice(0, MAX_CHILDREN_PER_REQUEST));
    }
    const tooDeep =
      level > NOTION_MAX_NESTING_LEVELS ||
      (level === NOTION_MAX_NESTING_LEVELS && children.some((child) => child.type === 'table'));
    if (tooDeep || children.length > MAX_CHILDREN_PER_REQUEST) {
      deferred.push({ path, children });
      return withChildren(block, []);
    }
    return withChildren(
      block,
      children.map((child, i) => keep(child, level + 1, [...path, i])),
    );
  };
  const sendable = blocks.map((block, i) => {
    const mark = deferred.length;
    const kept = keep(block, 1, [i]);
    const fits =
      descendantCount(kept) <= MAX_BLOCKS_PER_REQUEST &&
      Buffer.byteLength(JSON.stringify(kept)) < MAX_CHILDREN_BYTES;
    if (fits) return kept;
    deferred.splice(mark);
    const children = childrenOf(block);
    const leading = leadingChildCount(block);
    deferred.push({ path: [i], children: children.slice(leading) });
    return withChildren(block, children.slice(0, leading));
  });
  return { sendable, deferred };
}

/** A block of the template page as read, with its children. */
interface TemplateBlock {
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
interface Filling {
  readonly values: Readonly<Record<Placeholder, { readonly text: string; readonly url: string | null }>>;
  readonly sections: Readonly<Record<SectionName, readonly NotionBlock[]>>;
}

function fillingOf(draft: PostmortemDraft, timeZone: string): Filling {
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
      timeline: sectionOf(draft.blocks, SECTION_PLACEHOLDERS.timeline),
      stage_durations: sectionOf(draft.blocks, SECTION_PLACEHOLDERS.stage_durations),
      summary: sectionOf(draft.blocks, SECTION_PLACEHOLDERS.summary),
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
function fillBlock(block: TemplateBlock, filling: Filling): NotionBlock[] {
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

const isoDate = (ms: number) => ({ start: new Date(ms).toISOString() });

/**
 * The properties that follow the incident (Severity, Incident start, Resolved, Time to resolve and to
 * acknowledge), as a new page gets them (what the incident lacks left out) or as a refresh sets them
 * (what it no longer has cleared). Title, Jira, Status and Owner are not among them: people change those.
 */
function incidentPropertiesOf(
  draft: PostmortemDraft,
  missing: 'omit-missing' | 'clear-missing',
): NonNullable<UpdatePageParameters['properties']> {
  type Property = NonNullable<UpdatePageParameters['properties']>[string];
  const entry = <V>(name: string, value: V | null, set: (value: V) => Property, clear: Property) =>
    value !== null ? { [name]: set(value) } : missing === 'clear-missing' ? { [name]: clear } : {};
  const text = (value: string): Property => ({ rich_text: richText(value) });
  return {
    [PROPERTY.incidentStart]: { date: isoDate(draft.incidentStartMs) },
    ...entry(PROPERTY.severity, draft.severity, (name) => ({ select: { name } }), { select: null }),
    ...entry(PROPERTY.resolved, draft.resolvedAtMs, (ms) => ({ date: isoDate(ms) }), { date: null }),
    ...entry(PROPERTY.timeToResolve, draft.timeToResolve, text, { rich_text: [] }),
    ...entry(PROPERTY.timeToAcknowledge, draft.timeToAcknowledge, text, { rich_text: [] }),
  };
}

/** A text property's value, split at Notion's 2,000 characters per item, never truncated (one empty item when empty). */
const richText = (text: string) => {
  const pieces = textPieces(text);
  return (pieces.length > 0 ? pieces : ['']).map((content) => ({ text: { content } }));
};

/**
 * Writes postmortems as pages of a Notion database (API 2025-09-03: the parent is the database's data
 * source). A database with several data sources gets its pages in the first one.
 */
export function createNotionPostmortemWriter(
  client: Client,
  options: NotionPostmortemWriterOptions,
): PostmortemWriter {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const templateWaitMs = options.templateWaitMs ?? DEFAULT_TEMPLATE_WAIT_MS;
  const timeZone = options.timeZone ?? 'UTC';
  let dataSourceId: string | undefined;
  let userIdsByEmail: Map<string, string> | undefined;

  async function call<T>(
    what: string,
    request: () => Promise<T>,
    shared = 'the postmortem database',
  ): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw translateNotionError(error, what, shared);
    }
  }

  async function dataSource(): Promise<string> {
    if (dataSourceId !== undefined) return dataSourceId;
    const what = `reading the postmortem database ${options.databaseId}`;
    const answer = await call(what, () => client.databases.retrieve({ database_id: options.databaseId }));
    const [first] = parseNotionAnswer(DatabaseAnswer, answer, what).data_sources;
    dataSourceId = first?.id;
    if (dataSourceId === undefined) throw new Error(`Notion answered ${what} without a data source`);
    return dataSourceId;
  }

  /** The workspace's people by email, read once per writer: emails need the "read user information including email" capability. */
  async function userIdOf(email: string): Promise<string | undefined> {
    if (userIdsByEmail === undefined) {
      const found = new Map<string, string>();
      let cursor: string | undefined;
      do {
        const start = cursor === undefined ? {} : { start_cursor: cursor };
        const answer = await call('listing the workspace users', () =>
          client.users.list({ page_size: 100, ...start }).catch((error: unknown) => {
            // Without the "read user information" capability there is no owner to set, but still a page to write.
            if (APIResponseError.isAPIResponseError(error) && error.code === APIErrorCode.RestrictedResource)
              return { results: [], has_more: false, next_cursor: null };
            throw error;
          }),
        );
        const page = parseNotionAnswer(UsersAnswer, answer, 'listing the workspace users');
        for (const user of page.results)
          if (user.type === 'person' && user.person?.email)
            found.set(user.person.email.toLowerCase(), user.id);
        cursor = page.has_more ? (page.next_cursor ?? undefined) : undefined;
      } while (cursor !== undefined);
      userIdsByEmail = found;
    }
    return userIdsByEmail.get(email.toLowerCase());
  }

  async function propertiesOf(draft: PostmortemDraft): Promise<CreatePageParameters['properties']> {
    const ownerId = draft.ownerEmail === null ? undefined : await userIdOf(draft.ownerEmail);
    return {
      [PROPERTY.title]: { title: richText(draft.title) },
      [PROPERTY.status]: { status: { name: DRAFT_STATUS } },
      ...(draft.jiraUrl === null ? {} : { [PROPERTY.jira]: { url: draft.jiraUrl } }),
      ...incidentPropertiesOf(draft, 'omit-missing'),
      ...(ownerId === undefined ? {} : { [PROPERTY.owner]: { people: [{ id: ownerId }] } }),
    };
  }

  /**
   * The page already written for this incident, if any. Looking before creating means a retry after a
   * crash (or a second run) never makes a second page; the price is that a page found is returned as it
   * is: one whose body was cut short by a failure is not completed, and a page a person titled
   * "<KEY>: …" by hand is taken for ours.
   */
  async function existingPage(source: string, incidentKey: string) {
    const what = `searching the postmortems for ${incidentKey}`;
    const answer = await call(what, () =>
      client.dataSources.query({
        data_source_id: source,
        filter: { property: PROPERTY.title, title: { starts_with: `${incidentKey}:` } },
        sorts: [{ timestamp: 'created_time', direction: 'ascending' }],
        page_size: 1,
      }),
    );
    return parseNotionAnswer(QueryAnswer, answer, what).results[0];
  }

  async function append(pageId: string, chunks: readonly NotionBlock[][], incidentKey: string) {
    for (const [i, chunk] of chunks.entries())
      await call(`adding part ${i + 1} of ${chunks.length} of the postmortem of ${incidentKey}`, () =>
        client.blocks.children.append({ block_id: pageId, children: asRequest(chunk) }),
      );
  }

  /** A page's or block's children, every page of them. */
  async function listChildren(blockId: string, what: string, shared?: string) {
    const found: BlockAnswer[] = [];
    let cursor: string | undefined;
    do {
      const start = cursor === undefined ? {} : { start_cursor: cursor };
      const answer = await call(
        what,
        () => client.blocks.children.list({ block_id: blockId, page_size: 100, ...start }),
        shared,
      );
      const page = parseNotionAnswer(ChildrenAnswer, answer, what);
      found.push(...page.results);
      cursor = page.has_more ? (page.next_cursor ?? undefined) : undefined;
    } while (cursor !== undefined);
    return found;
  }

  /** The template page's blocks, children read wherever Notion says a block has some. */
  async function readTemplate(pageId: string, blockId = pageId): Promise<TemplateBlock[]> {
    const what = `reading the postmortem template page ${pageId}`;
    const blocks: TemplateBlock[] = [];
    for (const block of await listChildren(blockId, what, 'the template page')) {
      const content = parseNotionAnswer(BlockContentAnswer, block[block.type] ?? {}, what);
      const hasOwnChildren = block.has_children && !OTHER_PAGES.has(block.type);
      const children = hasOwnChildren ? await readTemplate(pageId, block.id) : [];
      blocks.push({ type: block.type, content, children });
    }
    return blocks;
  }

  /**
   * Writes a new page's body after the blocks sent with its creation: the remaining chunks, then the
   * children that could not go with their parents, each under its parent found by listing, in order.
   */
  async function writeBody(
    pageId: string,
    body: RequestBlocks,
    chunks: readonly NotionBlock[][],
    incidentKey: string,
  ) {
    await append(pageId, chunks, incidentKey);
    const what = `reading the postmortem of ${incidentKey}`;
    const childIds = new Map<string, string[]>();
    for (const { path, children } of body.deferred) {
      let parentId = pageId;
      for (const index of path) {
        const ids = childIds.get(parentId) ?? (await listChildren(parentId, what)).map((block) => block.id);
        childIds.set(parentId, ids);
        const id = ids[index];
        if (id === undefined) throw new Error(`Notion answered ${what} without a block it had been sent`);
        parentId = id;
      }
      const inner = cutForRequest(children);
      await writeBody(parentId, inner, chunkBlocks(inner.sendable), incidentKey);
    }
  }

  /** Notion applies a template after answering the creation with a blank page: wait until it has blocks. */
  async function waitForTemplate(pageId: string, incidentKey: string) {
    const what = `reading the postmortem of ${incidentKey}`;
    let waitedMs = 0;
    let pauseMs = FIRST_POLL_PAUSE_MS;
    for (;;) {
      const answer = await call(what, () => client.blocks.children.list({ block_id: pageId, page_size: 1 }));
      if (parseNotionAnswer(ChildrenAnswer, answer, what).results.length > 0) return;
      if (waitedMs >= templateWaitMs)
        throw new UpstreamUnavailableError(
          `the template was not applied yet to the postmortem of ${incidentKey} after ${waitedMs} ms`,
          null,
        );
      const nextPauseMs = Math.min(pauseMs, templateWaitMs - waitedMs);
      await sleep(nextPauseMs);
      waitedMs += nextPauseMs;
      pauseMs = Math.min(pauseMs * 2, MAX_POLL_PAUSE_MS);
    }
  }

  return {
    async refreshProperties(postmortem, draft) {
      const what = `updating the properties of the postmortem of ${draft.incidentKey}`;
      try {
        await client.pages.update({
          page_id: postmortem.id,
          properties: incidentPropertiesOf(draft, 'clear-missing'),
        });
      } catch (error) {
        // A page someone deleted has nothing left to keep current; retrying would fail forever.
        if (APIResponseError.isAPIResponseError(error) && error.code === APIErrorCode.ObjectNotFound) return;
        throw translateNotionError(error, what, 'the postmortem database');
      }
    },
    async write(draft) {
      const source = await dataSource();
      const existing = await existingPage(source, draft.incidentKey);
      if (existing !== undefined) return { id: existing.id, url: existing.url, created: false };

      const properties = await propertiesOf(draft);
      const parent = { type: 'data_source_id', data_source_id: source } as const;
      const what = `creating the postmortem page of ${draft.incidentKey}`;
      const { template } = options;
      const createWith = async (blocks: readonly NotionBlock[]) => {
        const body = cutForRequest(blocks);
        const [first = [], ...rest] = chunkBlocks(body.sendable);
        const answer = await call(what, () =>
          client.pages.create({ parent, properties, children: asRequest(first) }),
        );
        const page = parseNotionAnswer(PageAnswer, answer, what);
        await writeBody(page.id, body, rest, draft.incidentKey);
        return { ...page, created: true };
      };
      switch (template.kind) {
        case 'built-in':
          return createWith(draft.blocks);
        case 'template-page': {
          // Read before creating: a template that cannot be read leaves no page behind.
          const filling = fillingOf(draft, timeZone);
          const blocks = (await readTemplate(template.pageId)).flatMap((block) => fillBlock(block, filling));
          return createWith(blocks);
        }
        case 'default':
        case 'template-id': {
          const answer = await call(what, () =>
            client.pages.create({
              parent,
              properties,
              template:
                template.kind === 'default'
                  ? { type: 'default' }
                  : { type: 'template_id', template_id: template.id },
            }),
          );
          const page = parseNotionAnswer(PageAnswer, answer, what);
          await waitForTemplate(page.id, draft.incidentKey);
          const body = cutForRequest(draft.blocks);
          await writeBody(page.id, body, chunkBlocks(body.sendable), draft.incidentKey);
          return { ...page, created: true };
        }
        default:
          return template satisfies never;
      }
    },
  };
}
