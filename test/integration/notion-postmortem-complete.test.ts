import { Client } from '@notionhq/client';
import { afterAll, describe, expect, it } from 'vitest';
import { createNotionPostmortemWriter } from '#shared/adapters/notion-postmortem-writer.ts';
import type { IncidentEvent } from '#shared/domain/events.ts';
import { postmortemOutline } from '#shared/domain/postmortem-outline.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { descriptionOf } from '#shared/jira/jira-text.ts';
import { incident, settingsWith } from '../builders.ts';
import {
  type NotionSimulator,
  type SimulatedBlock,
  startNotionSimulator,
} from '../simulators/notion-simulator.ts';

function allText(blocks: readonly SimulatedBlock[]): string {
  return blocks.map((block) => `${block.text}\n${allText(block.children)}`).join('');
}

describe('a postmortem of a long incident', () => {
  let notion: NotionSimulator | undefined;

  afterAll(() => notion?.close());

  it('is complete in Notion: a 50,000-character description and 600 comments, in order', async () => {
    const paragraphs = Array.from(
      { length: 100 },
      (_, i) => `Paragraph ${i}: ${'the checkout service returned errors '.repeat(14)}`,
    );
    const description = paragraphs.join('\n\n');
    const inc = incident('long', { description });
    const comments = Array.from({ length: 600 }, (_, i) => inc.comment(1000 + i, 5 + i * 0.1, `note ${i}`));
    const events: IncidentEvent[] = [
      inc.created(),
      inc.move(1, 4, 'Detected', 'Declared'),
      ...comments,
      inc.move(2, 70, 'Declared', 'Resolved'),
    ];
    const state = foldIncident(events, settingsWith());
    if (!state) throw new Error('fold gave nothing');
    notion = await startNotionSimulator({ requestsPerSecond: 100, burst: 100 });
    const client = new Client({
      auth: 'secret_test',
      baseUrl: notion.baseUrl,
      notionVersion: '2025-09-03',
      logger: () => {},
    });
    const writer = createNotionPostmortemWriter(client, {
      databaseId: notion.databaseId,
      template: { kind: 'built-in' },
    });
    const blocks = postmortemOutline(state, events, {
      timeZone: 'UTC',
      description: descriptionOf(events),
      jiraUrl: null,
      ownAccountId: null,
    });

    const written = await writer.write({
      incidentKey: 'INC-1',
      title: 'INC-1: Checkout failing',
      jiraUrl: null,
      severity: state.severity,
      incidentStartMs: state.openedAtMs,
      resolvedAtMs: state.resolvedAtMs,
      timeToResolve: null,
      timeToAcknowledge: null,
      ownerEmail: null,
      blocks,
    });
    const text = allText(notion.blocksOf(written.id));

    expect(description.length).toBeGreaterThan(50_000);
    for (const paragraph of paragraphs) expect(text).toContain(paragraph);
    const positions = comments.map((_, i) => text.indexOf(`: note ${i}\n`));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const stageTable = notion.blocksOf(written.id).find((block) => block.type === 'table');
    expect(stageTable?.children.map((row) => [row.type, row.text])).toEqual([
      ['table_row', 'Stage | Time | Visits'],
      ['table_row', 'detection | 4m | 1'],
      ['table_row', 'declaration | 1h 06m | 1'],
    ]);
  }, 60_000);
});
