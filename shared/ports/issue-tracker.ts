/** A comment for the incident's Jira issue, posted once per marker. */
export interface IssueComment {
  /** Identifies the comment among the issue's comments, so a second run finds it instead of posting again. */
  readonly marker: string;
  readonly text: string;
  readonly link?: { readonly text: string; readonly url: string };
}

/** The team's issue tracker (Jira). */
export interface IssueTracker {
  /** Comments on the issue once per marker: a comment already carrying the marker is not posted again. */
  commentOnce(
    issueKey: string,
    comment: IssueComment,
  ): Promise<{ readonly commentId: string; readonly created: boolean }>;
}
