import { Client } from '@notionhq/client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createNotionPostmortemWriter,
  type NotionPostmortemWriterOptions,
} from '#shared/adapters/notion-postmortem-writer.ts';
import { createRateLimiter, rateLimitedFetch } from '#shared/adapters/notion-rate-limiter.ts';
import type { DocBlock, DocTableRow } from '#shared/domain/doc-blocks.ts';
import { postmortemOutline } from '#shared/domain/postmortem-outline.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import { descriptionOf } from '#shared/jira/jira-text.ts';
import { wikiToDocBlocks } from '#shared/jira/jira-wiki-markup.ts';
import { richTextOf } from '#shared/notion/notion-blocks.ts';
import { notionBlocksOf } from '#shared/notion/notion-document.ts';
import type { PostmortemDraft } from '#shared/ports.ts';
import { ensurePostmortem } from '#shared/use-cases/write-postmortem.ts';
import { MINUTE, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';
import { postmortemWriterContract } from '../contract/postmortem-writer-contract.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import {
  type NotionSimulator,
  type NotionSimulatorOptions,
  type SimulatedBlock,
  startNotionSimulator,
} from '../simulators/notion-simulator.ts';

type WriterOptions = Partial<Omit<NotionPostmortemWriterOptions, 'databaseId'>>;

const UNLIMITED = { requestsPerSecond: 1000, burst: 1000 };
const TEMPLATE_HEADINGS = ['Summary', 'Impact', 'Root Cause', 'Resolution', 'Timeline', 'Action Items'];

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A writer over the real client (its default retries included) against a fresh simulator. */
async function writerAgainst(
  simulator: NotionSimulatorOptions = UNLIMITED,
  writer: WriterOptions | ((notion: NotionSimulator) => WriterOptions) = {},
  client: { auth?: string; fetch?: typeof fetch; retry?: false } = {},
) {
  const notion = await startNotionSimulator(simulator);
  closers.push(notion.close);
  const notionClient = new Client({
    auth: client.auth ?? 'secret_test',
    baseUrl: notion.baseUrl,
    notionVersion: '2025-09-03',
    logger: () => {},
    ...(client.fetch ? { fetch: client.fetch } : {}),
    ...(client.retry === false ? { retry: false } : {}),
  });
  const postmortems = createNotionPostmortemWriter(notionClient, {
    databaseId: notion.databaseId,
    template: { kind: 'built-in' },
    ...(typeof writer === 'function' ? writer(notion) : writer),
  });
  return { notion, postmortems, client: notionClient };
}

postmortemWriterContract('the Notion adapter against the Notion simulator', async () => {
  return (await writerAgainst()).postmortems;
});

const paragraph = (content: string): DocBlock => ({
  kind: 'paragraph',
  runs: [{ text: content, url: null }],
});
const lines = (count: number) => Array.from({ length: count }, (_, i) => `Line ${i + 1}`);

const draftOf = (overrides: Partial<PostmortemDraft> = {}): PostmortemDraft => ({
  incidentKey: 'INC-42',
  title: 'INC-42: Checkout failing',
  jiraUrl: 'https://example.atlassian.net/browse/INC-42',
  severity: 'SEV2',
  incidentStartMs: Date.parse('2026-11-02T09:00:00.000Z'),
  resolvedAtMs: Date.parse('2026-11-02T10:52:00.000Z'),
  timeToResolve: '1h 52m',
  timeToAcknowledge: '4m',
  ownerEmail: 'ada@example.com',
  blocks: lines(3).map(paragraph),
  ...overrides,
});

