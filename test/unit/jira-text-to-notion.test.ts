import type { BlockObjectRequest } from '@notionhq/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adfToDocBlocks } from '#shared/jira/atlassian-document-format.ts';
import type { ConversionOptions } from '#shared/jira/block-drafts.ts';
import { jiraTextToDocBlocks } from '#shared/jira/jira-text.ts';
import { wikiToDocBlocks } from '#shared/jira/jira-wiki-markup.ts';
import {
  childrenOf,
  NOTION_CODE_LANGUAGES,
  NOTION_MAX_NESTING_LEVELS,
  NOTION_RICH_TEXT_MAX_ITEMS,
  NOTION_TEXT_MAX_LENGTH,
  type NotionBlock,
  type NotionRequestBlock,
  type NotionRichText,
  notionCodeLanguage,
  plainTextOf,
  richTextOf,
} from '#shared/notion/notion-blocks.ts';
import { notionBlocksOf } from '#shared/notion/notion-document.ts';
import { jiraFixture, jiraWebhookFixtures } from '../fixtures/load.ts';

// Our readonly shapes, made mutable, must be what the Notion client accepts: checked by the compiler.
type DeepMutable<T> = T extends readonly (infer U)[]
  ? DeepMutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;
const acceptedByNotion = (blocks: readonly NotionRequestBlock[]): BlockObjectRequest[] =>
  blocks as DeepMutable<NotionRequestBlock>[] satisfies BlockObjectRequest[];
type LanguageRequest = Extract<BlockObjectRequest, { code: unknown }>['code']['language'];
const languagesAcceptedByNotion: readonly LanguageRequest[] = NOTION_CODE_LANGUAGES;

// Jira text as the Notion writer sends it: converted to a document, then translated block for block.
const wikiToNotionBlocks = (text: string, options?: ConversionOptions) =>
  notionBlocksOf(wikiToDocBlocks(text, options));
const adfToNotionBlocks = (doc: unknown, options?: ConversionOptions) =>
  notionBlocksOf(adfToDocBlocks(doc, options));
const jiraTextToNotionBlocks = (body: unknown) => notionBlocksOf(jiraTextToDocBlocks(body));

const text = (content: string, extra: Partial<NotionRichText> = {}): NotionRichText => ({
  type: 'text',
  text: { content, link: null },
  ...extra,
});
const link = (content: string, url: string): NotionRichText => ({
  type: 'text',
  text: { content, link: { url } },
});
const styled = (content: string, annotations: NotionRichText['annotations']) =>
  text(content, { annotations });

/** Every block in the tree with its depth (0 = top level). */
function walk(blocks: readonly NotionBlock[], depth = 0): { block: NotionBlock; depth: number }[] {
  return blocks.flatMap((block) => [{ block, depth }, ...walk(childrenOf(block), depth + 1)]);
}

function expectWithinNotionLimits(blocks: readonly NotionBlock[]): void {
  for (const { block, depth } of walk(blocks)) {
    const items = richTextOf(block);
    expect(items.length).toBeLessThanOrEqual(NOTION_RICH_TEXT_MAX_ITEMS);
    for (const item of items) expect(item.text.content.length).toBeLessThanOrEqual(NOTION_TEXT_MAX_LENGTH);
    expect(depth).toBeLessThanOrEqual(NOTION_MAX_NESTING_LEVELS);
  }
}

const allText = (blocks: readonly NotionBlock[]) =>
  walk(blocks)
    .flatMap(({ block }) => richTextOf(block).map((item) => item.text.content))
    .join('');

