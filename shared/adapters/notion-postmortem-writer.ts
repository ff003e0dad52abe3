import {
  APIErrorCode,
  APIResponseError,
  type BlockObjectRequest,
  type Client,
  type CreatePageParameters,
  InvalidPathParameterError,
  RequestTimeoutError,
  UnknownHTTPResponseError,
} from '@notionhq/client';
import * as z from 'zod/mini';
import { childrenOf, NOTION_TEXT_MAX_LENGTH, type NotionBlock } from '../domain/jira-text-to-notion.ts';
import { UpstreamUnavailableError } from '../errors.ts';
import type { PostmortemDraft, PostmortemWriter } from '../ports.ts';

/** Which body a new page starts from: ours alone, or one of the data source's Notion templates with ours after it. */
export type PostmortemTemplate =
  | { readonly kind: 'built-in' }
  | { readonly kind: 'default' }
  | { readonly kind: 'template-id'; readonly id: string };

export interface NotionPostmortemWriterOptions {
  readonly databaseId: string;
  readonly template: PostmortemTemplate;
  /** How long, in pauses between polls, to wait for Notion to apply a template (default 10 s). */
  readonly templateWaitMs?: number;
  /** The pause between polls for a template; injectable so tests need not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
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

const DatabaseAnswer = z.object({
  data_sources: z.array(z.object({ id: z.string() })).check(z.minLength(1)),
});
const PageAnswer = z.object({ id: z.string(), url: z.string() });
const QueryAnswer = z.object({ results: z.array(PageAnswer) });
const UsersAnswer = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      person: z.optional(z.object({ email: z.optional(z.string()) })),
    }),
  ),
  has_more: z.boolean(),
  next_cursor: z.nullable(z.string()),
});
const ChildrenAnswer = z.object({ results: z.array(z.object({ id: z.string() })) });

/** Parses what Notion answered, so a changed API fails here, named, not deep in a caller. */
function parse<T>(schema: z.ZodMiniType<T>, answer: unknown, what: string): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success)
    throw new Error(`Notion answered ${what} in an unexpected shape:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

// The client's request types are mutable; ours are readonly and checked against them in the domain's tests.
type DeepMutable<T> = T extends readonly (infer U)[]
  ? DeepMutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;
const asRequest = (blocks: readonly NotionBlock[]): BlockObjectRequest[] =>
  blocks as DeepMutable<NotionBlock>[] satisfies BlockObjectRequest[];

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

/** A text property's value, split at Notion's 2,000 characters per item, never truncated. */
const richText = (text: string) =>
  Array.from({ length: Math.max(1, Math.ceil(text.length / NOTION_TEXT_MAX_LENGTH)) }, (_, i) => ({
    text: { content: text.slice(i * NOTION_TEXT_MAX_LENGTH, (i + 1) * NOTION_TEXT_MAX_LENGTH) },
  }));

function retryAfterMsOf(headers: unknown): number | null {
  const value =
    headers instanceof Headers
      ? headers.get('retry-after')
      : typeof headers === 'object' && headers !== null
        ? Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1]
        : undefined;
  const seconds = Number.parseInt(String(value ?? ''), 10);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const atMs = Date.parse(String(value ?? ''));
  return Number.isNaN(atMs) ? null : Math.max(0, atMs - Date.now());
}

/** Notion's failures as ours: worth retrying later (rate limits, outages, conflicts) or refused as asked. */
function translate(error: unknown, what: string): Error {
  const unavailable = (reason: string, retryAfterMs: number | null = null) =>
    new UpstreamUnavailableError(`Notion is unavailable ${what}: ${reason}`, retryAfterMs, { cause: error });
  const refused = (message: string) => new Error(`Notion refused ${what}: ${message}`, { cause: error });
  if (APIResponseError.isAPIResponseError(error)) {
    switch (error.code) {
      case APIErrorCode.RateLimited:
      case APIErrorCode.ServiceOverload:
      case APIErrorCode.ConflictError:
      case APIErrorCode.InternalServerError:
      case APIErrorCode.ServiceUnavailable:
      case APIErrorCode.GatewayTimeout:
        return unavailable(`${error.code}: ${error.message}`, retryAfterMsOf(error.headers));
      case APIErrorCode.Unauthorized:
        return refused(`${error.message} (check the integration's token)`);
      case APIErrorCode.RestrictedResource:
      case APIErrorCode.ObjectNotFound:
        return refused(`${error.message} (share the postmortem database with the integration)`);
      case APIErrorCode.ValidationError:
      case APIErrorCode.InvalidJSON:
      case APIErrorCode.InvalidRequestURL:
      case APIErrorCode.InvalidRequest:
      case APIErrorCode.InvalidBeta:
        return refused(error.message);
      default:
        error.code satisfies never;
        return refused(error.message);
    }
  }
  if (UnknownHTTPResponseError.isUnknownHTTPResponseError(error))
    return error.status >= 500 || error.status === 429
      ? unavailable(`HTTP ${error.status}`, retryAfterMsOf(error.headers))
      : refused(`HTTP ${error.status}`);
  if (RequestTimeoutError.isRequestTimeoutError(error)) return unavailable('the request timed out');
  if (InvalidPathParameterError.isInvalidPathParameterError(error)) return refused(error.message);
  // Anything else the client throws is fetch failing: DNS, a refused connection, a reset.
  return unavailable(`it could not be reached (${error instanceof Error ? error.message : String(error)})`);
}

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
  let dataSourceId: string | undefined;
  let userIdsByEmail: Map<string, string> | undefined;

  async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw translate(error, what);
    }
  }

  async function dataSource(): Promise<string> {
    if (dataSourceId !== undefined) return dataSourceId;
    const what = `reading the postmortem database ${options.databaseId}`;
    const answer = await call(what, () => client.databases.retrieve({ database_id: options.databaseId }));
    const [first] = parse(DatabaseAnswer, answer, what).data_sources;
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
        const page = parse(UsersAnswer, answer, 'listing the workspace users');
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
    const text = (value: string) => ({ rich_text: richText(value) });
    return {
      [PROPERTY.title]: { title: richText(draft.title) },
      [PROPERTY.status]: { status: { name: DRAFT_STATUS } },
      [PROPERTY.incidentStart]: { date: { start: new Date(draft.incidentStartMs).toISOString() } },
      ...(draft.jiraUrl === null ? {} : { [PROPERTY.jira]: { url: draft.jiraUrl } }),
      ...(draft.severity === null ? {} : { [PROPERTY.severity]: { select: { name: draft.severity } } }),
      ...(draft.resolvedAtMs === null
        ? {}
        : { [PROPERTY.resolved]: { date: { start: new Date(draft.resolvedAtMs).toISOString() } } }),
      ...(draft.timeToResolve === null ? {} : { [PROPERTY.timeToResolve]: text(draft.timeToResolve) }),
      ...(draft.timeToAcknowledge === null
        ? {}
        : { [PROPERTY.timeToAcknowledge]: text(draft.timeToAcknowledge) }),
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
    return parse(QueryAnswer, answer, what).results[0];
  }

  async function append(pageId: string, chunks: readonly NotionBlock[][], incidentKey: string) {
    for (const [i, chunk] of chunks.entries())
      await call(`adding part ${i + 1} of ${chunks.length} of the postmortem of ${incidentKey}`, () =>
        client.blocks.children.append({ block_id: pageId, children: asRequest(chunk) }),
      );
  }

  /** Notion applies a template after answering the creation with a blank page: wait until it has blocks. */
  async function waitForTemplate(pageId: string, incidentKey: string) {
    const what = `reading the postmortem of ${incidentKey}`;
    let waitedMs = 0;
    let pauseMs = FIRST_POLL_PAUSE_MS;
    for (;;) {
      const answer = await call(what, () => client.blocks.children.list({ block_id: pageId, page_size: 1 }));
      if (parse(ChildrenAnswer, answer, what).results.length > 0) return;
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
    async write(draft) {
      const source = await dataSource();
      const existing = await existingPage(source, draft.incidentKey);
      if (existing !== undefined) return { id: existing.id, url: existing.url, created: false };

      const properties = await propertiesOf(draft);
      const parent = { type: 'data_source_id', data_source_id: source } as const;
      const chunks = chunkBlocks(draft.blocks);
      const what = `creating the postmortem page of ${draft.incidentKey}`;
      const { template } = options;
      switch (template.kind) {
        case 'built-in': {
          const [first = [], ...rest] = chunks;
          const answer = await call(what, () =>
            client.pages.create({ parent, properties, children: asRequest(first) }),
          );
          const page = parse(PageAnswer, answer, what);
          await append(page.id, rest, draft.incidentKey);
          return { ...page, created: true };
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
          const page = parse(PageAnswer, answer, what);
          await waitForTemplate(page.id, draft.incidentKey);
          await append(page.id, chunks, draft.incidentKey);
          return { ...page, created: true };
        }
        default:
          return template satisfies never;
      }
    },
  };
}