type Json = Record<string, unknown>;
/** A template page's block in request form; the simulator stores any type. */
const templateBlock = (type: string, text: string | null, more: Json = {}, children?: Json[]): Json => ({
  type,
  [type]: {
    ...(text === null ? {} : { rich_text: [{ type: 'text', text: { content: text } }] }),
    ...more,
    ...(children ? { children } : {}),
  },
});
const heading2 = (content: string): DocBlock => ({
  kind: 'heading',
  level: 2,
  runs: [{ text: content, url: null }],
});
const guidance = (content: string): DocBlock => ({
  kind: 'paragraph',
  runs: [{ text: content, url: null, marks: { italic: true } }],
});
const bullet = (content: string): DocBlock => ({ kind: 'bullet', runs: [{ text: content, url: null }] });
const row = (...cells: string[]): DocTableRow => ({
  cells: cells.map((content) => [{ text: content, url: null }]),
});
const table = (...rows: DocTableRow[]): DocBlock => ({
  kind: 'table',
  width: 2,
  hasColumnHeader: true,
  hasRowHeader: false,
  rows,
});
/** A draft shaped like the built-in outline: sections under heading_2s, most opening with guidance. */
const outlineOf = (timeline: readonly string[]): DocBlock[] => [
  heading2('Summary'),
  guidance('What happened, in a few sentences.'),
  paragraph('Checkout returned 500s for EU customers.'),
  heading2('Impact'),
  bullet('Severity: SEV2'),
  heading2('Timeline'),
  guidance('Every stage change and every Jira comment.'),
  ...timeline.map(bullet),
  heading2('Time per stage'),
  table(row('Stage', 'Time'), row('triage', '4m')),
  heading2('Action Items'),
  guidance('Each action item gets an owner and a deadline.'),
];
/** The tree of a page's blocks as [type, text, children] triples, for whole-structure comparisons. */
type Shape = [string, string, ...Shape[]];
const shapeOf = (blocks: readonly SimulatedBlock[]): Shape[] =>
  blocks.map((block) => [block.type, block.text, ...shapeOf(block.children)]);

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('the Notion postmortem writer', () => {
  it('writes a built-in postmortem of 250 blocks as one page, in order, with its properties', async () => {
    const { notion, postmortems } = await writerAgainst();
    const draft = draftOf({ blocks: lines(250).map(paragraph) });

    const written = await postmortems.write(draft);

    const [page] = notion.pages();
    expect(notion.pages()).toHaveLength(1);
    expect(written).toEqual({ id: page?.id, url: page?.url, created: true });
    expect(notion.blocksOf(written.id).map((block) => block.text)).toEqual(lines(250));
    expect(page?.properties).toMatchObject({
      Name: { title: [{ plain_text: 'INC-42: Checkout failing' }] },
      Jira: { url: 'https://example.atlassian.net/browse/INC-42' },
      Severity: { select: { name: 'SEV2' } },
      Status: { status: { name: 'Draft' } },
      'Incident start': { date: { start: '2026-11-02T09:00:00.000Z' } },
      Resolved: { date: { start: '2026-11-02T10:52:00.000Z' } },
      'Time to resolve': { rich_text: [{ plain_text: '1h 52m' }] },
      'Time to acknowledge': { rich_text: [{ plain_text: '4m' }] },
      Owner: { people: [{ id: notion.people[0]?.id }] },
    });
  });

  it('returns the page already written for the incident instead of writing a second one', async () => {
    const { notion, postmortems } = await writerAgainst();
    const first = await postmortems.write(draftOf());

    const second = await postmortems.write(draftOf({ title: 'INC-42: Checkout failing (renamed)' }));

    expect(second).toEqual({ id: first.id, url: first.url, created: false });
    expect(notion.pages()).toHaveLength(1);
    expect(notion.blocksOf(first.id)).toHaveLength(3);
  });

  it('tells INC-4 from INC-42 when looking for the page already written', async () => {
    const { notion, postmortems } = await writerAgainst();
    await postmortems.write(draftOf());

    const written = await postmortems.write(draftOf({ incidentKey: 'INC-4', title: 'INC-4: Search slow' }));

    expect(written.created).toBe(true);
    expect(notion.pages()).toHaveLength(2);
  });

  it.each([
    ['the default template', (): WriterOptions => ({ template: { kind: 'default' } })],
    [
      'a template chosen by id',
      (notion: NotionSimulator): WriterOptions => ({
        template: { kind: 'template-id', id: notion.templateId },
      }),
    ],
  ])('writes after the content of %s, once Notion has applied it', async (_, template) => {
    const { notion, postmortems } = await writerAgainst({ ...UNLIMITED, templateDelayMs: 400 }, template);
    const startedAtMs = performance.now();

    const written = await postmortems.write(draftOf({ blocks: lines(120).map(paragraph) }));

    const blocks = notion.blocksOf(written.id);
    expect(performance.now() - startedAtMs).toBeGreaterThanOrEqual(400);
    expect(blocks.filter((block) => block.type === 'heading_2').map((block) => block.text)).toEqual(
      TEMPLATE_HEADINGS,
    );
    expect(blocks.slice(0, 12).map((block) => block.type)).toEqual(
      TEMPLATE_HEADINGS.flatMap(() => ['heading_2', 'paragraph']),
    );
    expect(blocks.slice(12).map((block) => block.text)).toEqual(lines(120));
  });

  it('gives up with UpstreamUnavailableError when the template is not applied in time', async () => {
    const { notion, postmortems } = await writerAgainst(
      { ...UNLIMITED, templateDelayMs: 5000 },
      { template: { kind: 'default' }, templateWaitMs: 300 },
    );

    const error = await rejectionOf(postmortems.write(draftOf()));

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toContain('the template was not applied yet');
    expect(notion.pages()).toHaveLength(1);
  });

  it('copies a template page with its placeholders filled, its nesting kept and the timeline in place', async () => {
    const { notion, postmortems } = await writerAgainst(UNLIMITED, (notion) => ({
      template: {
        kind: 'template-page',
        pageId: notion.addPage('Postmortem template', [
          templateBlock('heading_1', 'Postmortem {{incident.key}}: {{incident.summary}}'),
          {
            type: 'paragraph',
            paragraph: {
              rich_text: [
                {
                  type: 'text',
                  text: { content: 'Severity {{incident.severity}}, from {{incident.start}} ' },
                },
                {
                  type: 'text',
                  text: { content: 'to {{incident.resolved}} ({{incident.time_to_resolve}}, ' },
                },
                { type: 'text', text: { content: 'acked in {{incident.time_to_acknowledge}}). ' } },
                { type: 'text', text: { content: 'Jira: ' }, annotations: { bold: true } },
                { type: 'text', text: { content: '{{incident.jira_url}} {{incident.typo}}' } },
              ],
            },
          },
          templateBlock('bulleted_list_item', 'Checklist', {}, [
            templateBlock('bulleted_list_item', 'Review {{incident.key}}', {}, [
              templateBlock('to_do', 'Sign off {{incident.severity}}', { checked: true }, [
                templateBlock('paragraph', 'Four levels down: {{incident.key}}'),
              ]),
            ]),
          ]),
          templateBlock('heading_2', 'Timeline'),
          templateBlock('paragraph', '{{timeline}}'),
          templateBlock('toggle', 'Stages', {}, [templateBlock('paragraph', ' {{stage_durations}} ')]),
          templateBlock('callout', 'Blameless: systems, not people.', { icon: { emoji: '🕊️' } }),
          templateBlock('table_of_contents', null, { color: 'default' }),
          templateBlock('image', null, {
            type: 'external',
            external: { url: 'https://example.com/architecture.png' },
            caption: [{ type: 'text', text: { content: 'Architecture' } }],
          }),
        ]),
      },
    }));

    const written = await postmortems.write(
      draftOf({ blocks: outlineOf(['09:00 Opened in Triage', '09:04 Ada: looking at the load balancer']) }),
    );

    const blocks = notion.blocksOf(written.id);
    expect(shapeOf(blocks)).toEqual([
      ['heading_1', 'Postmortem INC-42: Checkout failing'],
      [
        'paragraph',
        'Severity SEV2, from 2 Nov 2026, 09:00 UTC to 2 Nov 2026, 10:52 UTC (1h 52m, acked in 4m). ' +
          'Jira: https://example.atlassian.net/browse/INC-42 {{incident.typo}}',
      ],
      [
        'bulleted_list_item',
        'Checklist',
        [
          'bulleted_list_item',
          'Review INC-42',
          ['to_do', 'Sign off SEV2', ['paragraph', 'Four levels down: INC-42']],
        ],
      ],
      ['heading_2', 'Timeline'],
      ['bulleted_list_item', '09:00 Opened in Triage'],
      ['bulleted_list_item', '09:04 Ada: looking at the load balancer'],
      ['paragraph', 'Stages', ['table', '', ['table_row', 'Stage | Time'], ['table_row', 'triage | 4m']]],
      ['quote', 'Blameless: systems, not people.'],
      ['paragraph', '[table of contents]'],
      ['paragraph', 'Architecture https://example.com/architecture.png'],
    ]);
    expect(blocks[1]?.content.rich_text).toContainEqual(
      expect.objectContaining({
        plain_text: 'https://example.atlassian.net/browse/INC-42',
        href: 'https://example.atlassian.net/browse/INC-42',
      }),
    );
    expect(blocks[2]?.children[0]?.children[0]?.content).toMatchObject({ checked: true });
    expect(blocks[6]?.children[0]?.content).toEqual({
      table_width: 2,
      has_column_header: true,
      has_row_header: false,
    });
    expect(notion.pages().filter((page) => page.id !== written.id)).toHaveLength(1);
  });

  it('fills a section placeholder nested in a toggle with a timeline of 250 entries, in order', async () => {
    const timeline = lines(250);
    const { notion, postmortems } = await writerAgainst(UNLIMITED, (notion) => ({
      template: {
        kind: 'template-page',
        pageId: notion.addPage('Postmortem template', [
          templateBlock('toggle', 'Timeline of {{incident.key}}', {}, [
            templateBlock('paragraph', '{{timeline}}'),
          ]),
          templateBlock('paragraph', '{{summary}}'),
        ]),
      },
    }));

    const written = await postmortems.write(draftOf({ blocks: outlineOf(timeline) }));

    const [toggle, ...rest] = notion.blocksOf(written.id);
    expect(toggle?.text).toBe('Timeline of INC-42');
    expect(toggle?.children.map((block) => block.text)).toEqual(timeline);
    expect(rest.map((block) => block.text)).toEqual(['Checkout returned 500s for EU customers.']);
  });

  it('reads every page of a template of 150 blocks with 120 children under one of them', async () => {
    const { notion, postmortems } = await writerAgainst(UNLIMITED, (notion) => ({
      template: {
        kind: 'template-page',
        pageId: notion.addPage('Postmortem template', [
          templateBlock(
            'bulleted_list_item',
            'Checks',
            {},
            lines(120).map((line) => templateBlock('to_do', `${line} of {{incident.key}}`)),
          ),
          ...lines(149).map((line) => templateBlock('paragraph', line)),
        ]),
      },
    }));

    const written = await postmortems.write(draftOf());

    const [checks, ...rest] = notion.blocksOf(written.id);
    expect(checks?.children.map((block) => block.text)).toEqual(
      lines(120).map((line) => `${line} of INC-42`),
    );
    expect(rest.map((block) => block.text)).toEqual(lines(149));
  });

  it('refuses, naming the template page to share, when the template page cannot be read, and writes no page', async () => {
    const { notion, postmortems } = await writerAgainst(UNLIMITED, {
      template: { kind: 'template-page', pageId: '00000000-0000-4000-8000-000000000000' },
    });

    const error = await rejectionOf(postmortems.write(draftOf()));

    expect(error).not.toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toMatch(
      /^Notion refused reading the postmortem template page .*share the template page/,
    );
    expect(notion.pages()).toHaveLength(0);
  });

  it('gets no 429 at all from Notion at 3 requests a second when its fetch goes through the rate limiter', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 3 });
    const { notion, postmortems } = await writerAgainst({ requestsPerSecond: 3, burst: 3 }, undefined, {
      fetch: rateLimitedFetch(limiter),
    });

    const written = await postmortems.write(draftOf({ blocks: lines(250).map(paragraph) }));

    expect(notion.requestCount).toBeGreaterThanOrEqual(6);
    expect(notion.rateLimitedCount).toBe(0);
    expect(notion.blocksOf(written.id)).toHaveLength(250);
  });

  it('gets through a burst of 429s by the client honouring Retry-After', async () => {
    const { notion, postmortems } = await writerAgainst({ requestsPerSecond: 2, burst: 1 });

    const written = await postmortems.write(draftOf({ blocks: lines(150).map(paragraph) }));

    expect(notion.rateLimitedCount).toBeGreaterThan(0);
    expect(notion.blocksOf(written.id).map((block) => block.text)).toEqual(lines(150));
  });

  it('reports a failed page creation as UpstreamUnavailableError, and writes the page when asked again', async () => {
    let failCreation = true;
    const { notion, postmortems } = await writerAgainst(UNLIMITED, undefined, {
      fetch: (input, init) => {
        if (failCreation && init?.method?.toUpperCase() === 'POST' && String(input).endsWith('/v1/pages')) {
          failCreation = false;
          notion.failNext(1, { status: 500, code: 'internal_server_error' });
        }
        return fetch(input, init);
      },
    });

    const error = await rejectionOf(postmortems.write(draftOf()));
    const pagesAfterFailure = notion.pages().length;
    const written = await postmortems.write(draftOf());

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(pagesAfterFailure).toBe(0);
    expect(written.created).toBe(true);
    expect(notion.pages()).toHaveLength(1);
  });

  it('translates a rate limit the client did not retry into UpstreamUnavailableError with its Retry-After', async () => {
    const { postmortems } = await writerAgainst({ requestsPerSecond: 1, burst: 1 }, undefined, {
      retry: false,
    });

    const error = await rejectionOf(postmortems.write(draftOf()));

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as UpstreamUnavailableError).retryAfterMs).toBe(1000);
  });

  it('translates a conflict into UpstreamUnavailableError, to be retried later', async () => {
    const { notion, postmortems } = await writerAgainst();
    notion.failNext(1, { status: 409, code: 'conflict_error' });

    const error = await rejectionOf(postmortems.write(draftOf()));

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(notion.pages()).toHaveLength(0);
  });

  it('leaves Owner empty for an email the workspace does not know, and omits what the incident lacks', async () => {
    const { notion, postmortems } = await writerAgainst();

    await postmortems.write(
      draftOf({
        ownerEmail: 'nobody@example.com',
        jiraUrl: null,
        severity: null,
        resolvedAtMs: null,
        timeToResolve: null,
      }),
    );

    expect(notion.pages()[0]?.properties).toMatchObject({
      Owner: { people: [] },
      Jira: { url: null },
      Severity: { select: null },
      Resolved: { date: null },
      'Time to resolve': { rich_text: [] },
      'Time to acknowledge': { rich_text: [{ plain_text: '4m' }] },
    });
  });

  it('writes a 5,000-character paragraph the domain split into rich-text items, without losing text', async () => {
    const { notion, postmortems } = await writerAgainst();
    const text = 'x'.repeat(4999).concat('!');
    const blocks = wikiToDocBlocks(text);

    const written = await postmortems.write(draftOf({ blocks }));

    expect(notionBlocksOf(blocks).map((block) => richTextOf(block).length)).toEqual([3]);
    expect(notion.blocksOf(written.id).map((block) => block.text)).toEqual([text]);
  });

  it('writes a timeline bullet of a 4,500-character Jira comment, cut into rich-text items Notion takes', async () => {
    const { notion, postmortems } = await writerAgainst();
    const comment = `Comment by Mia: ${'y'.repeat(4_483)}.`;

    const written = await postmortems.write(draftOf({ blocks: outlineOf([comment]) }));

    const bullets = notion.blocksOf(written.id).filter((block) => block.type === 'bulleted_list_item');
    expect(bullets.map((block) => block.text)).toContain(comment);
  });

  it('refuses with a plain error naming what was refused, never the token, when the token is wrong', async () => {
    const { postmortems } = await writerAgainst(UNLIMITED, undefined, { auth: 'secret_wrong_token' });

    const error = await rejectionOf(postmortems.write(draftOf()));

    expect(error).not.toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toMatch(/^Notion refused reading the postmortem database .*token/);
    expect((error as Error).message).not.toContain('secret_wrong_token');
  });

  it('writes the time per stage as a table holding its rows, in board order', async () => {
    const { notion, postmortems } = await writerAgainst();
    const events = reopenedLifecycle();
    const state = foldIncident(events, settingsWith());
    if (!state) throw new Error('fold gave nothing');
    const blocks = postmortemOutline(state, events, {
      timeZone: 'UTC',
      description: descriptionOf(events),
      jiraUrl: null,
      ownAccountId: null,
    });

    const written = await postmortems.write(draftOf({ blocks }));

    const page = notion.blocksOf(written.id);
    const heading = page.findIndex((block) => block.type === 'heading_2' && block.text === 'Time per stage');
    expect(page[heading + 1]?.content).toEqual({
      table_width: 3,
      has_column_header: true,
      has_row_header: false,
    });
    expect(shapeOf(page[heading + 1]?.children ?? [])).toEqual([
      ['table_row', 'Stage | Time | Visits'],
      ['table_row', 'detection | 4m | 1'],
      ['table_row', 'declaration | 5m | 1'],
      ['table_row', 'categorization | 6m | 1'],
      ['table_row', 'diagnosis | 46m | 2'],
      ['table_row', 'mitigation | 34m | 2'],
      ['table_row', 'resolution | 55m | 2'],
    ]);
    expect(page[heading + 2]?.text).toBe('Action Items');
  });

  it('writes a table of 150 rows with the first 100 and appends the rest to it, in order', async () => {
    const { notion, postmortems } = await writerAgainst();
    const rows = lines(150).map((line, i) => row(line, String(i)));

    const written = await postmortems.write(
      draftOf({ blocks: [paragraph('Before'), table(...rows), paragraph('After')] }),
    );

    expect(shapeOf(notion.blocksOf(written.id))).toEqual([
      ['paragraph', 'Before'],
      ['table', '', ...lines(150).map((line, i): Shape => ['table_row', `${line} | ${i}`])],
      ['paragraph', 'After'],
    ]);
  });

  it('fills {{stage_durations}} two levels down with the table, written where its rows may follow it', async () => {
    const { notion, postmortems } = await writerAgainst(UNLIMITED, (notion) => ({
      template: {
        kind: 'template-page',
        pageId: notion.addPage('Postmortem template', [
          templateBlock('toggle', 'Review', {}, [
            templateBlock('toggle', 'Numbers', {}, [templateBlock('paragraph', '{{stage_durations}}')]),
          ]),
          templateBlock('paragraph', 'The end'),
        ]),
      },
    }));

    const written = await postmortems.write(draftOf({ blocks: outlineOf([]) }));

    expect(shapeOf(notion.blocksOf(written.id))).toEqual([
      [
        'paragraph',
        'Review',
        ['paragraph', 'Numbers', ['table', '', ['table_row', 'Stage | Time'], ['table_row', 'triage | 4m']]],
      ],
      ['paragraph', 'The end'],
    ]);
  });
});

