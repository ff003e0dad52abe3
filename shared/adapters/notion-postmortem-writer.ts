import { APIErrorCode, APIResponseError, type Client, type CreatePageParameters } from '@notionhq/client';
import { UpstreamUnavailableError } from '../errors.ts';
import type { NotionBlock } from '../notion/notion-blocks.ts';
import { notionBlocksOf } from '../notion/notion-document.ts';
import type { PostmortemDraft, PostmortemWriter } from '../ports.ts';
import {
  type BlockAnswer,
  ChildrenAnswer,
  DatabaseAnswer,
  PageAnswer,
  QueryAnswer,
  UsersAnswer,
} from './notion-answers.ts';
import { parseNotionAnswer, translateNotionError } from './notion-call.ts';
import { incidentPropertiesOf, newPagePropertiesOf, PROPERTY } from './notion-postmortem-properties.ts';
import { asRequest, chunkBlocks, cutForRequest, type RequestBlocks } from './notion-request-blocks.ts';
import { fillBlock, fillingOf, readTemplatePage } from './notion-template-page.ts';

/**
 * Which body a new page starts from: ours alone; one of the data source's Notion templates with ours
 * after it; or a page the team edits in Notion, copied with its placeholders filled (see `fillBlock` in
 * notion-template-page.ts).
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

const DEFAULT_TEMPLATE_WAIT_MS = 10_000;
const FIRST_POLL_PAUSE_MS = 200;
const MAX_POLL_PAUSE_MS = 2000;

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
    return newPagePropertiesOf(draft, ownerId);
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
          return createWith(notionBlocksOf(draft.blocks));
        case 'template-page': {
          // Read before creating: a template that cannot be read leaves no page behind.
          const filling = fillingOf(draft, timeZone);
          const blocks = (
            await readTemplatePage(template.pageId, (blockId, what) =>
              listChildren(blockId, what, 'the template page'),
            )
          ).flatMap((block) => fillBlock(block, filling));
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
          const body = cutForRequest(notionBlocksOf(draft.blocks));
          await writeBody(page.id, body, chunkBlocks(body.sendable), draft.incidentKey);
          return { ...page, created: true };
        }
        default:
          return template satisfies never;
      }
    },
  };
}
