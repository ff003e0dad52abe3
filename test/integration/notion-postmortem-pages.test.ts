import { APIErrorCode, APIResponseError, Client } from '@notionhq/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotionPostmortemPages } from '#shared/adapters/notion-postmortem-pages.ts';
import { createNotionPostmortemWriter } from '#shared/adapters/notion-postmortem-writer.ts';
import { createRateLimiter, rateLimitedFetch } from '#shared/adapters/notion-rate-limiter.ts';
import { ACTION_ITEM_HINT, type ActionItem } from '#shared/domain/follow-ups.ts';
import { postmortemOutline } from '#shared/domain/postmortem-outline.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import { descriptionOf } from '#shared/jira/jira-text.ts';
import { incident, settingsWith } from '../builders.ts';
import { type ContractItem, postmortemPagesContract } from '../contract/postmortem-pages-contract.ts';
import {
  type NotionSimulator,
  type NotionSimulatorOptions,
  startNotionSimulator,
} from '../simulators/notion-simulator.ts';

const UNLIMITED = { requestsPerSecond: 1000, burst: 1000 };
const JIRA = 'https://example.atlassian.net';
const OPS_7 = { key: 'OPS-7', url: `${JIRA}/browse/OPS-7` };
const OPS_8 = { key: 'OPS-8', url: `${JIRA}/browse/OPS-8` };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** The built-in outline of a small incident: its Action Items section holds the hint to-do. */
function outline() {
  const inc = incident('10001');
  const events = [
    inc.created(),
    inc.move(1, 4, 'Detected', 'Declared'),
    inc.move(2, 70, 'Declared', 'Resolved'),
  ];
  const state = foldIncident(events, settingsWith());
  if (!state) throw new Error('fold gave nothing');
  return {
    state,
    blocks: postmortemOutline(state, events, {
      timeZone: 'UTC',
      description: descriptionOf(events),
      jiraUrl: null,
      ownAccountId: null,
    }),
  };
}

/** A postmortem written by the postmortem writer, and the pages adapter over the same real client. */
async function postmortemAgainst(
  simulator: NotionSimulatorOptions = UNLIMITED,
  client: { fetch?: typeof fetch; retry?: false } = {},
) {
  const notion = await startNotionSimulator(simulator);
  closers.push(notion.close);
  const notionClient = new Client({
    auth: 'secret_test',
    baseUrl: notion.baseUrl,
    notionVersion: '2025-09-03',
    logger: () => {},
    ...(client.fetch ? { fetch: client.fetch } : {}),
    ...(client.retry === false ? { retry: false } : {}),
  });
  const { state, blocks } = outline();
  const written = await createNotionPostmortemWriter(notionClient, {
    databaseId: notion.databaseId,
    template: { kind: 'built-in' },
  }).write({
    incidentKey: 'INC-1',
    title: 'INC-1: Checkout failing',
    jiraUrl: `${JIRA}/browse/INC-1`,
    severity: state.severity,
    incidentStartMs: state.openedAtMs,
    resolvedAtMs: state.resolvedAtMs,
    timeToResolve: null,
    timeToAcknowledge: null,
    ownerEmail: null,
    blocks,
  });
  const pages = createNotionPostmortemPages(notionClient, { jiraBaseUrl: JIRA });
  const ana = notion.addUser({ name: 'Ana Ruiz', email: 'ana@example.com' });
  return { notion, client: notionClient, pages, pageId: written.id, ana };
}

type Json = Record<string, unknown>;
const text = (content: string, more: Json = {}): Json => ({ type: 'text', text: { content }, ...more });
const link = (content: string, url: string): Json => ({ type: 'text', text: { content, link: { url } } });
const person = (id: string): Json => ({ type: 'mention', mention: { type: 'user', user: { id } } });
const day = (start: string): Json => ({ type: 'mention', mention: { type: 'date', date: { start } } });
const block = (type: string, runs: Json[], children: Json[] = [], more: Json = {}): Json => ({
  type,
  [type]: { rich_text: runs, ...more, ...(children.length > 0 ? { children } : {}) },
});
const toDo = (runs: Json[], children: Json[] = [], checked = false) =>
  block('to_do', runs, children, { checked });

