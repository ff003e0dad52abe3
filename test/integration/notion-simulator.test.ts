import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APIErrorCode,
  APIResponseError,
  type BlockObjectRequest,
  Client,
  type CreatePageParameters,
  isFullPage,
} from '@notionhq/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../fakes/manual-clock.ts';
import { type NotionSimulatorOptions, startNotionSimulator } from '../simulators/notion-simulator.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'notion');
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));

/** The client logs every failed attempt as a warning: these tests fail requests on purpose. */
const quiet = () => {};

const UNLIMITED = { requestsPerSecond: 1000, burst: 1000 };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function clientAgainst(
  options: NotionSimulatorOptions = UNLIMITED,
  retry: false | { maxRetries: number } = false,
) {
  const notion = await startNotionSimulator(options);
  closers.push(notion.close);
  const client = new Client({
    auth: 'secret_test',
    baseUrl: notion.baseUrl,
    notionVersion: '2025-09-03',
    retry,
    logger: quiet,
  });
  return { notion, client };
}

const paragraph = (content: string): BlockObjectRequest => ({
  type: 'paragraph',
  paragraph: { rich_text: [{ type: 'text', text: { content } }] },
});

const postmortemProperties = (title = 'INC-7: Checkout failing'): CreatePageParameters['properties'] => ({
  Name: { title: [{ text: { content: title } }] },
  Jira: { url: 'https://example.atlassian.net/browse/INC-7' },
  Severity: { select: { name: 'SEV2' } },
  Status: { status: { name: 'Draft' } },
  'Incident start': { date: { start: '2026-11-02T09:00:00.000Z' } },
  'Time to resolve': { rich_text: [{ text: { content: '2h 15m' } }] },
});

/** What the client throws, for assertions on Notion's error code, status and message. */
async function refusalOf(promise: Promise<unknown>): Promise<APIResponseError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!APIResponseError.isAPIResponseError(error))
    throw new Error(`expected a Notion API error, got ${String(error)}`);
  return error;
}

