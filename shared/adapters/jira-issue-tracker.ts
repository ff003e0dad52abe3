import type { CloudClient } from 'jira.js';
import * as z from 'zod/mini';
import type { IssueComment, IssueTracker } from '../ports.ts';
import { type JiraRefusal, jiraReasonLine, parseJiraAnswer, translateJiraError } from './jira-errors.ts';

export interface JiraIssueTrackerOptions {
  /**
   * The account id of the API token's user. When set, only its own comments count as carrying a marker,
   * so a person quoting the marker does not stop ours; when absent, any comment with the marker counts.
   */
  readonly ownAccountId?: string;
}

/** Jira Cloud lowers a larger maxResults to its own limit; the loop follows `total`, not this number. */
const COMMENTS_PER_PAGE = 100;
/** Markers are written between brackets, so they must not hold one, nor spaces a reader could reflow. */
const MARKER_PATTERN = /^[\w.:/-]+$/;
/** The marker's line is grey, so a reader's eye passes over it (ADF has no hidden text). */
const MARKER_COLOR = '#97a0af';

interface AdfNode {
  readonly type: string;
  readonly text?: string | undefined;
  readonly content?: readonly AdfNode[] | undefined;
}
// Recursive, so the type is written out: zod/mini cannot infer a schema that refers to itself.
const AdfNodeAnswer: z.ZodMiniType<AdfNode> = z.object({
  type: z.string(),
  text: z.optional(z.string()),
  get content() {
    return z.optional(z.array(AdfNodeAnswer));
  },
});
const CommentAnswer = z.object({
  id: z.string(),
  author: z.optional(z.object({ accountId: z.optional(z.string()) })),
  body: z.optional(AdfNodeAnswer),
});
const CommentPageAnswer = z.object({
  startAt: z.number(),
  total: z.number(),
  comments: z.array(CommentAnswer),
});
/** A refusal that waiting will not fix, with what to change. */
function refusal(error: JiraRefusal, issueKey: string, what: string): string {
  if (error.status === 401 || error.status === 403)
    return `Jira refused ${what} (HTTP ${error.status}: ${jiraReasonLine(error.body)}): check the Jira email and API token in the Jira secret, and that the account may comment on ${issueKey}`;
  if (error.status === 404)
    return `Jira has no issue ${issueKey}, or the account may not see it: ${jiraReasonLine(error.body)}`;
  return `Jira refused ${what} (HTTP ${error.status}): ${jiraReasonLine(error.body)}`;
}

const textOf = (node: AdfNode): string => (node.text ?? '') + (node.content ?? []).map(textOf).join('');

/**
 * The comment in ADF: the text, then the link (a `link` mark on its text), then the marker alone on a
 * grey last line. Comment `properties` would hide the marker, but the comment list does not return
 * them, so finding one would cost a request per comment; text in the body is found page by page.
 */
function adfOf(comment: IssueComment, token: string) {
  const text = (value: string) => ({ type: 'text', text: value });
  const words = [
    ...(comment.text.length > 0 ? [text(comment.text)] : []),
    ...(comment.link === undefined
      ? []
      : [
          ...(comment.text.length > 0 ? [text(' ')] : []),
          {
            ...text(comment.link.text || comment.link.url),
            marks: [{ type: 'link', attrs: { href: comment.link.url } }],
          },
        ]),
  ];
  const markerLine = { ...text(token), marks: [{ type: 'textColor', attrs: { color: MARKER_COLOR } }] };
  return {
    type: 'doc',
    version: 1,
    content: [
      ...(words.length > 0 ? [{ type: 'paragraph', content: words }] : []),
      { type: 'paragraph', content: [markerLine] },
    ],
  };
}

/**
 * Tracks incidents as Jira Cloud issues (REST API v3) through a jira.js v6 client authenticated with the
 * bot's email and API token. `commentOnce` reads every page of the issue's comments before posting, so a
 * retry or a second run finds its comment; two calls racing on one issue may both post, so callers
 * handle an incident's events one at a time.
 */
export function createJiraIssueTracker(
  client: CloudClient,
  options: JiraIssueTrackerOptions = {},
): IssueTracker {
  async function call<T>(issueKey: string, what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw translateJiraError(error, what, (refused) => refusal(refused, issueKey, what));
    }
  }

  const isOurs = (comment: z.infer<typeof CommentAnswer>, token: string) =>
    (options.ownAccountId === undefined || comment.author?.accountId === options.ownAccountId) &&
    comment.body !== undefined &&
    textOf(comment.body).includes(token);

  async function findMarked(issueKey: string, token: string): Promise<string | null> {
    const what = `listing the comments of ${issueKey}`;
    let startAt = 0;
    for (;;) {
      const answer = await call(issueKey, what, () =>
        client.issueComments.getComments({ issueIdOrKey: issueKey, startAt, maxResults: COMMENTS_PER_PAGE }),
      );
      const page = parseJiraAnswer(CommentPageAnswer, answer, what);
      const found = page.comments.find((comment) => isOurs(comment, token));
      if (found !== undefined) return found.id;
      startAt = page.startAt + page.comments.length;
      if (page.comments.length === 0 || startAt >= page.total) return null;
    }
  }

  return {
    async commentOnce(issueKey, comment) {
      if (!MARKER_PATTERN.test(comment.marker))
        throw new Error(`the comment marker ${JSON.stringify(comment.marker)} must match ${MARKER_PATTERN}`);
      const token = `[${comment.marker}]`;
      const existingId = await findMarked(issueKey, token);
      if (existingId !== null) return { commentId: existingId, created: false };

      const what = `adding the ${comment.marker} comment to ${issueKey}`;
      const answer = await call(issueKey, what, () =>
        client.issueComments.addComment({ issueIdOrKey: issueKey, body: adfOf(comment, token) }),
      );
      return { commentId: parseJiraAnswer(CommentAnswer, answer, what).id, created: true };
    },
  };
}