const item = (overrides: Partial<ActionItem>): Omit<ActionItem, 'itemId'> => ({
  summary: '',
  owner: null,
  dueDate: null,
  checked: false,
  ticket: null,
  ...overrides,
});
const withoutIds = (items: readonly ActionItem[]) => items.map(({ itemId: _, ...rest }) => rest);

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** The runs of a to-do as stored, for assertions on what a write-back left. */
const runsOf = (notion: NotionSimulator, id: string) =>
  (notion.blockOf(id)?.content.rich_text ?? []) as {
    type: string;
    plain_text: string;
    href: string | null;
    annotations: { italic: boolean };
  }[];

/** The to-dos as a person adds them in Notion, nested ones as children. */
const toDosOf = (items: readonly ContractItem[]): Json[] =>
  items.map((each) => toDo([text(each.summary)], toDosOf(each.nested ?? []), each.checked));

postmortemPagesContract('the Notion adapter against the Notion simulator', async (items) => {
  const { notion, client, pages, pageId } = await postmortemAgainst();
  if (items.length > 0) notion.addActionItems(pageId, toDosOf(items));
  return {
    pages,
    pageId,
    async setStatus(status) {
      await client.pages.update({ page_id: pageId, properties: { Status: { status: { name: status } } } });
    },
  };
});