describe('the Notion simulator, through @notionhq/client', () => {
  it('finds the data source from the database and creates a page in it with properties and 100 children', async () => {
    const { notion, client } = await clientAgainst();
    const children = Array.from({ length: 100 }, (_, i) => paragraph(`Line ${i + 1}`));

    const database = await client.databases.retrieve({ database_id: notion.databaseId });
    const dataSourceId = 'data_sources' in database ? database.data_sources[0]?.id : undefined;
    const page = await client.pages.create({
      parent: { type: 'data_source_id', data_source_id: dataSourceId ?? '' },
      properties: postmortemProperties(),
      children,
    });

    expect(Object.keys(database).sort()).toEqual(
      Object.keys(fixture('notion-database-create-response-1')).sort(),
    );
    expect(dataSourceId).toBe(notion.dataSourceId);
    expect(Object.keys(page).sort()).toEqual(Object.keys(fixture('notion-page-create-response-1')).sort());
    expect(isFullPage(page) && page.parent).toEqual({
      type: 'data_source_id',
      data_source_id: notion.dataSourceId,
      database_id: notion.databaseId,
    });
    expect(isFullPage(page) && page.properties.Severity).toMatchObject({
      type: 'select',
      select: { name: 'SEV2' },
    });
    expect(isFullPage(page) && page.properties.Owner).toMatchObject({ type: 'people', people: [] });
    expect(notion.blocksOf(page.id)).toHaveLength(100);
    expect(notion.blocksOf(page.id)[99]).toMatchObject({ type: 'paragraph', text: 'Line 100' });
  });

  it('refuses a page with 101 children', async () => {
    const { notion, client } = await clientAgainst();
    const children = Array.from({ length: 101 }, (_, i) => paragraph(`Line ${i + 1}`));

    const error = await refusalOf(
      client.pages.create({
        parent: { data_source_id: notion.dataSourceId },
        properties: postmortemProperties(),
        children,
      }),
    );

    expect(error.code).toBe(APIErrorCode.ValidationError);
    expect(error.status).toBe(400);
    expect(error.message).toContain('body.children.length should be ≤ `100`, instead was `101`');
    expect(notion.pages()).toHaveLength(0);
  });

  it('takes a text of 2,000 characters and refuses one of 2,001', async () => {
    const { notion, client } = await clientAgainst();
    const page = await client.pages.create({
      parent: { data_source_id: notion.dataSourceId },
      properties: postmortemProperties(),
    });

    await client.blocks.children.append({ block_id: page.id, children: [paragraph('x'.repeat(2000))] });
    const error = await refusalOf(
      client.blocks.children.append({ block_id: page.id, children: [paragraph('x'.repeat(2001))] }),
    );

    expect(error.code).toBe(APIErrorCode.ValidationError);
    expect(error.message).toContain(
      'body.children[0].paragraph.rich_text[0].text.content.length should be ≤ `2000`',
    );
    expect(notion.blocksOf(page.id).map((block) => block.text.length)).toEqual([2000]);
  });

  it('takes children nested two levels deep and refuses a third level', async () => {
    const { notion, client } = await clientAgainst();
    const page = await client.pages.create({
      parent: { data_source_id: notion.dataSourceId },
      properties: postmortemProperties(),
    });
    const item = (content: string, children?: unknown[]) => ({
      type: 'bulleted_list_item',
      bulleted_list_item: {
        rich_text: [{ type: 'text', text: { content } }],
        ...(children ? { children } : {}),
      },
    });
    const twoLevels = [item('level 1', [item('level 2', [item('level 3')])])] as BlockObjectRequest[];
    // The client's own types stop at two levels: a third has to be forced past them.
    const threeLevels = [
      item('level 1', [item('level 2', [item('level 3', [item('level 4')])])]),
    ] as unknown as BlockObjectRequest[];

    await client.blocks.children.append({ block_id: page.id, children: twoLevels });
    const error = await refusalOf(
      client.blocks.children.append({ block_id: page.id, children: threeLevels }),
    );

    expect(error.code).toBe(APIErrorCode.ValidationError);
    expect(error.message).toContain(
      'body.children[0].bulleted_list_item.children[0].bulleted_list_item.children[0].bulleted_list_item.children should be not present',
    );
    expect(notion.blocksOf(page.id)[0]?.children[0]?.children[0]).toMatchObject({
      text: 'level 3',
      children: [],
    });
  });

  it('appends children after the page was created and lists them page by page', async () => {
    const { notion, client } = await clientAgainst();
    const page = await client.pages.create({
      parent: { data_source_id: notion.dataSourceId },
      properties: postmortemProperties(),
    });

    const appended = await client.blocks.children.append({
      block_id: page.id,
      children: Array.from({ length: 100 }, (_, i) => paragraph(`First ${i + 1}`)),
    });
    await client.blocks.children.append({
      block_id: page.id,
      children: Array.from({ length: 30 }, (_, i) => paragraph(`Second ${i + 1}`)),
    });
    const first = await client.blocks.children.list({ block_id: page.id, page_size: 100 });
    const second = await client.blocks.children.list({
      block_id: page.id,
      page_size: 100,
      start_cursor: first.next_cursor ?? '',
    });

    expect(Object.keys(appended).sort()).toEqual(
      Object.keys(fixture('notion-append-block-children-response-1')).sort(),
    );
    expect(first.results).toHaveLength(100);
    expect(first.has_more).toBe(true);
    expect(second.results).toHaveLength(30);
    expect(second.has_more).toBe(false);
    expect(second.next_cursor).toBeNull();
    expect(notion.blocksOf(page.id).map((block) => block.text)).toEqual([
      ...Array.from({ length: 100 }, (_, i) => `First ${i + 1}`),
      ...Array.from({ length: 30 }, (_, i) => `Second ${i + 1}`),
    ]);
  });

  it("creates a templated page blank and fills it with the template's blocks after a while", async () => {
    const clock = createManualClock(Date.parse('2026-11-23T09:00:00.000Z'));
    const { notion, client } = await clientAgainst({ ...UNLIMITED, templateDelayMs: 150, clock });

    const { templates } = await client.dataSources.listTemplates({ data_source_id: notion.dataSourceId });
    const page = await client.pages.create({
      parent: { data_source_id: notion.dataSourceId },
      properties: postmortemProperties(),
      template: { type: 'template_id', template_id: templates[0]?.id ?? '' },
    });
    const atOnce = await client.blocks.children.list({ block_id: page.id });
    clock.advance(150);
    const later = await client.blocks.children.list({ block_id: page.id });

    expect(templates).toEqual([{ id: notion.templateId, name: 'Postmortem template', is_default: true }]);
    expect(atOnce.results).toEqual([]);
    expect(later.results.length).toBeGreaterThan(0);
    expect(
      notion
        .blocksOf(page.id)
        .filter((block) => block.type === 'heading_2')
        .map((block) => block.text),
    ).toEqual(['Summary', 'Impact', 'Root Cause', 'Resolution', 'Timeline', 'Action Items']);
  });

  it('refuses children sent together with a template', async () => {
    const { notion, client } = await clientAgainst();

    const error = await refusalOf(
      client.pages.create({
        parent: { data_source_id: notion.dataSourceId },
        properties: postmortemProperties(),
        template: { type: 'default' },
        children: [paragraph('Too early')],
      }),
    );

    expect(error.code).toBe(APIErrorCode.ValidationError);
    expect(notion.pages()).toHaveLength(0);
  });

  it('answers a burst beyond the rate with 429 rate_limited and a Retry-After in seconds, then serves after the wait', async () => {
    const clock = createManualClock(Date.parse('2026-11-23T09:00:00.000Z'));
    const { client, notion } = await clientAgainst({ requestsPerSecond: 3, burst: 3, clock });

    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => client.users.list({})));
    const refusals = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as APIResponseError] : [],
    );
    const retryAfterSeconds = Number((refusals[0]?.headers as Headers | undefined)?.get('retry-after'));
    clock.advance(retryAfterSeconds * 1000);
    const afterTheWait = await client.users.list({});

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
    expect(refusals).toHaveLength(7);
    expect(refusals.every((error) => error.code === APIErrorCode.RateLimited && error.status === 429)).toBe(
      true,
    );
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(retryAfterSeconds)).toBe(true);
    expect(afterTheWait.results.length).toBeGreaterThan(0);
    expect(notion.rateLimitedCount).toBe(7);
  });

  it("lets the client's own retries, which honour Retry-After, carry a burst through", async () => {
    const { client, notion } = await clientAgainst({ requestsPerSecond: 3, burst: 3 }, { maxRetries: 5 });

    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => client.users.list({})));

    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(notion.rateLimitedCount).toBeGreaterThan(0);
    expect(notion.requestCount).toBe(10 + notion.rateLimitedCount);
  });

  it('refuses a wrong token with 401 unauthorized in Notion’s shape', async () => {
    const notion = await startNotionSimulator(UNLIMITED);
    closers.push(notion.close);
    const client = new Client({
      auth: 'secret_wrong',
      baseUrl: notion.baseUrl,
      notionVersion: '2025-09-03',
      retry: false,
      logger: quiet,
    });

    const error = await refusalOf(client.users.list({}));

    expect(error.code).toBe(APIErrorCode.Unauthorized);
    expect(error.status).toBe(401);
    expect(Object.keys(JSON.parse(error.body)).sort()).toEqual(
      Object.keys(fixture('notion-error-unauthorized-1')).sort(),
    );
  });

  it('refuses a request without Notion-Version', async () => {
    const notion = await startNotionSimulator(UNLIMITED);
    closers.push(notion.close);

    const response = await fetch(`${notion.baseUrl}/v1/users`, {
      headers: { authorization: 'Bearer secret_test' },
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ object: 'error', code: 'missing_version' });
  });

  it('refuses an unknown property naming it, and a value of the wrong type', async () => {
    const { notion, client } = await clientAgainst();

    const unknown = await refusalOf(
      client.pages.create({
        parent: { data_source_id: notion.dataSourceId },
        properties: { ...postmortemProperties(), Sevrity: { select: { name: 'SEV1' } } },
      }),
    );
    const wrongType = await refusalOf(
      client.pages.create({
        parent: { data_source_id: notion.dataSourceId },
        properties: { ...postmortemProperties(), Severity: { rich_text: [{ text: { content: 'SEV1' } }] } },
      }),
    );

    expect(unknown.code).toBe(APIErrorCode.ValidationError);
    expect(unknown.message).toBe('Sevrity is not a property that exists.');
    expect(wrongType.code).toBe(APIErrorCode.ValidationError);
    expect(wrongType.message).toBe('Severity is expected to be select.');
  });

  it('lists the workspace people with their emails, so an owner can be found', async () => {
    const { notion, client } = await clientAgainst();

    const users = await client.users.list({});
    const ada = users.results.find(
      (user) => user.type === 'person' && user.person.email === 'ada@example.com',
    );
    const page = await client.pages.create({
      parent: { data_source_id: notion.dataSourceId },
      properties: { ...postmortemProperties(), Owner: { people: [{ id: ada?.id ?? '' }] } },
    });

    expect(ada?.id).toBe(notion.people[0]?.id);
    expect(isFullPage(page) && page.properties.Owner).toMatchObject({ people: [{ id: ada?.id }] });
  });

  it('finds a page it created by a query on its title, as a retry after a crash would', async () => {
    const { notion, client } = await clientAgainst();
    await client.pages.create({
      parent: { data_source_id: notion.dataSourceId },
      properties: postmortemProperties('INC-7: Checkout failing'),
    });
    await client.pages.create({
      parent: { data_source_id: notion.dataSourceId },
      properties: postmortemProperties('INC-8: Search slow'),
    });

    const found = await client.dataSources.query({
      data_source_id: notion.dataSourceId,
      filter: { property: 'Name', title: { starts_with: 'INC-7:' } },
    });

    expect(found.results).toHaveLength(1);
    expect(notion.pages()).toHaveLength(2);
  });

  it('answers injected failures once each, for retry tests', async () => {
    const { notion, client } = await clientAgainst();
    notion.failNext(1, { status: 409, code: 'conflict_error' });

    const error = await refusalOf(client.users.list({}));
    const next = await client.users.list({});

    expect(error.code).toBe(APIErrorCode.ConflictError);
    expect(next.results.length).toBeGreaterThan(0);
  });
});