describe('wikiToNotionBlocks', () => {
  it.each<[string, string, NotionBlock[]]>([
    [
      'blank lines separate paragraphs and single newlines stay inside one',
      'first line\nsame paragraph\n\nsecond',
      [
        { type: 'paragraph', paragraph: { rich_text: [text('first line\nsame paragraph')] } },
        { type: 'paragraph', paragraph: { rich_text: [text('second')] } },
      ],
    ],
    [
      'h1 to h3 map to Notion headings and h4 to h6 to heading_3',
      'h1. One\nh2. Two\nh3. Three\nh5. Five',
      [
        { type: 'heading_1', heading_1: { rich_text: [text('One')] } },
        { type: 'heading_2', heading_2: { rich_text: [text('Two')] } },
        { type: 'heading_3', heading_3: { rich_text: [text('Three')] } },
        { type: 'heading_3', heading_3: { rich_text: [text('Five')] } },
      ],
    ],
    [
      'bullets nest by the number of markers',
      '* a\n** a1\n- b',
      [
        {
          type: 'bulleted_list_item',
          bulleted_list_item: {
            rich_text: [text('a')],
            children: [{ type: 'bulleted_list_item', bulleted_list_item: { rich_text: [text('a1')] } }],
          },
        },
        { type: 'bulleted_list_item', bulleted_list_item: { rich_text: [text('b')] } },
      ],
    ],
    [
      'numbered lists and bullets under numbers',
      '# one\n#* detail\n# two',
      [
        {
          type: 'numbered_list_item',
          numbered_list_item: {
            rich_text: [text('one')],
            children: [{ type: 'bulleted_list_item', bulleted_list_item: { rich_text: [text('detail')] } }],
          },
        },
        { type: 'numbered_list_item', numbered_list_item: { rich_text: [text('two')] } },
      ],
    ],
    [
      'a code macro keeps its body verbatim with its language',
      '{code:java}\nint *a* = [b];\n\n  x++;\n{code}',
      [{ type: 'code', code: { rich_text: [text('int *a* = [b];\n\n  x++;')], language: 'java' } }],
    ],
    [
      'a code macro with named parameters reads language= and shows the title',
      '{code:title=Main.kt|language=kotlin}fun main() {}{code}',
      [
        { type: 'paragraph', paragraph: { rich_text: [styled('Main.kt', { bold: true })] } },
        { type: 'code', code: { rich_text: [text('fun main() {}')], language: 'kotlin' } },
      ],
    ],
    [
      'noformat is plain-text code, and an unknown language is plain text too',
      '{noformat}\nERROR 500\n{noformat}\n{code:brainfuck}+++{code}',
      [
        { type: 'code', code: { rich_text: [text('ERROR 500')], language: 'plain text' } },
        { type: 'code', code: { rich_text: [text('+++')], language: 'plain text' } },
      ],
    ],
    [
      'a quote macro becomes a quote whose later paragraphs are children',
      'before {quote}\nsaid *this*\n\nand that\n{quote} after',
      [
        { type: 'paragraph', paragraph: { rich_text: [text('before ')] } },
        {
          type: 'quote',
          quote: {
            rich_text: [text('said '), styled('this', { bold: true })],
            children: [{ type: 'paragraph', paragraph: { rich_text: [text('and that')] } }],
          },
        },
        { type: 'paragraph', paragraph: { rich_text: [text(' after')] } },
      ],
    ],
    [
      'a version number that only looks like a heading as text',
      'h2.0 failed',
      [{ type: 'paragraph', paragraph: { rich_text: [text('h2.0 failed')] } }],
    ],
    [
      'bq. is a one-line quote and ---- a divider',
      'bq. quoted\n----\nend',
      [
        { type: 'quote', quote: { rich_text: [text('quoted')] } },
        { type: 'divider', divider: {} },
        { type: 'paragraph', paragraph: { rich_text: [text('end')] } },
      ],
    ],
    [
      'tables become one paragraph per row with header cells bold',
      '||Service||State||\n|api|[down|https://status.example.com]|',
      [
        {
          type: 'paragraph',
          paragraph: {
            rich_text: [styled('Service', { bold: true }), text(' | '), styled('State', { bold: true })],
          },
        },
        {
          type: 'paragraph',
          paragraph: { rich_text: [text('api | '), link('down', 'https://status.example.com')] },
        },
      ],
    ],
    [
      'an unclosed code macro keeps the rest of the text as code',
      'see\n{code}\nstill here',
      [
        { type: 'paragraph', paragraph: { rich_text: [text('see')] } },
        { type: 'code', code: { rich_text: [text('still here')], language: 'plain text' } },
      ],
    ],
  ])('converts %s', (_name, source, expected) => {
    const blocks = wikiToNotionBlocks(source);

    expect(blocks).toEqual(expected);
    acceptedByNotion(blocks);
  });

  it.each<[string, string, NotionRichText[]]>([
    ['bold', 'a *b* c', [text('a '), styled('b', { bold: true }), text(' c')]],
    ['italic', '_it_', [styled('it', { italic: true })]],
    [
      'strikethrough',
      'was -gone- here',
      [text('was '), styled('gone', { strikethrough: true }), text(' here')],
    ],
    ['underline', '+under+', [styled('under', { underline: true })]],
    ['monospace, markup inside kept literally', '{{a *b*}}', [styled('a *b*', { code: true })]],
    ['nested emphasis', '*_both_*', [styled('both', { bold: true, italic: true })]],
    [
      'a labelled link',
      '[the runbook|https://wiki.example.com/rb]',
      [link('the runbook', 'https://wiki.example.com/rb')],
    ],
    ['a bracketed URL', '[https://a.example.com]', [link('https://a.example.com', 'https://a.example.com')]],
    [
      'a bare URL without its trailing full stop',
      'see https://x.example.com/a_b-c.',
      [text('see '), link('https://x.example.com/a_b-c', 'https://x.example.com/a_b-c'), text('.')],
    ],
    ['a mention by name', 'ping [~jsmith]', [text('ping @jsmith')]],
    [
      'a mention by account id',
      'ping [~accountid:5b10a2844c20165700ede21g]',
      [text('ping @5b10a2844c20165700ede21g')],
    ],
    ['emoticons as they are', 'fixed :) (y) (/)', [text('fixed :) (y) (/)')]],
    ['a forced line break', 'a\\\\b', [text('a\nb')]],
    ['escaped markup characters', '\\*not bold\\*', [text('*not bold*')]],
    ['colour macros dropped, their text kept', '{color:red}alert{color}', [text('alert')]],
    [
      'an image as an attachment placeholder',
      'graph !latency.png|thumbnail!',
      [text('graph [attachment: latency.png]')],
    ],
    [
      'markers inside words left alone',
      'snake_case_name and 2024-01-02 and a+b+c',
      [text('snake_case_name and 2024-01-02 and a+b+c')],
    ],
    ['an unclosed marker as text', '*not closed', [text('*not closed')]],
    ['a bracket that is no link as text', '[WARN] disk [x|not a url]', [text('[WARN] disk [x|not a url]')]],
    ['a link to a relative URL as text', '[home|/home]', [text('[home|/home]')]],
  ])('reads inline %s', (_name, source, expected) => {
    const [block] = wikiToNotionBlocks(source);

    expect(block === undefined ? [] : richTextOf(block)).toEqual(expected);
  });

  it('names account-id mentions from the names it is given', () => {
    const blocks = wikiToNotionBlocks('[~accountid:abc] is on it', {
      userNames: new Map([['abc', 'Ana Diaz']]),
    });

    expect(plainTextOf(blocks)).toBe('@Ana Diaz is on it');
  });

  it('keeps a link on every piece of a link longer than a rich-text item', () => {
    const label = 'x'.repeat(NOTION_TEXT_MAX_LENGTH + 10);

    const [block] = wikiToNotionBlocks(`[${label}|https://example.com]`);

    expect(block === undefined ? [] : richTextOf(block)).toEqual([
      link('x'.repeat(NOTION_TEXT_MAX_LENGTH), 'https://example.com'),
      link('x'.repeat(10), 'https://example.com'),
    ]);
  });

  it('splits a paragraph over 2,000 characters into items without losing one', () => {
    const long = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');

    const blocks = wikiToNotionBlocks(long);

    expect(blocks).toHaveLength(1);
    expect(allText(blocks)).toBe(long);
    expectWithinNotionLimits(blocks);
  });

  it('splits a paragraph of more than 100 runs into several paragraphs, in order', () => {
    const source = Array.from({ length: 150 }, (_, i) => `*b${i}* p${i}`).join(' ');

    const blocks = wikiToNotionBlocks(source);

    expect(blocks.map((block) => block.type)).toEqual(['paragraph', 'paragraph', 'paragraph']);
    expect(allText(blocks)).toBe(source.replaceAll('*', ''));
    expectWithinNotionLimits(blocks);
  });

  it('never cuts an emoji in half at a rich-text boundary', () => {
    const source = `${'a'.repeat(NOTION_TEXT_MAX_LENGTH - 1)}😀tail`;

    const [block] = wikiToNotionBlocks(source);

    expect(block === undefined ? [] : richTextOf(block).map((item) => item.text.content)).toEqual([
      'a'.repeat(NOTION_TEXT_MAX_LENGTH - 1),
      '😀tail',
    ]);
  });

  it('converts a 50,000-character description completely and within the limits', () => {
    const paragraph = 'The *primary* database failed over; see https://status.example.com and [~oncall].';
    const source = Array.from({ length: 600 }, (_, i) => `h3. Step ${i}\n${paragraph}\n* item ${i}`).join(
      '\n\n',
    );

    const blocks = wikiToNotionBlocks(source);

    expect(source.length).toBeGreaterThan(50_000);
    expect(blocks).toHaveLength(1800);
    expectWithinNotionLimits(blocks);
  });

  it('flattens list items nested deeper than Notion allows into the deepest level, in order', () => {
    const blocks = wikiToNotionBlocks('* 1\n** 2\n*** 3\n**** 4\n***** 5\n** 2b');

    expect(walk(blocks).map(({ block, depth }) => [plainTextOf([block]).split('\n')[0], depth])).toEqual([
      ['1', 0],
      ['2', 1],
      ['3', 2],
      ['4', 2],
      ['5', 2],
      ['2b', 1],
    ]);
    expectWithinNotionLimits(blocks);
  });

  it('keeps every word of text without markup', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9.,:;'"()?]{1,12}$/);
    const separator = fc.constantFrom(' ', ' ', '\n', '\n\n', '  ');
    const source = fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 400 });

    fc.assert(
      fc.property(source, (pairs) => {
        const input = pairs.map(([w, s]) => w + s).join('');

        const blocks = wikiToNotionBlocks(input);

        const plain = plainTextOf(blocks);
        for (const [w] of pairs) expect(plain).toContain(w);
        expectWithinNotionLimits(blocks);
      }),
    );
  });

  it('keeps every character of long runs of a single word', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9000 }), fc.constantFrom('a', 'é', '😀'), (count, unit) => {
        const input = unit.repeat(count);

        const blocks = wikiToNotionBlocks(input);

        expect(allText(blocks)).toBe(input);
        expectWithinNotionLimits(blocks);
      }),
    );
  });

  it('converts any text at all within the limits', () => {
    const markupHeavy = fc.string({ unit: fc.constantFrom(...'*_-+{}[]|!#~^?\\hbq.1 \nabc:/'.split('')) });

    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 3000 }), markupHeavy), (input) => {
        const blocks = wikiToNotionBlocks(input);

        expectWithinNotionLimits(blocks);
        acceptedByNotion(blocks);
      }),
    );
  });

  it.each(
    jiraWebhookFixtures.filter((name) => typeof jiraFixture(name).issue?.fields.description === 'string'),
  )('keeps the text of the description in fixture %s', (name) => {
    const description = String(jiraFixture(name).issue?.fields.description);

    const blocks = wikiToNotionBlocks(description);

    expect(plainTextOf(blocks).replace(/\s+/g, ' ')).toBe(description.replace(/\s+/g, ' '));
    acceptedByNotion(blocks);
  });
});

