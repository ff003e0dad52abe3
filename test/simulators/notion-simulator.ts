import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LocalClock, systemClock } from '../../bin/local-clock.ts';
import { createTokenBucket } from './token-bucket.ts';

export interface NotionSimulatorOptions {
  /** The integration token the simulator accepts as `Authorization: Bearer …` (default 'secret_test'). */
  readonly token?: string;
  /** Token-bucket refill rate: Notion's documented average of three requests per second by default. */
  readonly requestsPerSecond?: number;
  /** Bucket size, the burst allowed beyond the average (default 3: Notion documents "some bursts" without a number). */
  readonly burst?: number;
  /** How long after a templated page is created its template's blocks appear (default 200 ms). */
  readonly templateDelayMs?: number;
  /** The clock of the rate limit and the template's delay (default the system's); tests advance a fake. */
  readonly clock?: LocalClock;
  /** The workspace's people (default one: Ada Lovelace, ada@example.com). */
  readonly people?: readonly { readonly name: string; readonly email: string }[];
  /**
   * The integration's user capability (default 'including-email'): 'without-email' answers people without
   * `person.email`; 'none' refuses the users endpoints with 403 restricted_resource (GET users/me still works).
   */
  readonly userInformation?: 'including-email' | 'without-email' | 'none';
}

/** A block as the simulator stores it: its type, its text (plain, cells joined by " | ") and its children. */
export interface SimulatedBlock {
  readonly id: string;
  readonly type: string;
  readonly text: string;
  readonly content: Record<string, unknown>;
  readonly children: readonly SimulatedBlock[];
}

type Json = Record<string, unknown>;

/** A refusal in Notion's error shape. */
interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Record<string, string>;
}

interface StoredBlock {
  readonly id: string;
  readonly parent: Json;
  readonly type: string;
  content: Json;
  inTrash: boolean;
  readonly createdTime: string;
  lastEditedTime: string;
}

interface StoredPage {
  readonly id: string;
  readonly parent: Json;
  readonly dataSourceId: string | null;
  properties: Record<string, Json>;
  inTrash: boolean;
  readonly createdTime: string;
  lastEditedTime: string;
}

interface PropertySchema {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly config: Json;
}

const MAX_TEXT_CHARACTERS = 2000;
const MAX_EQUATION_CHARACTERS = 1000;
const MAX_ARRAY_ELEMENTS = 100;
const MAX_BLOCKS_PER_REQUEST = 1000;
const MAX_PAYLOAD_BYTES = 500 * 1024;
/** Children may nest two levels below the blocks of a request: a block at depth 3 has none. */
const MAX_BLOCK_DEPTH = 3;
const OLDEST_VERSION = '2025-09-03';

const TEXT_BLOCK_TYPES = new Set([
  'paragraph',
  'heading_1',
  'heading_2',
  'heading_3',
  'bulleted_list_item',
  'numbered_list_item',
  'to_do',
  'toggle',
  'quote',
  'callout',
  'code',
]);
const PARENT_BLOCK_TYPES = new Set([
  'paragraph',
  'bulleted_list_item',
  'numbered_list_item',
  'to_do',
  'toggle',
  'quote',
  'callout',
  'table',
  'heading_1',
  'heading_2',
  'heading_3',
]);
const BLOCK_TYPES = new Set([...TEXT_BLOCK_TYPES, 'divider', 'table', 'table_row', 'bookmark', 'equation']);
const DEFAULT_ANNOTATIONS = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
};

/** The mention types a request may carry: Notion answers link previews and link mentions, never takes them. */
const REQUEST_MENTION_TYPES = new Set([
  'user',
  'date',
  'page',
  'database',
  'template_mention',
  'custom_emoji',
]);
const RICH_TEXT_FIELDS = ['rich_text', 'color'];
/** What PATCH /v1/blocks/:id may change, by block type: never the children (they are appended instead). */
const UPDATABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  paragraph: RICH_TEXT_FIELDS,
  bulleted_list_item: RICH_TEXT_FIELDS,
  numbered_list_item: RICH_TEXT_FIELDS,
  quote: RICH_TEXT_FIELDS,
  toggle: RICH_TEXT_FIELDS,
  heading_1: [...RICH_TEXT_FIELDS, 'is_toggleable'],
  heading_2: [...RICH_TEXT_FIELDS, 'is_toggleable'],
  heading_3: [...RICH_TEXT_FIELDS, 'is_toggleable'],
  to_do: [...RICH_TEXT_FIELDS, 'checked'],
  callout: [...RICH_TEXT_FIELDS, 'icon'],
  code: ['rich_text', 'language', 'caption'],
  divider: [],
  table: ['has_column_header', 'has_row_header'],
  table_row: ['cells'],
  bookmark: ['url', 'caption'],
  equation: ['expression'],
};
const IN_TRASH = "Can't edit block that is archived. You must unarchive the block before editing.";

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const tooLong = (path: string, limit: number, actual: number) =>
  `${path} should be ≤ \`${limit}\`, instead was \`${actual}\`.`;

const validation = (message: string): Refusal => ({ status: 400, code: 'validation_error', message });

