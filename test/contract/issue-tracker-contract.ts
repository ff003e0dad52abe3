import { describe, expect, it } from 'vitest';
import type { IssueComment, IssueTracker } from '#shared/ports.ts';

/** The incidents comments go on; every tracker under contract has them. */
export const CONTRACT_ISSUE_KEYS = ['INC-42', 'INC-43'] as const;

const postmortemComment: IssueComment = {
  marker: 'incident-flow:postmortem',
  text: 'The postmortem of this incident is drafted:',
  link: { text: 'INC-42: Checkout failing', url: 'https://www.notion.so/INC-42-postmortem-0123456789abcdef' },
};

/**
 * What every IssueTracker promises; run against the Jira adapter (on the Jira simulator), the local
 * tracker and the recording fake alike. `make` gives a tracker where the issues INC-42 and INC-43 exist.
 */
export function issueTrackerContract(name: string, make: () => Promise<IssueTracker>): void {
  describe(`${name} keeps the IssueTracker contract`, () => {
    it('posts a comment once per marker: asked again, it gives back the comment already posted', async () => {
      const tracker = await make();

      const first = await tracker.commentOnce('INC-42', postmortemComment);
      const again = await tracker.commentOnce('INC-42', postmortemComment);

      expect(first.created).toBe(true);
      expect(again).toEqual({ commentId: first.commentId, created: false });
    });

    it('posts a comment of another marker, and the same marker on another issue, as comments of their own', async () => {
      const tracker = await make();
      const first = await tracker.commentOnce('INC-42', postmortemComment);

      const otherMarker = await tracker.commentOnce('INC-42', {
        marker: 'incident-flow:postmortem-failed',
        text: 'The postmortem could not be written yet.',
      });
      const otherIssue = await tracker.commentOnce('INC-43', postmortemComment);

      expect(otherMarker.created).toBe(true);
      expect(otherIssue.created).toBe(true);
      expect(new Set([first.commentId, otherMarker.commentId, otherIssue.commentId]).size).toBe(3);
    });
  });
}
