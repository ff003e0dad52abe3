import {
  type CloudClient,
  isApiError,
  isAuthError,
  isForbiddenError,
  isNetworkError,
  isNotFoundError,
  isRateLimitError,
  isServerError,
} from 'jira.js';
import * as z from 'zod/mini';
import { UpstreamUnavailableError } from '../errors.ts';
import type { IssueComment, IssueTracker } from '../ports.ts';

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
const JiraErrorBody = z.object({
  errorMessages: z.optional(z.array(z.string())),
  errors: z.optional(z.record(z.string(), z.string())),
});

/** Parses what Jira answered, so a changed API fails here, named, not deep in a caller. */
function parse<T>(schema: z.ZodMiniType<T>, answer: unknown, what: string): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success)
    throw new Error(`Jira answered ${what} in an unexpected shape:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Jira's `{ errorMessages, errors }` as one line: what was refused, field by field. */
function reasonsOf(body: unknown): string {
  const parsed = JiraErrorBody.safeParse(body);
  if (!parsed.success)
    return typeof body === 'string' && body.length > 0 ? body.slice(0, 200) : 'no reason given';
  const { errorMessages = [], errors = {} } = parsed.data;
  const reasons = [
    ...errorMessages,
    ...Object.entries(errors).map(([field, message]) => `${field}: ${message}`),
  ];
  return reasons.length > 0 ? reasons.join('; ') : 'no reason given';
}

/** Jira's failures as ours: worth retrying later (rate limits, outages) or refused as asked. */
function translate(error: unknown, issueKey: string, what: string): Error {
  const unavailable = (reason: string, retryAfterMs: number | null = null) =>
    new UpstreamUnavailableError(`Jira is unavailable ${what}: ${reason}`, retryAfterMs, { cause: error });
  // jira.js puts the response body in its messages, never the request's Authorization header.
  if (isRateLimitError(error)) return unavailable('rate limited (HTTP 429)', error.retryAfterMs ?? null);
  if (isServerError(error)) return unavailable(`HTTP ${error.status}: ${reasonsOf(error.body)}`);
  if (isNetworkError(error)) return unavailable(`it could not be reached (${error.message})`);
  if (isAuthError(error) || isForbiddenError(error))
    return new Error(
      `Jira refused ${what} (HTTP ${error.status}: ${reasonsOf(error.body)}): check the Jira email and API token in the Jira secret, and that the account may comment on ${issueKey}`,
      { cause: error },
    );
  if (isNotFoundError(error))
    return new Error(
      `Jira has no issue ${issueKey}, or the account may not see it: ${reasonsOf(error.body)}`,
      {
        cause: error,
      },
    );
  if (isApiError(error))
    return new Error(`Jira refused ${what} (HTTP ${error.status}): ${reasonsOf(error.body)}`, {
      cause: error,
    });
  return error instanceof Error ? error : new Error(`Jira failed ${what}: ${String(error)}`);
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
      throw translate(error, issueKey, what);
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
      const page = parse(CommentPageAnswer, answer, what);
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
      return { commentId: parse(CommentAnswer, answer, what).id, created: true };
    },
  };
}