const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const p = (...content: unknown[]) => ({ type: 'paragraph', content });
const t = (value: string, ...marks: unknown[]) => ({ type: 'text', text: value, marks });

describe('adfToNotionBlocks', () => {
  it.each<[string, unknown, NotionBlock[]]>([
    [
      'paragraphs and headings by level, h4 and below as heading_3',
      doc(
        { type: 'heading', attrs: { level: 2 }, content: [t('Impact')] },
        { type: 'heading', attrs: { level: 5 }, content: [t('Detail')] },
        p(t('Users saw errors.')),
      ),
      [
        { type: 'heading_2', heading_2: { rich_text: [text('Impact')] } },
        { type: 'heading_3', heading_3: { rich_text: [text('Detail')] } },
        { type: 'paragraph', paragraph: { rich_text: [text('Users saw errors.')] } },
      ],
    ],
    [
      'marks as annotations and links',
      doc(
        p(
          t('b', { type: 'strong' }),
          t('i', { type: 'em' }),
          t('s', { type: 'strike' }),
          t('u', { type: 'underline' }),
          t('c', { type: 'code' }),
          t('l', { type: 'link', attrs: { href: 'https://example.com' } }, { type: 'strong' }),
          t('x', { type: 'textColor', attrs: { color: '#f00' } }),
        ),
      ),
      [
        {
          type: 'paragraph',
          paragraph: {
            rich_text: [
              styled('b', { bold: true }),
              styled('i', { italic: true }),
              styled('s', { strikethrough: true }),
              styled('u', { underline: true }),
              styled('c', { code: true }),
              { ...link('l', 'https://example.com'), annotations: { bold: true } },
              text('x'),
            ],
          },
        },
      ],
    ],
    [
      'mentions, emoji, hard breaks, inline cards and dates as text',
      doc(
        p(
          { type: 'mention', attrs: { id: '123', text: '@Ana' } },
          t(' '),
          { type: 'emoji', attrs: { shortName: ':fire:', text: '🔥' } },
          { type: 'emoji', attrs: { shortName: ':custom:' } },
          { type: 'hardBreak' },
          { type: 'inlineCard', attrs: { url: 'https://acme.atlassian.net/browse/INC-1' } },
          t(' on '),
          { type: 'date', attrs: { timestamp: '1767225600000' } },
          t(' '),
          { type: 'status', attrs: { text: 'IN PROGRESS', color: 'blue' } },
        ),
      ),
      [
        {
          type: 'paragraph',
          paragraph: {
            rich_text: [
              text('@Ana 🔥:custom:\n'),
              link('https://acme.atlassian.net/browse/INC-1', 'https://acme.atlassian.net/browse/INC-1'),
              text(' on 2026-01-01 IN PROGRESS'),
            ],
          },
        },
      ],
    ],
    [
      'bullet and ordered lists with nested items',
      doc({
        type: 'bulletList',
        content: [
          {
            type: 'listItem',
            content: [
              p(t('a')),
              { type: 'orderedList', content: [{ type: 'listItem', content: [p(t('a1'))] }] },
            ],
          },
        ],
      }),
      [
        {
          type: 'bulleted_list_item',
          bulleted_list_item: {
            rich_text: [text('a')],
            children: [{ type: 'numbered_list_item', numbered_list_item: { rich_text: [text('a1')] } }],
          },
        },
      ],
    ],
    [
      'code blocks with their language, blockquotes, panels and rules',
      doc(
        { type: 'codeBlock', attrs: { language: 'ts' }, content: [t('const a = 1;\nconst b = 2;')] },
        { type: 'codeBlock', content: [t('raw')] },
        { type: 'blockquote', content: [p(t('quoted'))] },
        { type: 'panel', attrs: { panelType: 'warning' }, content: [p(t('careful'))] },
        { type: 'rule' },
      ),
      [
        { type: 'code', code: { rich_text: [text('const a = 1;\nconst b = 2;')], language: 'typescript' } },
        { type: 'code', code: { rich_text: [text('raw')], language: 'plain text' } },
        { type: 'quote', quote: { rich_text: [text('quoted')] } },
        { type: 'quote', quote: { rich_text: [text('careful')] } },
        { type: 'divider', divider: {} },
      ],
    ],
    [
      'task items as to-dos, checked when done',
      doc({
        type: 'taskList',
        attrs: { localId: 'x' },
        content: [
          { type: 'taskItem', attrs: { localId: 'a', state: 'DONE' }, content: [t('roll back')] },
          { type: 'taskItem', attrs: { localId: 'b', state: 'TODO' }, content: [t('add alert')] },
        ],
      }),
      [
        { type: 'to_do', to_do: { rich_text: [text('roll back')], checked: true } },
        { type: 'to_do', to_do: { rich_text: [text('add alert')], checked: false } },
      ],
    ],
    [
      'tables as one paragraph per row',
      doc({
        type: 'table',
        content: [
          {
            type: 'tableRow',
            content: [
              { type: 'tableHeader', content: [p(t('Service'))] },
              { type: 'tableHeader', content: [p(t('State'))] },
            ],
          },
          {
            type: 'tableRow',
            content: [
              { type: 'tableCell', content: [p(t('api'))] },
              { type: 'tableCell', content: [p(t('down'))] },
            ],
          },
        ],
      }),
      [
        {
          type: 'paragraph',
          paragraph: {
            rich_text: [styled('Service', { bold: true }), text(' | '), styled('State', { bold: true })],
          },
        },
        { type: 'paragraph', paragraph: { rich_text: [text('api | down')] } },
      ],
    ],
    [
      'media as an attachment placeholder and block cards as links',
      doc(
        {
          type: 'mediaSingle',
          content: [{ type: 'media', attrs: { id: 'f1', type: 'file', collection: 'c', alt: 'graph.png' } }],
        },
        {
          type: 'mediaGroup',
          content: [{ type: 'media', attrs: { id: 'f2', type: 'file', collection: 'c' } }],
        },
        { type: 'blockCard', attrs: { url: 'https://example.com/dash' } },
      ),
      [
        { type: 'paragraph', paragraph: { rich_text: [text('[attachment: graph.png]')] } },
        { type: 'paragraph', paragraph: { rich_text: [text('[attachment]')] } },
        {
          type: 'paragraph',
          paragraph: { rich_text: [link('https://example.com/dash', 'https://example.com/dash')] },
        },
      ],
    ],
    [
      'unknown nodes by the text they hold',
      doc(
        { type: 'layoutSection', content: [{ type: 'layoutColumn', content: [p(t('in a column'))] }] },
        { type: 'futureBlock', text: 'own text' },
        p(
          t('a '),
          { type: 'futureInline', attrs: { text: 'chip' } },
          { type: 'sparkle', content: [t(' inner')] },
        ),
        { type: 'expand', attrs: { title: 'Logs' }, content: [p(t('hidden'))] },
      ),
      [
        { type: 'paragraph', paragraph: { rich_text: [text('in a column')] } },
        { type: 'paragraph', paragraph: { rich_text: [text('own text')] } },
        { type: 'paragraph', paragraph: { rich_text: [text('a chip inner')] } },
        { type: 'paragraph', paragraph: { rich_text: [styled('Logs', { bold: true })] } },
        { type: 'paragraph', paragraph: { rich_text: [text('hidden')] } },
      ],
    ],
    ['malformed input as nothing', { nope: true }, []],
    ['null as nothing', null, []],
  ])('converts %s', (_name, adf, expected) => {
    const blocks = adfToNotionBlocks(adf);

    expect(blocks).toEqual(expected);
    acceptedByNotion(blocks);
  });

  it('converts any JSON at all without throwing and within the limits', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectWithinNotionLimits(adfToNotionBlocks(value));
      }),
    );
  });

  it('names mentions without text from the names it is given', () => {
    const adf = doc(p({ type: 'mention', attrs: { id: 'abc' } }));

    expect(plainTextOf(adfToNotionBlocks(adf, { userNames: new Map([['abc', 'Ana']]) }))).toBe('@Ana');
  });

  it('flattens lists nested deeper than Notion allows, keeping the text', () => {
    const nest = (depth: number): unknown => ({
      type: 'bulletList',
      content: [
        {
          type: 'listItem',
          content: depth === 0 ? [p(t(`level ${depth}`))] : [p(t(`level ${depth}`)), nest(depth - 1)],
        },
      ],
    });

    const blocks = adfToNotionBlocks(doc(nest(5)));

    expect(walk(blocks).map(({ block, depth }) => [richTextOf(block)[0]?.text.content, depth])).toEqual([
      ['level 5', 0],
      ['level 4', 1],
      ['level 3', 2],
      ['level 2', 2],
      ['level 1', 2],
      ['level 0', 2],
    ]);
  });

  it('splits a huge code block within the limits without losing a character', () => {
    const code = 'x'.repeat(NOTION_TEXT_MAX_LENGTH * NOTION_RICH_TEXT_MAX_ITEMS + 5);

    const blocks = adfToNotionBlocks(
      doc({ type: 'codeBlock', attrs: { language: 'sql' }, content: [t(code)] }),
    );

    expect(blocks.map((block) => block.type)).toEqual(['code', 'code']);
    expect(allText(blocks)).toBe(code);
    expectWithinNotionLimits(blocks);
  });
});

describe('jiraTextToNotionBlocks', () => {
  it.each<[string, unknown, string]>([
    ['wiki text from a webhook', 'h1. Down\n*now*', 'Down\nnow'],
    ['ADF from the REST v3 API', doc(p(t('hello'))), 'hello'],
    ['no description', null, ''],
  ])('reads %s', (_name, body, expected) => {
    expect(plainTextOf(jiraTextToNotionBlocks(body))).toBe(expected);
  });
});

describe('notionCodeLanguage', () => {
  it.each([
    ['java', 'java'],
    ['C#', 'c#'],
    ['cpp', 'c++'],
    ['sh', 'shell'],
    ['yml', 'yaml'],
    ['none', 'plain text'],
    [undefined, 'plain text'],
    ['cobol-85', 'plain text'],
  ])('names %s as %s', (language, expected) => {
    expect(notionCodeLanguage(language)).toBe(expected);
  });

  it('only ever names languages that Notion accepts', () => {
    expect(languagesAcceptedByNotion).toContain(notionCodeLanguage('ts'));
  });
});