describe("keeping a postmortem page's properties current", () => {
  it('sets the properties that follow the incident, clearing what it no longer has, and nothing else', async () => {
    const { notion, postmortems, client } = await writerAgainst();
    const written = await postmortems.write(draftOf());
    await client.pages.update({
      page_id: written.id,
      properties: {
        Name: { title: [{ text: { content: 'INC-42: Checkout failing in the EU' } }] },
        Status: { status: { name: 'In review' } },
      },
    });
    const body = shapeOf(notion.blocksOf(written.id));

    await postmortems.refreshProperties(
      written,
      draftOf({
        title: 'INC-42: Checkout failing',
        severity: 'SEV1',
        resolvedAtMs: Date.parse('2026-11-02T11:30:00.000Z'),
        timeToResolve: '2h 30m',
        timeToAcknowledge: null,
        ownerEmail: null,
        blocks: [paragraph('A body that must not be written')],
      }),
    );

    expect(notion.pages()[0]?.properties).toMatchObject({
      Name: { title: [{ plain_text: 'INC-42: Checkout failing in the EU' }] },
      Status: { status: { name: 'In review' } },
      Owner: { people: [{ id: notion.people[0]?.id }] },
      Jira: { url: 'https://example.atlassian.net/browse/INC-42' },
      Severity: { select: { name: 'SEV1' } },
      'Incident start': { date: { start: '2026-11-02T09:00:00.000Z' } },
      Resolved: { date: { start: '2026-11-02T11:30:00.000Z' } },
      'Time to resolve': { rich_text: [{ plain_text: '2h 30m' }] },
      'Time to acknowledge': { rich_text: [] },
    });
    expect(shapeOf(notion.blocksOf(written.id))).toEqual(body);
  });

  it('does nothing to a page Notion no longer finds', async () => {
    const { notion, postmortems } = await writerAgainst();
    const gone = { id: '00000000-0000-4000-8000-000000000000', url: 'https://notion.so/gone', created: true };

    await postmortems.refreshProperties(gone, draftOf());

    expect(notion.pages()).toHaveLength(0);
  });

  it('updates Resolved and Time to resolve after a reopen, leaves the edited body, and costs nothing when repeated', async () => {
    const { notion, postmortems } = await writerAgainst();
    const store = createInMemoryEventStore();
    const deps = { store, writer: postmortems, settings: settingsWith(), ownAccountId: null };
    const events = reopenedLifecycle();
    const resolvedAt = (ms: number) => events.findIndex((event) => event.atMs === ms) + 1;
    const upTo = (count: number) => {
      const state = foldIncident(events.slice(0, count), deps.settings);
      if (!state) throw new Error('fold gave nothing');
      return [state, events.slice(0, count)] as const;
    };
    const written = await ensurePostmortem(...upTo(resolvedAt(T0 + 58 * MINUTE)), deps);
    if (!written) throw new Error('no postmortem written');
    const firstProperties = notion.pages()[0]?.properties;
    notion.addActionItems(written.id, [
      {
        type: 'to_do',
        to_do: { rich_text: [{ type: 'text', text: { content: 'Warm the cache before a rollback' } }] },
      },
    ]);
    const body = shapeOf(notion.blocksOf(written.id));
    const beforeReopen = notion.requestCount;
    await ensurePostmortem(...upTo(resolvedAt(T0 + 75 * MINUTE)), deps);
    const whileReopened = notion.requestCount - beforeReopen;

    await ensurePostmortem(...upTo(events.length), deps);
    const afterRefresh = notion.requestCount;
    await ensurePostmortem(...upTo(events.length), deps);

    expect(firstProperties).toMatchObject({
      Resolved: { date: { start: new Date(T0 + 58 * MINUTE).toISOString() } },
      'Time to resolve': { rich_text: [{ plain_text: '58m' }] },
    });
    expect(notion.pages()[0]?.properties).toMatchObject({
      Resolved: { date: { start: new Date(T0 + 112 * MINUTE).toISOString() } },
      'Time to resolve': { rich_text: [{ plain_text: '1h 52m' }] },
      Status: { status: { name: 'Draft' } },
    });
    expect(shapeOf(notion.blocksOf(written.id))).toEqual(body);
    expect(whileReopened).toBe(0);
    expect(afterRefresh - beforeReopen).toBe(1);
    expect(notion.requestCount).toBe(afterRefresh);
  });
});
