import { describe, expect, it } from 'vitest';
import { postmortemMarkdown } from '#shared/adapters/markdown-postmortem-writer.ts';
import { plainTextOf } from '#shared/domain/jira-text-to-notion.ts';
import { postmortemOutline, timelineOf } from '#shared/domain/postmortem-outline.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { incident, MINUTE, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';

const settings = settingsWith();

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

    const headings = postmortemOutline(state, events, { timeZone: 'UTC', jiraUrl: null, ownAccountId: null })
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

  it('fills the summary from the Jira description, keeping its formatting and links', () => {
    const { state, events } = resolvedIncident();

    const markdown = postmortemMarkdown({
      incidentKey: 'INC-1',
      title: 'INC-1: Checkout failing',
      jiraUrl: null,
      severity: 'SEV2',
      incidentStartMs: T0,
      resolvedAtMs: T0 + 45 * MINUTE,
      timeToResolve: '45m 00s',
      timeToAcknowledge: '4m 00s',
      ownerEmail: null,
      blocks: postmortemOutline(state, events, { timeZone: 'UTC', jiraUrl: null, ownAccountId: null }),
    });

    expect(markdown).toContain(
      'Card payments fail with **HTTP 502** from [checkout](https://status.example.com).',
    );
    expect(markdown).toContain('| Time to resolve | 45m 00s |');
  });

  it('tells the timeline in the team time zone, from the start to the resolution, without its own comments', () => {
    const { state, events } = resolvedIncident();

    const timeline = timelineOf(state, events, 'incident-flow-bot');
    const text = plainTextOf(
      postmortemOutline(state, events, {
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

    const outline = postmortemOutline(state, events, {
      timeZone: 'UTC',
      jiraUrl: 'https://acme.atlassian.net/browse/INC-1',
      ownAccountId: null,
    });

    expect(plainTextOf(outline)).toContain('diagnosis: 46m 00s');
    expect(plainTextOf(outline)).toContain('Reopened: 1 time(s)');
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
});
