import { describe, expect, it } from 'vitest';
import {
  postmortemMarkdown,
  refreshedPostmortemMarkdown,
} from '#shared/adapters/markdown-postmortem-writer.ts';
import type { DocBlock } from '#shared/domain/doc-blocks.ts';
import type { IncidentEvent } from '#shared/domain/events.ts';
import { type OutlineOptions, postmortemOutline, timelineOf } from '#shared/domain/postmortem-outline.ts';
import type { IncidentState } from '#shared/domain/timeline.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { descriptionOf } from '#shared/jira/jira-text.ts';
import { type NotionBlock, plainTextOf } from '#shared/notion/notion-blocks.ts';
import { notionBlocksOf } from '#shared/notion/notion-document.ts';
import { incident, MINUTE, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';

const settings = settingsWith();
const options = { timeZone: 'UTC', jiraUrl: null, ownAccountId: null };

/** The outline as the use case makes it, with the description read from the incident's Jira text. */
const outlineOf = (
  state: IncidentState,
  events: readonly IncidentEvent[],
  rest: Omit<OutlineOptions, 'description'>,
): DocBlock[] => postmortemOutline(state, events, { ...rest, description: descriptionOf(events) });
/** The outline as the Notion writer sends it. */
const notionOutlineOf = (...args: Parameters<typeof outlineOf>) => notionBlocksOf(outlineOf(...args));

/** The blocks of the outline's "Time per stage" section, up to the next heading. */
function stageSection(outline: readonly NotionBlock[]): NotionBlock[] {
  const start = outline.findIndex(
    (block) => block.type === 'heading_2' && block.heading_2.rich_text[0]?.text.content === 'Time per stage',
  );
  const rest = outline.slice(start + 1);
  const end = rest.findIndex((block) => block.type === 'heading_2');
  return end < 0 ? rest : rest.slice(0, end);
}

const draftWith = (blocks: DocBlock[]) => ({
  incidentKey: 'INC-1',
  title: 'INC-1: Checkout failing',
  jiraUrl: null,
  severity: 'SEV2',
  incidentStartMs: T0,
  resolvedAtMs: T0 + 45 * MINUTE,
  timeToResolve: '45m',
  timeToAcknowledge: '4m',
  ownerEmail: null,
  blocks,
});

function resolvedIncident() {
  const inc = incident('pm', {
    description: 'Card payments fail with *HTTP 502* from [checkout|https://status.example.com].',
  });
  const events = [
    inc.created(),
    inc.move(1, 4, 'Detected', 'Declared'),
    inc.comment(11, 6, 'Error rate at 30%'),
    {
      ...inc.comment(12, 7, 'Incident Flow: notified manage-closely'),
      author: { accountId: 'incident-flow-bot', displayName: 'Incident Flow' },
    },
    inc.move(2, 20, 'Declared', 'Mitigating'),
    inc.move(3, 45, 'Mitigating', 'Resolved'),
    inc.comment(13, 50, 'Written after the resolution'),
  ];
  const state = foldIncident(events, settings);
  if (!state) throw new Error('fold gave nothing');
  return { state, events };
}

describe('the postmortem outline', () => {
  it('has the blameless sections, in order', () => {
    const { state, events } = resolvedIncident();

    const headings = notionOutlineOf(state, events, { timeZone: 'UTC', jiraUrl: null, ownAccountId: null })
      .filter((block) => block.type === 'heading_2')
      .map((block) => (block.type === 'heading_2' ? block.heading_2.rich_text[0]?.text.content : ''));

    expect(headings).toEqual([
      'Summary',
      'Impact',
      'Root Cause',
      'Resolution',
      'Timeline',
      'Time per stage',
      'Action Items',
    ]);
  });

  it('lists the changes naming the incident after the Resolution, a merge in place of its opening', () => {
    const { state, events } = resolvedIncident();
    const fix = {
      incidentKey: 'INC-1',
      title: 'Retry the payment call',
      author: 'dana',
      url: 'https://github.com/acme/shop/pull/7',
    };
    const fixes = [
      { ...fix, changeId: 'github:acme/shop#7', what: 'fix opened' as const, atMs: T0 + 30 * MINUTE },
      { ...fix, changeId: 'github:acme/shop#7', what: 'fix merged' as const, atMs: T0 + 90 * MINUTE },
      {
        ...fix,
        changeId: 'github:acme/shop#8',
        title: 'Add an alert',
        what: 'fix opened' as const,
        atMs: T0,
      },
    ];

    const outline = outlineOf(state, events, { ...options, fixes });

    const start = outline.findIndex((block) => block.kind === 'heading' && block.runs[0]?.text === 'Changes');
    expect(outline[start - 3]).toMatchObject({ kind: 'heading', runs: [{ text: 'Resolution' }] });
    expect(
      outline
        .slice(start + 2, start + 4)
        .map((block) => ('runs' in block ? block.runs.map((run) => run.text).join('') : '')),
    ).toEqual([
      'Retry the payment call by dana, merged 2 Nov, 10:30 UTC',
      'Add an alert by dana, not merged yet',
    ]);
  });

  it('fills the summary from the Jira description, keeping its formatting and links', () => {
    const { state, events } = resolvedIncident();

    const markdown = postmortemMarkdown(draftWith(outlineOf(state, events, options)));

    expect(markdown).toContain(
      'Card payments fail with **HTTP 502** from [checkout](https://status.example.com).',
    );
    expect(markdown).toContain('| Time to resolve | 45m |');
  });

  it('tells the timeline in the team time zone, from the start to the resolution, without its own comments', () => {
    const { state, events } = resolvedIncident();

    const timeline = timelineOf(state, events, 'incident-flow-bot');
    const text = plainTextOf(
      notionOutlineOf(state, events, {
        timeZone: 'Europe/Berlin',
        jiraUrl: null,
        ownAccountId: 'incident-flow-bot',
      }),
    );

    expect(timeline.map((entry) => entry.what)).toEqual([
      'Opened in Detected',
      'Moved to Declared',
      'Error rate at 30%',
      'Moved to Mitigating',
      'Moved to Resolved',
    ]);
    expect(text).toContain('2 Nov, 10:06 Europe/Berlin Mia: Error rate at 30%');
    expect(text).not.toContain('notified manage-closely');
    expect(text).not.toContain('Written after the resolution');
  });

  it('sums each stage over its visits and ends with an action item to fill in', () => {
    const events = reopenedLifecycle();
    const state = foldIncident(events, settings);
    if (!state) throw new Error('fold gave nothing');

    const outline = notionOutlineOf(state, events, {
      timeZone: 'UTC',
      jiraUrl: 'https://acme.atlassian.net/browse/INC-1',
      ownAccountId: null,
    });

    expect(plainTextOf(outline)).toContain('Reopened: 1 time');
    expect(outline.at(-1)).toEqual({
      type: 'to_do',
      to_do: {
        rich_text: [
          expect.objectContaining({ text: { content: 'owner as @mention, deadline as a date', link: null } }),
        ],
        checked: false,
      },
    });
  });

  it('tells the time per stage of a reopened incident as a table, each stage summed over its visits, in board order', () => {
    const events = reopenedLifecycle();
    const state = foldIncident(events, settings);
    if (!state) throw new Error('fold gave nothing');

    const section = stageSection(notionOutlineOf(state, events, options));

    expect(section).toHaveLength(1);
    expect(section[0]).toMatchObject({
      type: 'table',
      table: { table_width: 3, has_column_header: true, has_row_header: false },
    });
    const rows = section[0]?.type === 'table' ? section[0].table.children : [];
    expect(rows.every((row) => row.table_row.cells.length === 3)).toBe(true);
    expect(plainTextOf(rows).split('\n')).toEqual([
      'Stage | Time | Visits',
      'detection | 4m | 1',
      'declaration | 5m | 1',
      'categorization | 6m | 1',
      'diagnosis | 46m | 2',
      'mitigation | 34m | 2',
      'resolution | 55m | 2',
    ]);
  });

  it('puts statuses the board does not map after the board stages, and writes no table before a stage ends', () => {
    const inc = incident('unmapped');
    const events = [
      inc.created(),
      inc.move(1, 4, 'Detected', 'Waiting on vendor'),
      inc.move(2, 10, 'Waiting on vendor', 'Mitigating'),
      inc.move(3, 20, 'Mitigating', 'Resolved'),
    ];
    const state = foldIncident(events, settings);
    const opened = foldIncident(events.slice(0, 1), settings);
    if (!state || !opened) throw new Error('fold gave nothing');

    const rows = stageSection(notionOutlineOf(state, events, options)).flatMap((block) =>
      block.type === 'table' ? [plainTextOf(block.table.children)] : [],
    );
    const empty = stageSection(notionOutlineOf(opened, events.slice(0, 1), options));

    expect(rows).toEqual([
      [
        'Stage | Time | Visits',
        'detection | 4m | 1',
        'mitigation | 10m | 1',
        'Waiting on vendor | 6m | 1',
      ].join('\n'),
    ]);
    expect(empty).toEqual([]);
  });

  it('writes the time per stage as a Markdown table, figures aligned right and a | in a status escaped', () => {
    const inc = incident('md');
    const events = [
      inc.created(),
      inc.move(1, 4, 'Detected', 'Blocked | vendor'),
      inc.move(2, 10, 'Blocked | vendor', 'Investigating'),
      inc.move(3, 36, 'Investigating', 'Resolved'),
    ];
    const state = foldIncident(events, settings);
    if (!state) throw new Error('fold gave nothing');

    const markdown = postmortemMarkdown(draftWith(outlineOf(state, events, options)));

    expect(markdown).toContain(
      [
        '## Time per stage',
        '',
        '| Stage | Time | Visits |',
        '| --- | ---: | ---: |',
        '| detection | 4m | 1 |',
        '| diagnosis | 26m | 1 |',
        '| Blocked \\| vendor | 6m | 1 |',
        '',
        '## Action Items',
      ].join('\n'),
    );
  });
});

describe('the Markdown postmortem, refreshed after a reopen', () => {
  const first = draftWith([{ kind: 'heading', level: 2, runs: [{ text: 'Root Cause', url: null }] }]);
  const again = {
    ...first,
    severity: 'SEV1',
    resolvedAtMs: T0 + 112 * MINUTE,
    timeToResolve: '1h 52m',
    timeToAcknowledge: null,
  };

  it('rewrites the incident rows of the header table and leaves every line people edited as it is', () => {
    const edited = postmortemMarkdown(first)
      .replace('| Status | Draft |', '| Status | In review |\n| Reviewer | Ada \\| SRE |')
      .replace('## Root Cause\n', '## Root Cause\n\nA cache stampede after the deploy.\n');

    const refreshed = refreshedPostmortemMarkdown(edited, again);

    expect(refreshed).toBe(
      [
        '# INC-1: Checkout failing',
        '',
        '| property | value |',
        '| --- | --- |',
        '| Severity | SEV1 |',
        '| Status | In review |',
        `| Incident start | ${new Date(T0).toISOString()} |`,
        `| Resolved | ${new Date(T0 + 112 * MINUTE).toISOString()} |`,
        '| Time to resolve | 1h 52m |',
        '| Reviewer | Ada \\| SRE |',
        '',
        '## Root Cause',
        '',
        'A cache stampede after the deploy.',
        '',
      ].join('\n'),
    );
  });

  it('adds a row the incident gained and changes nothing when refreshed with the same draft', () => {
    const withoutSeverity = postmortemMarkdown({ ...first, severity: null });

    const refreshed = refreshedPostmortemMarkdown(withoutSeverity, first);

    expect(refreshed).toBe(postmortemMarkdown(first));
    expect(refreshedPostmortemMarkdown(refreshed, first)).toBe(refreshed);
  });

  it('puts the header table back under the title when people removed it', () => {
    const markdown = '# INC-1: Checkout failing\n\n## Root Cause\n\nA cache stampede.\n';

    const refreshed = refreshedPostmortemMarkdown(markdown, again);

    expect(refreshed).toBe(
      [
        '# INC-1: Checkout failing',
        '',
        '| property | value |',
        '| --- | --- |',
        '| Severity | SEV1 |',
        `| Incident start | ${new Date(T0).toISOString()} |`,
        `| Resolved | ${new Date(T0 + 112 * MINUTE).toISOString()} |`,
        '| Time to resolve | 1h 52m |',
        '',
        '## Root Cause',
        '',
        'A cache stampede.',
        '',
      ].join('\n'),
    );
  });
});