describe('the Notion postmortem pages', () => {
  it('reads the owner from a person mention and the deadline from a date mention, and skips the hint', async () => {
    const { notion, pages, pageId, ana } = await postmortemAgainst();
    const ids = notion.addActionItems(pageId, [
      toDo([text('Add a canary for checkout '), person(ana.id)]),
      toDo([text('Alert on the 5xx rate '), day('2026-12-01')], [], true),
      toDo([person(ana.id), text(' — write the runbook, '), day('2026-12-15T09:00:00.000+01:00')]),
      toDo([text('  Review   the retry budget ')]),
      toDo([]),
    ]);

    const items = await pages.actionItems(pageId);

    const owner = { kind: 'notion-user', userId: ana.id, name: 'Ana Ruiz' } as const;
    expect(items.map((found) => found.itemId)).toEqual(ids.slice(0, 4));
    expect(withoutIds(items)).toEqual([
      item({ summary: 'Add a canary for checkout', owner }),
      item({ summary: 'Alert on the 5xx rate', dueDate: '2026-12-01', checked: true }),
      item({ summary: 'write the runbook', owner, dueDate: '2026-12-15' }),
      item({ summary: 'Review the retry budget' }),
    ]);
  });

  it('reads nested to-dos in page order and stops at the next heading of the same level', async () => {
    const { notion, pages, pageId } = await postmortemAgainst();
    notion.addActionItems(pageId, [
      toDo([text('Parent item')], [toDo([text('Child of a to-do')], [toDo([text('Grandchild')])])]),
      block('bulleted_list_item', [text('Database work')], [toDo([text('Child of a bullet')])]),
      block('toggle', [text('Later')], [toDo([text('Inside a toggle')])]),
      block('heading_3', [text('Nice to have')]),
      toDo([text('Under a smaller heading')]),
      block('heading_2', [text('Appendix')]),
      toDo([text('Not an action item')]),
    ]);

    const items = await pages.actionItems(pageId);

    expect(items.map((found) => found.summary)).toEqual([
      'Parent item',
      'Child of a to-do',
      'Grandchild',
      'Child of a bullet',
      'Inside a toggle',
      'Under a smaller heading',
    ]);
  });

  it('reads every page of a long section and of a long list of children', async () => {
    const { notion, pages, pageId } = await postmortemAgainst();
    const children = Array.from({ length: 101 }, (_, i) => toDo([text(`Sub-item ${i + 1}`)]));
    const topLevel = Array.from({ length: 110 }, (_, i) =>
      toDo([text(`Item ${i + 1}`)], i === 0 ? children : []),
    );
    notion.addActionItems(pageId, topLevel);

    const items = await pages.actionItems(pageId);

    expect(items).toHaveLength(211);
    expect(items.slice(0, 3).map((found) => found.summary)).toEqual(['Item 1', 'Sub-item 1', 'Sub-item 2']);
    expect(items.slice(101, 103).map((found) => found.summary)).toEqual(['Sub-item 101', 'Item 2']);
    expect(items.at(-1)?.summary).toBe('Item 110');
  });

  it('takes the hint to-do for an item once someone names an owner in it', async () => {
    const { notion, client, pages, pageId, ana } = await postmortemAgainst();
    const hint = notion.blocksOf(pageId).find((found) => found.text === ACTION_ITEM_HINT);

    const before = await pages.actionItems(pageId);
    await client.blocks.update({
      block_id: hint?.id ?? '',
      to_do: {
        rich_text: [
          { type: 'text', text: { content: ACTION_ITEM_HINT } },
          { type: 'mention', mention: { type: 'user', user: { id: ana.id } } },
        ],
      },
    });
    const after = await pages.actionItems(pageId);

    expect(before).toEqual([]);
    expect(after).toMatchObject([{ itemId: hint?.id, summary: ACTION_ITEM_HINT, owner: { userId: ana.id } }]);
  });

  it('finds a ticket linked by its key, and ignores a link to an issue of another Jira', async () => {
    const { notion, pages, pageId } = await postmortemAgainst();
    notion.addActionItems(pageId, [
      toDo([text('Rotate the keys → '), link('OPS-7', OPS_7.url)]),
      toDo([text('Like '), link('ABC-1', 'https://other.atlassian.net/browse/ABC-1'), text(' did')]),
    ]);

    const items = await pages.actionItems(pageId);

    expect(withoutIds(items)).toEqual([
      item({ summary: 'Rotate the keys', ticket: OPS_7 }),
      item({ summary: 'Like ABC-1 did' }),
    ]);
  });

  it('writes the ticket back after the text, keeping the mentions, once however often it runs', async () => {
    const { notion, pages, pageId, ana } = await postmortemAgainst();
    const [id = ''] = notion.addActionItems(pageId, [
      toDo([person(ana.id), text(' add a canary by '), day('2026-12-01')], [], true),
    ]);
    const [before] = await pages.actionItems(pageId);

    await pages.writeBack(id, OPS_7, null);
    const requestsBefore = notion.requestCount;
    await pages.writeBack(id, OPS_7, null);
    const requestsOfSecondRun = notion.requestCount - requestsBefore;
    const [after] = await pages.actionItems(pageId);

    expect(notion.blockOf(id)?.text).toBe('@Ana Ruiz add a canary by 2026-12-01 → OPS-7');
    expect(runsOf(notion, id).map((run) => run.type)).toEqual(['mention', 'text', 'mention', 'text', 'text']);
    expect(runsOf(notion, id).filter((run) => run.href === OPS_7.url)).toHaveLength(1);
    expect(requestsOfSecondRun).toBe(1);
    expect(notion.blockOf(id)?.content.checked).toBe(true);
    expect(after).toEqual({ ...before, ticket: OPS_7 });
  });

  it('writes a note in italics after the ticket, and replaces ticket and note on a later run', async () => {
    const { notion, pages, pageId } = await postmortemAgainst();
    const [id = ''] = notion.addActionItems(pageId, [toDo([text('Add a canary')])]);

    await pages.writeBack(id, OPS_7, 'no Jira account for the owner: assigned to Mia');
    const first = notion.blockOf(id)?.text;
    await pages.writeBack(id, OPS_8, 'moved to the platform team');
    const [after] = await pages.actionItems(pageId);

    expect(first).toBe('Add a canary → OPS-7 (no Jira account for the owner: assigned to Mia)');
    expect(notion.blockOf(id)?.text).toBe('Add a canary → OPS-8 (moved to the platform team)');
    expect(runsOf(notion, id).at(-1)?.annotations.italic).toBe(true);
    expect(after).toMatchObject({ summary: 'Add a canary', ticket: OPS_8 });
  });

  it("splits a long note into Notion's 2,000-character items and stays within 100 items", async () => {
    const { notion, pages, pageId } = await postmortemAgainst();
    const styled = Array.from({ length: 97 }, (_, i) =>
      text(`w${i} `, { annotations: { bold: i % 2 === 0 } }),
    );
    const [long = '', crowded = ''] = notion.addActionItems(pageId, [
      toDo([text('Write the report')]),
      toDo(styled),
    ]);
    const note = 'n'.repeat(4500);

    await pages.writeBack(long, OPS_7, note);
    await pages.writeBack(crowded, OPS_8, note);

    expect(runsOf(notion, long).every((run) => run.plain_text.length <= 2000)).toBe(true);
    expect(notion.blockOf(long)?.text).toBe(`Write the report → OPS-7 (${note})`);
    expect(runsOf(notion, crowded)).toHaveLength(100);
    expect(notion.blockOf(crowded)?.text).toMatch(/w96 → OPS-8 \(n+…\)$/);
  });

  it('checks and unchecks an item, leaving its text alone', async () => {
    const { notion, pages, pageId, ana } = await postmortemAgainst();
    const [id = ''] = notion.addActionItems(pageId, [toDo([text('Add a canary '), person(ana.id)])]);

    await pages.setChecked(id, true);
    const checked = notion.blockOf(id)?.content.checked;
    await pages.setChecked(id, false);

    expect(checked).toBe(true);
    expect(notion.blockOf(id)?.content.checked).toBe(false);
    expect(notion.blockOf(id)?.text).toBe('Add a canary @Ana Ruiz');
  });

  it('no longer reads a deleted item, and refuses to write into it', async () => {
    const { notion, pages, pageId } = await postmortemAgainst();
    const [kept = '', deleted = ''] = notion.addActionItems(pageId, [
      toDo([text('Kept')]),
      toDo([text('Gone')]),
    ]);

    notion.deleteBlock(deleted);
    const items = await pages.actionItems(pageId);
    const error = await rejectionOf(pages.writeBack(deleted, OPS_7, null));

    expect(items.map((found) => found.itemId)).toEqual([kept]);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toContain('deleted');
  });

  it('reads a person’s email, and null where the integration may not read it or for a bot', async () => {
    const withEmails = await postmortemAgainst();
    const withoutEmails = await postmortemAgainst({ ...UNLIMITED, userInformation: 'without-email' });
    const noUsers = await postmortemAgainst({ ...UNLIMITED, userInformation: 'none' });
    const bot = await withEmails.client.users.me({});

    expect(await withEmails.pages.personEmail(withEmails.ana.id)).toBe('ana@example.com');
    expect(await withEmails.pages.personEmail(bot.id)).toBeNull();
    expect(await withoutEmails.pages.personEmail(withoutEmails.ana.id)).toBeNull();
    expect(await noUsers.pages.personEmail(noUsers.ana.id)).toBeNull();
  });

  it("reads the page's Status: Draft as written, then Published", async () => {
    const { client, pages, pageId } = await postmortemAgainst();

    const draft = await pages.status(pageId);
    await client.pages.update({ page_id: pageId, properties: { Status: { status: { name: 'Published' } } } });

    expect(draft).toBe('Draft');
    expect(await pages.status(pageId)).toBe('Published');
  });

  it('waits out a 429 as its Retry-After says, then reads', async () => {
    const { notion, pages, pageId } = await postmortemAgainst();
    notion.failNext(1, { status: 429, code: 'rate_limited', headers: { 'retry-after': '1' } });
    const startedMs = performance.now();

    const status = await pages.status(pageId);

    expect(status).toBe('Draft');
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(950);
  });

  it('reports Notion still rate-limiting, or in conflict, as UpstreamUnavailableError with the wait', async () => {
    const { notion, pages, pageId } = await postmortemAgainst(UNLIMITED, { retry: false });
    const [id = ''] = notion.addActionItems(pageId, [toDo([text('Add a canary')])]);
    notion.failNext(1, { status: 429, code: 'rate_limited', headers: { 'retry-after': '7' } });

    const limited = await rejectionOf(pages.actionItems(pageId));
    notion.failNext(1, { status: 409, code: 'conflict_error' });
    const conflict = await rejectionOf(pages.setChecked(id, true));

    expect(limited).toBeInstanceOf(UpstreamUnavailableError);
    expect((limited as UpstreamUnavailableError).retryAfterMs).toBe(7000);
    expect(conflict).toBeInstanceOf(UpstreamUnavailableError);
  });

  it('gets no 429 from Notion when its fetch goes through the rate limiter', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 10 });
    const { notion, pages, pageId } = await postmortemAgainst(
      { requestsPerSecond: 10, burst: 2 },
      { fetch: rateLimitedFetch(limiter) },
    );
    notion.addActionItems(pageId, [
      toDo([text('One')], [toDo([text('Two')])]),
      block('bulleted_list_item', [text('Group')], [toDo([text('Three')])]),
    ]);

    const items = await pages.actionItems(pageId);

    expect(items).toHaveLength(3);
    expect(notion.rateLimitedCount).toBe(0);
  });
});