const notFound = (kind: string, id: string): Refusal => ({
  status: 404,
  code: 'object_not_found',
  message: `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
});

/** Notion accepts ids with or without dashes and answers with dashed, lower-case UUIDs. */
function normalizeId(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return id;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A mention's type: its `type`, or else the key holding its value. */
const mentionTypeOf = (mention: Json): string | undefined =>
  typeof mention.type === 'string' ? mention.type : Object.keys(mention).find((key) => key !== 'type');

const plainTextOf = (richText: unknown): string =>
  Array.isArray(richText)
    ? richText
        .map((item) => (isObject(item) && typeof item.plain_text === 'string' ? item.plain_text : ''))
        .join('')
    : '';

function seedSchema(): Record<string, PropertySchema> {
  const option = (name: string, color: string) => ({
    id: randomUUID().slice(0, 4),
    name,
    color,
    description: null,
  });
  const schema: PropertySchema[] = [
    { id: 'title', name: 'Name', type: 'title', config: {} },
    { id: 'jira', name: 'Jira', type: 'url', config: {} },
    {
      id: 'sev',
      name: 'Severity',
      type: 'select',
      config: {
        options: [
          option('SEV1', 'red'),
          option('SEV2', 'orange'),
          option('SEV3', 'yellow'),
          option('SEV4', 'gray'),
        ],
      },
    },
    {
      id: 'stat',
      name: 'Status',
      type: 'status',
      config: {
        options: [option('Draft', 'default'), option('In review', 'blue'), option('Published', 'green')],
        groups: [],
      },
    },
    { id: 'strt', name: 'Incident start', type: 'date', config: {} },
    { id: 'rslv', name: 'Resolved', type: 'date', config: {} },
    { id: 'ttr', name: 'Time to resolve', type: 'rich_text', config: {} },
    { id: 'tta', name: 'Time to acknowledge', type: 'rich_text', config: {} },
    { id: 'ownr', name: 'Owner', type: 'people', config: {} },
  ];
  return Object.fromEntries(schema.map((property) => [property.name, property]));
}

/** The blocks of the data source's "Postmortem template", in request form. */
const TEMPLATE_BLOCKS: readonly Json[] = [
  'Summary',
  'Impact',
  'Root Cause',
  'Resolution',
  'Timeline',
  'Action Items',
].flatMap((heading) => [
  { type: 'heading_2', heading_2: { rich_text: [{ type: 'text', text: { content: heading } }] } },
  { type: 'paragraph', paragraph: { rich_text: [] } },
]);

/** Versions are dates: anything from 2025-09-03 on is the data-source era this simulator speaks. */
const isSupportedVersion = (version: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= OLDEST_VERSION;

/**
 * The Notion API over HTTP, as @notionhq/client v5 calls it with Notion-Version 2025-09-03 or later: a
 * seeded postmortem database with one data source and one template, pages, block children, users and
 * comments, with Notion's documented request limits (rich text, array sizes, nesting depth, payload
 * size, a rate limit answered by 429 and Retry-After) enforced, so the Notion adapter is tested through
 * the real client.
 */
export async function startNotionSimulator(options: NotionSimulatorOptions = {}) {
  const token = options.token ?? 'secret_test';
  const templateDelayMs = options.templateDelayMs ?? 200;
  const clock = options.clock ?? systemClock;
  const bucket = createTokenBucket(options.requestsPerSecond ?? 3, options.burst ?? 3, clock.nowMs);
  const now = () => new Date().toISOString();

  const bot = {
    object: 'user',
    id: randomUUID(),
    name: 'Incident Flow',
    avatar_url: null,
    type: 'bot',
    bot: { owner: { type: 'workspace', workspace: true }, workspace_name: 'Simulated workspace' },
  };
  const userInformation = options.userInformation ?? 'including-email';
  const person = (id: string, name: string, email: string | null) => ({
    object: 'user',
    id,
    name,
    avatar_url: null,
    type: 'person',
    person: email === null ? {} : { email },
  });
  const people = (options.people ?? [{ name: 'Ada Lovelace', email: 'ada@example.com' }]).map(
    ({ name, email }) => person(randomUUID(), name, email),
  );
  const users = new Map<string, Json>([bot, ...people].map((user) => [user.id, user]));
  /** A user as the integration's capability lets it see one: emails only with 'including-email'. */
  const userResponse = (user: Json): Json =>
    user.type === 'person' && userInformation !== 'including-email' ? { ...user, person: {} } : user;
  const noUserInformation: Refusal = {
    status: 403,
    code: 'restricted_resource',
    message: 'Insufficient permissions for this endpoint.',
  };
  const createdBy = { object: 'user', id: bot.id };

  const databaseId = randomUUID();
  const dataSourceId = randomUUID();
  const templateId = randomUUID();
  const workspacePageId = randomUUID();
  const schema = seedSchema();
  const templates = [{ id: templateId, name: 'Postmortem template', is_default: true }];
  const seededAt = now();

  const pages = new Map<string, StoredPage>();
  const blocks = new Map<string, StoredBlock>();
  const childIds = new Map<string, string[]>();
  const comments: Json[] = [];
  const served = { requestCount: 0, rateLimitedCount: 0 };
  const injected: Refusal[] = [];
  const timers = new Set<() => void>();

  const richText = (content: string) => [normalizeRichText({ type: 'text', text: { content } })];

  function normalizeRichText(item: Json): Json {
    const annotations = { ...DEFAULT_ANNOTATIONS, ...(isObject(item.annotations) ? item.annotations : {}) };
    if (isObject(item.mention)) {
      const mentionType = mentionTypeOf(item.mention) ?? 'user';
      const target = isObject(item.mention[mentionType]) ? (item.mention[mentionType] as Json) : {};
      const mention = (value: Json, plainText: string) => ({
        type: 'mention',
        mention: { type: mentionType, [mentionType]: value },
        annotations,
        plain_text: plainText,
        href: null,
      });
      switch (mentionType) {
        case 'user': {
          const id = normalizeId(String(target.id));
          const user = users.get(id);
          // A person the workspace does not know reads as in Notion's own example of a mention.
          return mention({ object: 'user', id }, `@${user ? String(user.name) : 'Anonymous'}`);
        }
        case 'date': {
          const start = String(target.start);
          const end = typeof target.end === 'string' ? target.end : null;
          const zone = typeof target.time_zone === 'string' ? { time_zone: target.time_zone } : {};
          return mention({ start, end, ...zone }, end === null ? start : `${start} → ${end}`);
        }
        default:
          return mention(target, mentionType);
      }
    }
    if (isObject(item.equation)) {
      const expression = String(item.equation.expression);
      return { type: 'equation', equation: { expression }, annotations, plain_text: expression, href: null };
    }
    const text = isObject(item.text) ? item.text : {};
    const link = isObject(text.link) ? { url: String(text.link.url) } : null;
    const content = String(text.content);
    return {
      type: 'text',
      text: { content, link },
      annotations,
      plain_text: content,
      href: link?.url ?? null,
    };
  }

  function mentionProblem(mention: Json, at: string): string | null {
    const type = mentionTypeOf(mention);
    if (type === undefined || !REQUEST_MENTION_TYPES.has(type))
      return `${at} should be one of ${[...REQUEST_MENTION_TYPES].join(', ')}, instead was \`${JSON.stringify(mention)}\`.`;
    const value = mention[type];
    if (!isObject(value))
      return `${at}.${type} should be an object, instead was \`${JSON.stringify(value)}\`.`;
    if (type === 'user' && !users.has(normalizeId(String(value.id))))
      return `${at}.user.id should be a user of the workspace, instead was \`${String(value.id)}\`.`;
    if (type === 'date') {
      const isDate = (date: unknown) => typeof date === 'string' && !Number.isNaN(Date.parse(date));
      if (!isDate(value.start))
        return `${at}.date.start should be a valid ISO 8601 date string, instead was \`${String(value.start)}\`.`;
      if (value.end != null && !isDate(value.end))
        return `${at}.date.end should be a valid ISO 8601 date string, instead was \`${String(value.end)}\`.`;
    }
    if ((type === 'page' || type === 'database') && typeof value.id !== 'string')
      return `${at}.${type}.id should be defined, instead was \`undefined\`.`;
    return null;
  }

  function richTextProblem(value: unknown, path: string): string | null {
    if (!Array.isArray(value)) return `${path} should be an array, instead was \`${JSON.stringify(value)}\`.`;
    if (value.length > MAX_ARRAY_ELEMENTS) return tooLong(`${path}.length`, MAX_ARRAY_ELEMENTS, value.length);
    for (const [i, item] of value.entries()) {
      const at = `${path}[${i}]`;
      if (!isObject(item)) return `${at} should be an object.`;
      if (isObject(item.text)) {
        if (typeof item.text.content !== 'string') return `${at}.text.content should be a string.`;
        if (item.text.content.length > MAX_TEXT_CHARACTERS)
          return tooLong(`${at}.text.content.length`, MAX_TEXT_CHARACTERS, item.text.content.length);
        const url = isObject(item.text.link) ? item.text.link.url : undefined;
        if (typeof url === 'string' && url.length > MAX_TEXT_CHARACTERS)
          return tooLong(`${at}.text.link.url.length`, MAX_TEXT_CHARACTERS, url.length);
      } else if (isObject(item.equation)) {
        const expression = String(item.equation.expression ?? '');
        if (expression.length > MAX_EQUATION_CHARACTERS)
          return tooLong(`${at}.equation.expression.length`, MAX_EQUATION_CHARACTERS, expression.length);
      } else if (isObject(item.mention)) {
        const problem = mentionProblem(item.mention, `${at}.mention`);
        if (problem) return problem;
      } else return `${at} should be a text, mention or equation object.`;
    }
    return null;
  }

  /**
   * Checks a children array of a request, recursively; counts its blocks in `counted`. `tableWidth` is
   * the width of the table they go into (rows go into tables only, and tables take only rows).
   */
  function blocksProblem(
    children: unknown,
    path: string,
    depth: number,
    counted: { count: number },
    tableWidth: number | null = null,
  ): string | null {
    if (!Array.isArray(children))
      return `${path} should be an array, instead was \`${JSON.stringify(children)}\`.`;
    if (children.length > MAX_ARRAY_ELEMENTS)
      return tooLong(`${path}.length`, MAX_ARRAY_ELEMENTS, children.length);
    for (const [i, block] of children.entries()) {
      const at = `${path}[${i}]`;
      if (!isObject(block)) return `${at} should be an object.`;
      const type =
        typeof block.type === 'string' ? block.type : Object.keys(block).find((key) => BLOCK_TYPES.has(key));
      if (type === undefined || !BLOCK_TYPES.has(type))
        return `${at} should be a block of a supported type (${[...BLOCK_TYPES].join(', ')}), instead was \`${String(type)}\`.`;
      const content = block[type];
      if (!isObject(content)) return `${at}.${type} should be defined, instead was \`undefined\`.`;
      counted.count += 1;
      if ((type === 'table_row') !== (tableWidth !== null))
        return tableWidth === null
          ? `${at} should not be a table_row: rows go only into a table.`
          : `${at} should be a table_row, instead was \`${type}\`: a table holds only rows.`;
      if (TEXT_BLOCK_TYPES.has(type)) {
        const problem = richTextProblem(content.rich_text, `${at}.${type}.rich_text`);
        if (problem) return problem;
      }
      if (type === 'code' && typeof content.language !== 'string')
        return `${at}.code.language should be defined, instead was \`undefined\`.`;
      if (type === 'table_row') {
        const problem = cellsProblem(content.cells, `${at}.table_row.cells`, tableWidth ?? 0);
        if (problem) return problem;
      }
      if (type === 'table') {
        const width = content.table_width;
        if (typeof width !== 'number' || !Number.isInteger(width) || width < 1)
          return `${at}.table.table_width should be an integer ≥ 1, instead was \`${JSON.stringify(width)}\`.`;
        for (const flag of ['has_column_header', 'has_row_header'])
          if (content[flag] !== undefined && typeof content[flag] !== 'boolean')
            return `${at}.table.${flag} should be a boolean, instead was \`${JSON.stringify(content[flag])}\`.`;
        if (!Array.isArray(content.children) || content.children.length === 0)
          return `${at}.table.children should be defined, instead was \`undefined\`: a table is created with at least one row.`;
      }
      if (content.children !== undefined) {
        if (!PARENT_BLOCK_TYPES.has(type) || depth >= MAX_BLOCK_DEPTH)
          return `${at}.${type}.children should be not present, instead was \`${JSON.stringify(content.children).slice(0, 60)}\`.`;
        const problem = blocksProblem(
          content.children,
          `${at}.${type}.children`,
          depth + 1,
          counted,
          type === 'table' ? (content.table_width as number) : null,
        );
        if (problem) return problem;
      }
    }
    return null;
  }

  /** A row's cells: exactly as many as its table is wide, each a rich-text array. */
  function cellsProblem(cells: unknown, path: string, tableWidth: number): string | null {
    if (!Array.isArray(cells)) return `${path} should be an array.`;
    if (cells.length !== tableWidth)
      return `${path}.length should be \`${tableWidth}\` (the table's table_width), instead was \`${cells.length}\`.`;
    for (const [j, cell] of cells.entries()) {
      const problem = richTextProblem(cell, `${path}[${j}]`);
      if (problem) return problem;
    }
    return null;
  }

  /** Checks the children of a request going into a page, or into a table when `tableWidth` is given. */
  function validateChildren(
    children: unknown,
    path: string,
    tableWidth: number | null = null,
  ): Refusal | null {
    const counted = { count: 0 };
    const problem = blocksProblem(children, path, 1, counted, tableWidth);
    if (problem) return validation(`body failed validation: ${problem}`);
    if (counted.count > MAX_BLOCKS_PER_REQUEST)
      return validation(
        `body failed validation: ${tooLong(`${path} block count`, MAX_BLOCKS_PER_REQUEST, counted.count)}`,
      );
    return null;
  }

  /** Stores validated request blocks under a page or block, after `afterId` when given; returns the new top-level ids. */
  function storeBlocks(parentId: string, requestBlocks: readonly Json[], afterId?: string): string[] {
    const parentIsPage = pages.has(parentId);
    const created = requestBlocks.map((block) => {
      const type =
        typeof block.type === 'string'
          ? block.type
          : (Object.keys(block).find((key) => BLOCK_TYPES.has(key)) ?? '');
      const { children, ...rest } = block[type] as Json;
      const content: Json = { ...rest };
      if (Array.isArray(content.rich_text))
        content.rich_text = (content.rich_text as Json[]).map(normalizeRichText);
      if (Array.isArray(content.caption))
        content.caption = (content.caption as Json[]).map(normalizeRichText);
      if (Array.isArray(content.cells))
        content.cells = (content.cells as Json[][]).map((cell) => cell.map(normalizeRichText));
      if (TEXT_BLOCK_TYPES.has(type) && content.color === undefined) content.color = 'default';
      if (type === 'to_do' && content.checked === undefined) content.checked = false;
      if (type === 'table') {
        content.has_column_header ??= false;
        content.has_row_header ??= false;
      }
      const id = randomUUID();
      const createdTime = now();
      blocks.set(id, {
        id,
        parent: parentIsPage
          ? { type: 'page_id', page_id: parentId }
          : { type: 'block_id', block_id: parentId },
        type,
        content,
        inTrash: false,
        createdTime,
        lastEditedTime: createdTime,
      });
      if (Array.isArray(children)) storeBlocks(id, children as Json[]);
      return id;
    });
    const siblings = childIds.get(parentId) ?? [];
    const at = afterId === undefined ? siblings.length : siblings.indexOf(afterId) + 1;
    siblings.splice(at, 0, ...created);
    childIds.set(parentId, siblings);
    return created;
  }

  /** The children a listing shows: those in the trash are gone from it. */
  const visibleChildren = (parentId: string): StoredBlock[] =>
    (childIds.get(parentId) ?? []).flatMap((id) => {
      const block = blocks.get(id);
      return block && !block.inTrash ? [block] : [];
    });

  function blockResponse(block: StoredBlock): Json {
    return {
      object: 'block',
      id: block.id,
      parent: block.parent,
      created_time: block.createdTime,
      last_edited_time: block.lastEditedTime,
      created_by: createdBy,
      last_edited_by: createdBy,
      has_children: visibleChildren(block.id).length > 0,
      in_trash: block.inTrash,
      archived: block.inTrash,
      type: block.type,
      [block.type]: block.content,
    };
  }

  /** Moves a block to the trash: it and its children drop out of listings, as in the app. */
  function trash(block: StoredBlock) {
    block.inTrash = true;
    block.lastEditedTime = now();
  }

  /** PATCH /v1/blocks/:id: the type's own fields (replaced whole, omitted ones kept) and the trash flag. */
  function updateBlock(block: StoredBlock, body: Json): Refusal | Json {
    const trashFlag = body.in_trash ?? body.archived;
    if (trashFlag !== undefined && typeof trashFlag !== 'boolean')
      return validation(
        `body failed validation: body.in_trash should be a boolean, instead was \`${JSON.stringify(trashFlag)}\`.`,
      );
    if (block.inTrash && trashFlag !== false) return validation(IN_TRASH);
    const typeKeys = Object.keys(body).filter(
      (key) => Object.hasOwn(UPDATABLE_FIELDS, key) || BLOCK_TYPES.has(key),
    );
    const mismatch = typeKeys.find((key) => key !== block.type);
    if (mismatch !== undefined || (body.type !== undefined && body.type !== block.type))
      return validation(
        `body failed validation. Fix one:\nbody.${block.type} should be defined, instead was \`undefined\`.\nbody.${mismatch ?? 'type'} should be not present, instead was \`${JSON.stringify(body[mismatch ?? 'type']).slice(0, 60)}\`.`,
      );
    const given = body[block.type];
    if (given !== undefined) {
      const at = `body.${block.type}`;
      if (!isObject(given)) return validation(`body failed validation: ${at} should be an object.`);
      const allowed = UPDATABLE_FIELDS[block.type] ?? [];
      const extra = Object.keys(given).find((field) => !allowed.includes(field));
      if (extra !== undefined)
        return validation(
          `body failed validation: ${at}.${extra} should be not present, instead was \`${JSON.stringify(given[extra]).slice(0, 60)}\`.`,
        );
      for (const field of ['rich_text', 'caption'])
        if (given[field] !== undefined) {
          const problem = richTextProblem(given[field], `${at}.${field}`);
          if (problem) return validation(`body failed validation: ${problem}`);
        }
      if (block.type === 'table_row' && given.cells !== undefined) {
        const table = blocks.get(String((block.parent as Json).block_id));
        const problem = cellsProblem(given.cells, `${at}.cells`, Number(table?.content.table_width));
        if (problem) return validation(`body failed validation: ${problem}`);
      }
      if (given.checked !== undefined && typeof given.checked !== 'boolean')
        return validation(
          `body failed validation: ${at}.checked should be a boolean, instead was \`${JSON.stringify(given.checked)}\`.`,
        );
      const changes: Json = { ...given };
      for (const field of ['rich_text', 'caption'])
        if (Array.isArray(changes[field])) changes[field] = (changes[field] as Json[]).map(normalizeRichText);
      if (Array.isArray(changes.cells))
        changes.cells = (changes.cells as Json[][]).map((cell) => cell.map(normalizeRichText));
      block.content = { ...block.content, ...changes };
    }
    if (typeof trashFlag === 'boolean') block.inTrash = trashFlag;
    block.lastEditedTime = now();
    return blockResponse(block);
  }

  function pageUrl(page: StoredPage): string {
    const titleProperty = Object.values(page.properties).find((value) => value.type === 'title');
    const slug = plainTextOf(titleProperty?.title)
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    const hex = page.id.replace(/-/g, '');
    return `https://app.notion.com/p/${slug ? `${slug}-` : ''}${hex}`;
  }

  function pageResponse(page: StoredPage): Json {
    return {
      object: 'page',
      id: page.id,
      created_time: page.createdTime,
      last_edited_time: page.lastEditedTime,
      created_by: createdBy,
      last_edited_by: createdBy,
      cover: null,
      icon: null,
      parent: page.parent,
      in_trash: page.inTrash,
      is_archived: page.inTrash,
      is_locked: false,
      properties: page.properties,
      url: pageUrl(page),
      public_url: null,
      archived: page.inTrash,
    };
  }

  /** Validates property values against the schema and answers them in response form. */
  function propertyValues(
    input: unknown,
    dataSource: string | null,
  ): { refusal: Refusal } | { values: Record<string, Json> } {
    const outcome = propertyValuesOrRefusal(input, dataSource);
    return 'code' in outcome && typeof outcome.code === 'string'
      ? { refusal: outcome as Refusal }
      : { values: outcome as Record<string, Json> };
  }

  function propertyValuesOrRefusal(
    input: unknown,
    dataSource: string | null,
  ): Refusal | Record<string, Json> {
    if (input === undefined) return {};
    if (!isObject(input)) return validation('body failed validation: body.properties should be an object.');
    const values: Record<string, Json> = {};
    for (const [key, raw] of Object.entries(input)) {
      const property =
        dataSource === null
          ? key === 'title'
            ? { id: 'title', name: 'title', type: 'title', config: {} }
            : undefined
          : (schema[key] ?? Object.values(schema).find((candidate) => candidate.id === key));
      if (property === undefined) return validation(`${key} is not a property that exists.`);
      // Notion also takes a bare rich-text array (the page-create fixture's request sent one).
      const value =
        Array.isArray(raw) && (property.type === 'title' || property.type === 'rich_text')
          ? { [property.type]: raw }
          : raw;
      if (!isObject(value) || !(property.type in value))
        return validation(`${property.name} is expected to be ${property.type}.`);
      const given = value[property.type];
      const at = `body.properties.${property.name}.${property.type}`;
      const base = { id: property.id, type: property.type };
      switch (property.type) {
        case 'title':
        case 'rich_text': {
          const problem = richTextProblem(given, at);
          if (problem) return validation(`body failed validation: ${problem}`);
          values[property.name] = { ...base, [property.type]: (given as Json[]).map(normalizeRichText) };
          break;
        }
        case 'url':
          if (given !== null && typeof given !== 'string')
            return validation(`${property.name} is expected to be url.`);
          if (typeof given === 'string' && given.length > MAX_TEXT_CHARACTERS)
            return validation(
              `body failed validation: ${tooLong(`${at}.length`, MAX_TEXT_CHARACTERS, given.length)}`,
            );
          values[property.name] = { ...base, url: given };
          break;
        case 'number':
          if (given !== null && typeof given !== 'number')
            return validation(`${property.name} is expected to be number.`);
          values[property.name] = { ...base, number: given };
          break;
        case 'select':
        case 'status': {
          if (given === null && property.type === 'select') {
            values[property.name] = { ...base, select: null };
            break;
          }
          if (!isObject(given)) return validation(`${property.name} is expected to be ${property.type}.`);
          const options = property.config.options as Json[];
          let option = options.find(
            (candidate) => candidate.name === given.name || candidate.id === given.id,
          );
          // Notion adds a new select option on write; status options can only be made in the app.
          if (option === undefined && property.type === 'select' && typeof given.name === 'string') {
            option = { id: randomUUID().slice(0, 4), name: given.name, color: 'default', description: null };
            options.push(option);
          }
          if (option === undefined)
            return validation(
              `Invalid status option. Status option "${String(given.name ?? given.id)}" does not exist".`,
            );
          values[property.name] = {
            ...base,
            [property.type]: { id: option.id, name: option.name, color: option.color },
          };
          break;
        }
        case 'date': {
          if (given === null) {
            values[property.name] = { ...base, date: null };
            break;
          }
          if (!isObject(given) || typeof given.start !== 'string' || Number.isNaN(Date.parse(given.start)))
            return validation(`body failed validation: ${at}.start should be a valid ISO 8601 date string.`);
          if (given.end != null && (typeof given.end !== 'string' || Number.isNaN(Date.parse(given.end))))
            return validation(`body failed validation: ${at}.end should be a valid ISO 8601 date string.`);
          values[property.name] = {
            ...base,
            date: { start: given.start, end: given.end ?? null, time_zone: given.time_zone ?? null },
          };
          break;
        }
        case 'people': {
          if (!Array.isArray(given)) return validation(`${property.name} is expected to be people.`);
          if (given.length > MAX_ARRAY_ELEMENTS)
            return validation(
              `body failed validation: ${tooLong(`${at}.length`, MAX_ARRAY_ELEMENTS, given.length)}`,
            );
          const ids = given.map((person) => (isObject(person) ? normalizeId(String(person.id)) : ''));
          const unknown = ids.find((id) => !users.has(id));
          if (unknown !== undefined) return validation(`Could not find user with ID: ${unknown}.`);
          values[property.name] = { ...base, people: ids.map((id) => users.get(id)) };
          break;
        }
        default:
          return validation(`${property.name} is expected to be ${property.type}.`);
      }
    }
    return values;
  }

  /** Every schema property, empty where a page has no value: as Notion answers a page. */
  function emptyProperties(dataSource: string | null): Record<string, Json> {
    if (dataSource === null) return { title: { id: 'title', type: 'title', title: [] } };
    const empty: Record<string, unknown> = {
      title: [],
      rich_text: [],
      url: null,
      number: null,
      select: null,
      date: null,
      people: [],
    };
    return Object.fromEntries(
      Object.values(schema).map((property) => {
        const status = property.type === 'status' ? (property.config.options as Json[])[0] : undefined;
        const value = status
          ? { id: status.id, name: status.name, color: status.color }
          : empty[property.type];
        return [property.name, { id: property.id, type: property.type, [property.type]: value }];
      }),
    );
  }

  function createPage(body: Json): Refusal | Json {
    const parent = body.parent;
    if (!isObject(parent))
      return validation('body failed validation: body.parent should be defined, instead was `undefined`.');
    let parentResponse: Json = {
      type: 'data_source_id',
      data_source_id: dataSourceId,
      database_id: databaseId,
    };
    let dataSource: string | null = null;
    if (typeof parent.data_source_id === 'string') {
      if (normalizeId(parent.data_source_id) !== dataSourceId)
        return notFound('data_source', parent.data_source_id);
      dataSource = dataSourceId;
    } else if (typeof parent.database_id === 'string') {
      // Notion still takes a database parent while the database has a single data source.
      if (normalizeId(parent.database_id) !== databaseId) return notFound('database', parent.database_id);
      dataSource = dataSourceId;
    } else if (typeof parent.page_id === 'string') {
      const pageId = normalizeId(parent.page_id);
      if (pageId !== workspacePageId && !pages.has(pageId)) return notFound('page', parent.page_id);
      parentResponse = { type: 'page_id', page_id: pageId };
    } else
      return validation(
        'body failed validation: body.parent should be a data_source_id, database_id or page_id parent.',
      );

    const template = isObject(body.template) ? body.template : { type: 'none' };
    const usesTemplate = template.type === 'default' || template.type === 'template_id';
    if (usesTemplate && dataSource === null)
      return validation('body failed validation: body.template can only be used with a data source parent.');
    if (
      usesTemplate &&
      (body.children !== undefined || body.content !== undefined || body.markdown !== undefined)
    )
      return validation(
        'body failed validation: body.children should be not present when body.template is used.',
      );
    if (template.type === 'template_id' && normalizeId(String(template.template_id)) !== templateId)
      return notFound('template', String(template.template_id));
    if (body.children !== undefined) {
      const refusal = validateChildren(body.children, 'body.children');
      if (refusal) return refusal;
    }
    const values = propertyValues(body.properties, dataSource);
    if ('refusal' in values) return values.refusal;

    const createdTime = now();
    const page: StoredPage = {
      id: randomUUID(),
      parent: parentResponse,
      dataSourceId: dataSource,
      properties: { ...emptyProperties(dataSource), ...values.values },
      inTrash: false,
      createdTime,
      lastEditedTime: createdTime,
    };
    pages.set(page.id, page);
    childIds.set(page.id, []);
    if (Array.isArray(body.children)) storeBlocks(page.id, body.children as Json[]);
    if (usesTemplate) {
      // Notion duplicates the template in the background: the page answered now is blank.
      const cancel = clock.at(clock.nowMs() + templateDelayMs, () => {
        timers.delete(cancel);
        storeBlocks(page.id, TEMPLATE_BLOCKS);
      });
      timers.add(cancel);
    }
    return pageResponse(page);
  }

  function updatePage(page: StoredPage, body: Json): Refusal | Json {
    const values = propertyValues(body.properties, page.dataSourceId);
    if ('refusal' in values) return values.refusal;
    page.properties = { ...page.properties, ...values.values };
    const trash = body.in_trash ?? body.archived;
    if (typeof trash === 'boolean') page.inTrash = trash;
    page.lastEditedTime = now();
    return pageResponse(page);
  }

  /** Cursor pagination as Notion does it: page_size ≤ 100, the cursor is the next item's id. */
  function paginate(items: readonly Json[], query: URLSearchParams | Json, type: string): Refusal | Json {
    const get = (name: string) => (query instanceof URLSearchParams ? query.get(name) : query[name]);
    const pageSize = Number(get('page_size') ?? 100);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
      return validation(`body failed validation: ${tooLong('page_size', 100, pageSize)}`);
    const cursor = get('start_cursor');
    const start = cursor == null ? 0 : items.findIndex((item) => item.id === cursor);
    if (start < 0) return validation(`start_cursor ${String(cursor)} is not a valid cursor.`);
    const results = items.slice(start, start + pageSize);
    const next = items[start + pageSize];
    return {
      object: 'list',
      results,
      next_cursor: next === undefined ? null : next.id,
      has_more: next !== undefined,
      type,
      [type]: {},
    };
  }

  function listChildren(parentId: string, query: URLSearchParams): Refusal | Json {
    if (!pages.has(parentId) && !blocks.has(parentId)) return notFound('block', parentId);
    return paginate(visibleChildren(parentId).map(blockResponse), query, 'block');
  }

  function appendChildren(parentId: string, body: Json): Refusal | Json {
    const parentBlock = blocks.get(parentId);
    if (!pages.has(parentId) && parentBlock === undefined) return notFound('block', parentId);
    if (parentBlock && !PARENT_BLOCK_TYPES.has(parentBlock.type))
      return validation(`Block type ${parentBlock.type} does not support children.`);
    if (parentBlock?.inTrash) return validation(IN_TRASH);
    const tableWidth = parentBlock?.type === 'table' ? Number(parentBlock.content.table_width) : null;
    const refusal = validateChildren(body.children, 'body.children', tableWidth);
    if (refusal) return refusal;
    const position = isObject(body.position) ? body.position : undefined;
    const after =
      typeof body.after === 'string'
        ? body.after
        : position?.type === 'after_block' && isObject(position.after_block)
          ? String(position.after_block.id)
          : undefined;
    const siblings = childIds.get(parentId) ?? [];
    const afterId = after === undefined ? undefined : normalizeId(after);
    if (afterId !== undefined && !siblings.includes(afterId))
      return validation(`body failed validation: body.after ${after} is not a child of ${parentId}.`);
    const created = storeBlocks(
      parentId,
      body.children as Json[],
      position?.type === 'start' ? undefined : afterId,
    );
    if (position?.type === 'start') {
      const all = childIds.get(parentId) ?? [];
      childIds.set(parentId, [...created, ...all.filter((id) => !created.includes(id))]);
    }
    const results = created.flatMap((id) => {
      const block = blocks.get(id);
      return block ? [blockResponse(block)] : [];
    });
    return { object: 'list', results, next_cursor: null, has_more: false, type: 'block', block: {} };
  }

  /** A data source query with the filters the adapter needs: text equals/contains/starts_with, select/status equals. */
  function matches(page: StoredPage, filter: Json): boolean | Refusal {
    if (Array.isArray(filter.and) || Array.isArray(filter.or)) {
      const parts = ((filter.and ?? filter.or) as Json[]).map((part) => matches(page, part));
      const refusal = parts.find((part) => typeof part !== 'boolean');
      if (refusal !== undefined) return refusal;
      return Array.isArray(filter.and) ? parts.every(Boolean) : parts.some(Boolean);
    }
    const property = schema[String(filter.property)];
    if (property === undefined)
      return validation(`Could not find property with name or id: ${String(filter.property)}`);
    const condition = filter[property.type];
    if (!isObject(condition))
      return validation(`body failed validation: body.filter.${property.type} should be defined.`);
    const value = page.properties[property.name]?.[property.type];
    const actual =
      property.type === 'title' || property.type === 'rich_text'
        ? plainTextOf(value)
        : isObject(value)
          ? String(value.name)
          : String(value ?? '');
    if (typeof condition.equals === 'string') return actual === condition.equals;
    if (typeof condition.contains === 'string') return actual.includes(condition.contains);
    if (typeof condition.starts_with === 'string') return actual.startsWith(condition.starts_with);
    if (condition.is_empty === true) return actual === '';
    return validation(
      `body failed validation: body.filter.${property.type} has no condition the simulator knows.`,
    );
  }

  function queryDataSource(body: Json): Refusal | Json {
    const found: Json[] = [];
    for (const page of pages.values()) {
      if (page.dataSourceId !== dataSourceId || page.inTrash) continue;
      const match = isObject(body.filter) ? matches(page, body.filter) : true;
      if (typeof match !== 'boolean') return match;
      if (match) found.push(pageResponse(page));
    }
    return paginate(found, body, 'page_or_data_source');
  }

  const dataSourceResponse = () => ({
    object: 'data_source',
    id: dataSourceId,
    created_time: seededAt,
    last_edited_time: seededAt,
    created_by: createdBy,
    last_edited_by: createdBy,
    title: richText('Postmortems'),
    description: [],
    icon: null,
    cover: null,
    properties: Object.fromEntries(
      Object.values(schema).map((p) => [
        p.name,
        { id: p.id, name: p.name, description: null, type: p.type, [p.type]: p.config },
      ]),
    ),
    parent: { type: 'database_id', database_id: databaseId },
    database_parent: { type: 'page_id', page_id: workspacePageId },
    is_inline: false,
    archived: false,
    in_trash: false,
    url: `https://app.notion.com/p/${databaseId.replace(/-/g, '')}`,
    public_url: null,
  });

  const databaseResponse = () => ({
    object: 'database',
    id: databaseId,
    title: richText('Postmortems'),
    description: [],
    parent: { type: 'page_id', page_id: workspacePageId },
    is_inline: false,
    in_trash: false,
    is_locked: false,
    created_time: seededAt,
    last_edited_time: seededAt,
    data_sources: [{ id: dataSourceId, name: 'Postmortems' }],
    icon: null,
    cover: null,
    url: `https://app.notion.com/p/${databaseId.replace(/-/g, '')}`,
    public_url: null,
    archived: false,
  });

  function createComment(body: Json): Refusal | Json {
    const parent = isObject(body.parent) ? body.parent : undefined;
    const pageId = typeof parent?.page_id === 'string' ? normalizeId(parent.page_id) : undefined;
    if (pageId === undefined)
      return validation('body failed validation: body.parent.page_id should be defined.');
    if (!pages.has(pageId)) return notFound('page', pageId);
    const problem = richTextProblem(body.rich_text, 'body.rich_text');
    if (problem) return validation(`body failed validation: ${problem}`);
    const createdTime = now();
    const comment = {
      object: 'comment',
      id: randomUUID(),
      parent: { type: 'page_id', page_id: pageId },
      discussion_id: randomUUID(),
      created_time: createdTime,
      last_edited_time: createdTime,
      created_by: createdBy,
      rich_text: (body.rich_text as Json[]).map(normalizeRichText),
    };
    comments.push(comment);
    return comment;
  }

  function route(method: string, url: URL, body: Json): Refusal | Json {
    const [, version, resource, rawId, sub] = url.pathname.split('/');
    const id = rawId === undefined ? undefined : normalizeId(decodeURIComponent(rawId));
    const key = `${method} ${resource}${id === undefined ? '' : '/:id'}${sub === undefined ? '' : `/${sub}`}`;
    if (version !== 'v1')
      return { status: 400, code: 'invalid_request_url', message: 'Invalid request URL.' };
    switch (key) {
      case 'GET users':
        if (userInformation === 'none') return noUserInformation;
        return paginate([...users.values()].map(userResponse), url.searchParams, 'user');
      case 'GET users/:id': {
        if (id === 'me') return bot;
        if (userInformation === 'none') return noUserInformation;
        const user = users.get(id ?? '');
        return user ? userResponse(user) : notFound('user', id ?? '');
      }
      case 'GET blocks/:id': {
        const block = blocks.get(id ?? '');
        return block ? blockResponse(block) : notFound('block', id ?? '');
      }
      case 'PATCH blocks/:id': {
        const block = blocks.get(id ?? '');
        return block ? updateBlock(block, body) : notFound('block', id ?? '');
      }
      case 'DELETE blocks/:id': {
        const block = blocks.get(id ?? '');
        if (block === undefined) return notFound('block', id ?? '');
        if (block.inTrash) return validation(IN_TRASH);
        trash(block);
        return blockResponse(block);
      }
      case 'GET databases/:id':
        return id === databaseId ? databaseResponse() : notFound('database', id ?? '');
      case 'GET data_sources/:id':
        return id === dataSourceId ? dataSourceResponse() : notFound('data_source', id ?? '');
      case 'GET data_sources/:id/templates': {
        if (id !== dataSourceId) return notFound('data_source', id ?? '');
        const name = url.searchParams.get('name');
        const found = templates.filter(
          (t) => name === null || t.name.toLowerCase().includes(name.toLowerCase()),
        );
        const list = paginate(found, url.searchParams, 'template');
        return 'results' in list
          ? { templates: list.results, has_more: list.has_more, next_cursor: list.next_cursor }
          : list;
      }
      case 'POST data_sources/:id/query':
        return id === dataSourceId ? queryDataSource(body) : notFound('data_source', id ?? '');
      case 'POST pages':
        return createPage(body);
      case 'GET pages/:id': {
        const page = pages.get(id ?? '');
        return page ? pageResponse(page) : notFound('page', id ?? '');
      }
      case 'PATCH pages/:id': {
        const page = pages.get(id ?? '');
        return page ? updatePage(page, body) : notFound('page', id ?? '');
      }
      case 'GET blocks/:id/children':
        return listChildren(id ?? '', url.searchParams);
      case 'PATCH blocks/:id/children':
        return appendChildren(id ?? '', body);
      case 'POST comments':
        return createComment(body);
      case 'GET comments': {
        const blockId = normalizeId(url.searchParams.get('block_id') ?? '');
        const found = comments.filter((c) => isObject(c.parent) && c.parent.page_id === blockId) as {
          id: unknown;
        }[];
        return paginate(found, url.searchParams, 'comment');
      }
      default:
        return { status: 400, code: 'invalid_request_url', message: 'Invalid request URL.' };
    }
  }

  async function answer(request: IncomingMessage): Promise<Refusal | Json> {
    served.requestCount += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    if (request.headers.authorization !== `Bearer ${token}`)
      return { status: 401, code: 'unauthorized', message: 'API token is invalid.' };
    const version = request.headers['notion-version'];
    if (typeof version !== 'string')
      return {
        status: 400,
        code: 'missing_version',
        message:
          'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
      };
    if (!isSupportedVersion(version))
      return validation(
        `Notion-Version header failed validation: the simulator speaks ${OLDEST_VERSION} or later, instead was \`${version}\`.`,
      );
    const retryAfterSeconds = bucket.take();
    if (retryAfterSeconds !== null) {
      served.rateLimitedCount += 1;
      return {
        status: 429,
        code: 'rate_limited',
        message: 'You have been rate limited. Please try again in a few minutes.',
        headers: { 'retry-after': String(retryAfterSeconds) },
      };
    }
    const failure = injected.shift();
    if (failure) return failure;
    if (raw.length > MAX_PAYLOAD_BYTES)
      return validation(
        `body failed validation: ${tooLong('body size in bytes', MAX_PAYLOAD_BYTES, raw.length)}`,
      );
    let body: Json = {};
    if (raw.length > 0) {
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (!isObject(parsed)) return validation('body failed validation: body should be an object.');
        body = parsed;
      } catch {
        return { status: 400, code: 'invalid_json', message: 'Error parsing JSON body.' };
      }
    }
    return route(request.method ?? 'GET', new URL(request.url ?? '/', 'http://localhost'), body);
  }

  const isRefusal = (outcome: Refusal | Json): outcome is Refusal =>
    typeof outcome.status === 'number' && typeof outcome.code === 'string' && !('object' in outcome);

  const server = createServer(async (request, response) => {
    const outcome = await answer(request);
    const requestId = randomUUID();
    response.setHeader('x-notion-request-id', requestId);
    if (isRefusal(outcome)) {
      const { status, code, message, headers } = outcome;
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify({ object: 'error', status, code, message, request_id: requestId }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ...outcome, request_id: requestId }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function simulatedBlock(block: StoredBlock): SimulatedBlock {
    const text = Array.isArray(block.content.cells)
      ? (block.content.cells as unknown[]).map(plainTextOf).join(' | ')
      : plainTextOf(block.content.rich_text);
    return { id: block.id, type: block.type, text, content: block.content, children: blockTree(block.id) };
  }

  /** A page's or block's children as a person sees them: what is in the trash is left out. */
  function blockTree(parentId: string): SimulatedBlock[] {
    return visibleChildren(parentId).map(simulatedBlock);
  }

  const headingLevel = (type: string): number | undefined => {
    const digit = /^heading_([1-3])$/.exec(type)?.[1];
    return digit === undefined ? undefined : Number(digit);
  };

  return {
    /** Pass as the client's `baseUrl`: the client appends /v1/. */
    baseUrl: `http://127.0.0.1:${port}`,
    databaseId,
    dataSourceId,
    templateId,
    /** The seeded person users, with their emails. */
    people: people.map(({ id, name, person }) => ({ id, name, email: person.email })),
    /** Every request received, including refused ones. */
    get requestCount() {
      return served.requestCount;
    },
    /** The 429s served. */
    get rateLimitedCount() {
      return served.rateLimitedCount;
    },
    /** The pages created, as GET /v1/pages/:id answers them (without request_id). */
    pages: () => [...pages.values()].map(pageResponse),
    /** A page's blocks as a tree, in order. */
    blocksOf: (pageId: string) => blockTree(normalizeId(pageId)),
    /** The comments made. */
    comments: () => [...comments],
    /**
     * Seeds a page under the workspace, as a person would make one in the app (a template page), its
     * blocks in request form stored as given: any block type, any depth. Answers the page's id.
     */
    addPage(title: string, pageBlocks: readonly Record<string, unknown>[]): string {
      const createdTime = now();
      const page: StoredPage = {
        id: randomUUID(),
        parent: { type: 'page_id', page_id: workspacePageId },
        dataSourceId: null,
        properties: { title: { id: 'title', type: 'title', title: richText(title) } },
        inTrash: false,
        createdTime,
        lastEditedTime: createdTime,
      };
      pages.set(page.id, page);
      childIds.set(page.id, []);
      storeBlocks(page.id, pageBlocks);
      return page.id;
    },
    /**
     * Answer the next `count` authorised, non-rate-limited requests with this error (a 5xx, a 409
     * conflict_error, a 429 with its Retry-After in `headers`…).
     */
    failNext(
      count: number,
      failure: { status: number; code: string; message?: string; headers?: Record<string, string> },
    ) {
      for (let i = 0; i < count; i += 1)
        injected.push({
          status: failure.status,
          code: failure.code,
          message: failure.message ?? 'Simulated failure.',
          ...(failure.headers ? { headers: failure.headers } : {}),
        });
    },
    /** Adds a person to the workspace (without an email, a person whose address Notion does not give). */
    addUser(user: { readonly id?: string; readonly name: string; readonly email: string | null }) {
      const added = person(normalizeId(user.id ?? randomUUID()), user.name, user.email);
      users.set(added.id, added);
      return { id: added.id, name: added.name, email: user.email };
    },
    /** A block as stored, with its children (those not in the trash) and whether it is in the trash itself. */
    blockOf(blockId: string): (SimulatedBlock & { readonly inTrash: boolean }) | undefined {
      const block = blocks.get(normalizeId(blockId));
      return block && { ...simulatedBlock(block), inTrash: block.inTrash };
    },
    /** Deletes a block as a person would in the app: it goes to the trash, and out of its parent's children. */
    deleteBlock(blockId: string) {
      const block = blocks.get(normalizeId(blockId));
      if (block === undefined) throw new Error(`no block ${blockId}`);
      trash(block);
    },
    /**
     * Adds blocks at the end of the page's Action Items section (before the next heading of its level or
     * above), as a person editing the page would: request-form blocks of any type and depth, mentions
     * included, stored without the API's limits. Answers the new top-level ids, in order.
     */
    addActionItems(pageId: string, items: readonly Record<string, unknown>[]): string[] {
      const id = normalizeId(pageId);
      const top = visibleChildren(id);
      const start = top.findIndex(
        (block) =>
          headingLevel(block.type) !== undefined &&
          plainTextOf(block.content.rich_text).trim().toLowerCase() === 'action items',
      );
      const heading = top[start];
      const level = heading && headingLevel(heading.type);
      if (heading === undefined || level === undefined)
        throw new Error(`page ${pageId} has no Action Items heading`);
      const next = top.findIndex((block, i) => {
        const other = headingLevel(block.type);
        return i > start && other !== undefined && other <= level;
      });
      const last = top[(next < 0 ? top.length : next) - 1] ?? heading;
      return storeBlocks(id, items, last.id);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const cancel of timers) cancel();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type NotionSimulator = Awaited<ReturnType<typeof startNotionSimulator>>;
