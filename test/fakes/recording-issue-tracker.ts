import type { IssueComment, IssueTracker } from '#shared/ports.ts';

/** A comment the recording tracker posted, on which issue and under which id. */
export interface RecordedComment extends IssueComment {
  readonly issueKey: string;
  readonly commentId: string;
}

/**
 * An issue tracker that keeps the comments it is asked to post, once per issue and marker, with the
 * Jira adapter's contract (test/contract).
 */
export function createRecordingIssueTracker(): IssueTracker & {
  readonly comments: readonly RecordedComment[];
} {
  const comments: RecordedComment[] = [];
  return {
    comments,
    async commentOnce(issueKey, comment) {
      const existing = comments.find((each) => each.issueKey === issueKey && each.marker === comment.marker);
      if (existing) return { commentId: existing.commentId, created: false };
      const commentId = `c${comments.length + 1}`;
      comments.push({ ...structuredClone(comment), issueKey, commentId });
      return { commentId, created: true };
    },
  };
}