describe("the Notion simulator's blocks, through @notionhq/client", () => {
  it('refuses to update a block with the content of another type', async () => {
    const { notion, client, pageId } = await postmortemAgainst(UNLIMITED, { retry: false });
    const [id = ''] = notion.addActionItems(pageId, [toDo([text('Add a canary')])]);

    const error = await rejectionOf(
      client.blocks.update({ block_id: id, paragraph: { rich_text: [{ text: { content: 'x' } }] } }),
    );

    expect(APIResponseError.isAPIResponseError(error) && [error.status, error.code]).toEqual([
      400,
      APIErrorCode.ValidationError,
    ]);
    expect(notion.blockOf(id)?.text).toBe('Add a canary');
  });

  it('answers mentions as Notion does, and refuses an unknown person or a bad date', async () => {
    const { notion, client, pageId, ana } = await postmortemAgainst(UNLIMITED, { retry: false });
    const [id = ''] = notion.addActionItems(pageId, [toDo([text('Add a canary')])]);
    const mentionOf = (userId: string) =>
      client.blocks.update({
        block_id: id,
        to_do: { rich_text: [{ type: 'mention', mention: { type: 'user', user: { id: userId } } }] },
      });

    await mentionOf(ana.id);
    const read = await client.blocks.retrieve({ block_id: id });
    const unknown = await rejectionOf(mentionOf('00000000-0000-0000-0000-000000000000'));
    const badDate = await rejectionOf(
      client.blocks.update({
        block_id: id,
        to_do: { rich_text: [{ type: 'mention', mention: { type: 'date', date: { start: 'someday' } } }] },
      }),
    );

    expect('to_do' in read && read.to_do.rich_text).toMatchObject([
      {
        type: 'mention',
        mention: { type: 'user', user: { object: 'user', id: ana.id } },
        plain_text: '@Ana Ruiz',
      },
    ]);
    expect(APIResponseError.isAPIResponseError(unknown) && unknown.code).toBe(APIErrorCode.ValidationError);
    expect(APIResponseError.isAPIResponseError(badDate) && badDate.code).toBe(APIErrorCode.ValidationError);
  });

  it('moves a deleted block to the trash: still retrievable, no longer listed, no longer editable', async () => {
    const { notion, client, pageId } = await postmortemAgainst(UNLIMITED, { retry: false });
    const [id = ''] = notion.addActionItems(pageId, [toDo([text('Add a canary')])]);

    const deleted = await client.blocks.delete({ block_id: id });
    const listed = await client.blocks.children.list({ block_id: pageId, page_size: 100 });
    const edit = await rejectionOf(client.blocks.update({ block_id: id, to_do: { checked: true } }));

    expect(deleted).toMatchObject({ id, in_trash: true, archived: true });
    expect(listed.results.map((found) => found.id)).not.toContain(id);
    expect(APIResponseError.isAPIResponseError(edit) && edit.code).toBe(APIErrorCode.ValidationError);
    expect(notion.blockOf(id)?.inTrash).toBe(true);
  });
});
