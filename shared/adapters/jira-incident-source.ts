import type { CloudClient } from 'jira.js';
import * as z from 'zod/mini';
import { UpstreamUnavailableError } from '../errors.ts';
import {
  type ChangelogHistory,
  changelogHistorySchema,
  type JiraIssueRead,
  jiraCommentReadSchema,
  jiraIssueReadSchema,
} from '../jira/jira-history.ts';
import type { JiraComment } from '../jira/jira-webhook.ts';
import type { IncidentSource, KnownHistory } from '../ports.ts';
import { type JiraRefusal, parseJiraAnswer } from './jira-errors.ts';
import { createJiraRetry, type JiraRetryOptions } from './jira-retry.ts';

/** The fields a fold reads, asked for by name: `*all` would carry every custom field of every issue. */
const BASE_FIELDS = [
  'summary',
  'issuetype',
  'status',
  'priority',
  'assignee',
  'components',
  'labels',
  'created',
  'updated',
  'description',
  'creator',
  'reporter',
  'comment',
];
/** Jira's page limits: search pages with fields stop at 100; changelog and comment pages too. */
const SEARCH_PAGE_SIZE = 100;
const HISTORY_PAGE_SIZE = 100;
const COMMENT_PAGE_SIZE = 100;

export interface JiraIncidentSourceOptions extends JiraRetryOptions {
  /** Custom fields to read too (the severity field, the impact-started field). */
  readonly extraFields?: readonly string[];
}

const SearchAnswer = z.object({
  issues: z._default(z.array(jiraIssueReadSchema), []),
  nextPageToken: z.optional(z.nullable(z.string())),
  isLast: z.optional(z.boolean()),
});
const ChangelogPageAnswer = z.object({
  startAt: z._default(z.number(), 0),
  total: z.optional(z.number()),
  isLast: z.optional(z.boolean()),
  values: z._default(z.array(changelogHistorySchema), []),
});
const CommentPageAnswer = z.object({
  startAt: z._default(z.number(), 0),
  total: z.optional(z.number()),
  comments: z._default(z.array(jiraCommentReadSchema), []),
});
const CountAnswer = z.object({ count: z.number() });
/**
 * What a searched issue carries of its history: expand=changelog embeds the most recent histories
 * (at most 40 on /search/jql), the `comment` field a first page of comments; each says its `total`.
 */
const EmbeddedChangelog = z.object({
  total: z.optional(z.number()),
  histories: z._default(z.array(changelogHistorySchema), []),
});
const EmbeddedComments = z.object({
  total: z.optional(z.number()),
  comments: z._default(z.array(jiraCommentReadSchema), []),
});

/** The most histories /search/jql embeds (JRACLOUD-96459); the changelog endpoint has the rest. */
const SEARCH_CHANGELOG_LIMIT = 40;

/**
 * The embedded list when Jira says it is the whole list, else null (the rest must be paged). A list
 * that reaches `cut` items may have been cut there, whatever its total says, so it is read too.
 */
function whole<T>(list: { readonly total?: number | undefined }, items: T[], cut = Infinity): T[] | null {
  if (list.total === undefined || items.length < list.total || items.length >= cut) return null;
  return items;
}

/**
 * Jira Cloud read through jira.js v6 for the reconciler and the backfill: the current JQL search
 * (/rest/api/3/search/jql with nextPageToken) with each issue's recent changelog and first comment
 * page embedded; the changelog and comment endpoints only for an issue whose lists are longer.
 * Requests go through the shared Jira retry loop (jira-retry.ts): 429s pause the whole source until
 * Retry-After, 5xx and network failures back off; a 400, 401 or 403 fails at once, an
 * UpstreamRefusedError saying what to fix.
 */
export function createJiraIncidentSource(
  client: CloudClient,
  options: JiraIncidentSourceOptions = {},
): IncidentSource {
  const fields = [...BASE_FIELDS, ...(options.extraFields ?? [])];
  const call = createJiraRetry(options, refusal);

  /**
   * The whole changelog: oldest first from the changelog endpoint, only until what the search
   * already embedded (the newest histories) takes over. Histories never change, so joining is exact.
   */
  async function changelogOf(issueId: string, newest: readonly ChangelogHistory[] = []) {
    const what = `reading the changelog of issue ${issueId}`;
    const histories = new Map<string, ChangelogHistory>(newest.map((history) => [history.id, history]));
    for (let startAt = 0; ; ) {
      const page = parseJiraAnswer(
        ChangelogPageAnswer,
        await call(what, () =>
          client.issues.getChangeLogs({ issueIdOrKey: issueId, startAt, maxResults: HISTORY_PAGE_SIZE }),
        ),
        what,
      );
      for (const history of page.values) histories.set(history.id, history);
      startAt = page.startAt + page.values.length;
      const done = page.isLast ?? (page.total === undefined || startAt >= page.total);
      const haveAll = page.total !== undefined && histories.size >= page.total;
      if (done || haveAll || page.values.length === 0) return [...histories.values()];
    }
  }

  async function commentsOf(issueId: string): Promise<JiraComment[]> {
    const what = `reading the comments of issue ${issueId}`;
    const comments: JiraComment[] = [];
    for (let startAt = 0; ; ) {
      const page = parseJiraAnswer(
        CommentPageAnswer,
        await call(what, () =>
          client.issueComments.getComments({
            issueIdOrKey: issueId,
            startAt,
            maxResults: COMMENT_PAGE_SIZE,
            orderBy: 'created',
          }),
        ),
        what,
      );
      comments.push(...page.comments);
      startAt = page.startAt + page.comments.length;
      if (page.comments.length === 0 || page.total === undefined || startAt >= page.total) return comments;
    }
  }

  return {
    async searchPage(jql, nextPageToken) {
      const what = 'searching issues';
      const answer = parseJiraAnswer(
        SearchAnswer,
        await call(what, () =>
          client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
            jql,
            fields,
            expand: 'changelog',
            maxResults: SEARCH_PAGE_SIZE,
            ...(nextPageToken === null ? {} : { nextPageToken }),
          }),
        ),
        what,
      );
      const last = answer.isLast === true || !answer.nextPageToken;
      return { issues: answer.issues, nextPageToken: last ? null : (answer.nextPageToken ?? null) };
    },
    async approximateCount(jql) {
      try {
        const answer = await call('counting issues', () => client.issueSearch.countIssues({ jql }));
        return parseJiraAnswer(CountAnswer, answer, 'counting issues').count;
      } catch (error) {
        // A progress bar without a total still works; the count is a nicety, never a reason to stop.
        if (error instanceof UpstreamUnavailableError) throw error;
        return null;
      }
    },
    async historyOf(issue: JiraIssueRead, known?: KnownHistory) {
      const embedded = embeddedListsOf(issue);
      // The search embeds the newest histories: reaching back to a stored one, they hold every later one.
      const reachesKnown = embedded.histories.some((history) => history.id === known?.newestHistoryId);
      const histories =
        embedded.wholeHistories ??
        (reachesKnown ? embedded.histories : await changelogOf(issue.id, embedded.histories));
      const comments = embedded.wholeComments ?? (await commentsOf(issue.id));
      return { issue, histories, comments };
    },
    embeddedHistoryOf(issue: JiraIssueRead) {
      const embedded = embeddedListsOf(issue);
      return {
        history: { issue, histories: embedded.histories, comments: embedded.comments },
        whole: embedded.wholeHistories !== null && embedded.wholeComments !== null,
      };
    },
  };
}

/** The changelog and comments a searched issue carries, and each list again when it is the whole list. */
function embeddedListsOf(issue: JiraIssueRead) {
  const changelog = EmbeddedChangelog.safeParse(issue.changelog);
  const histories = changelog.success ? changelog.data.histories : [];
  const commentField = EmbeddedComments.safeParse(issue.fields.comment);
  const comments = commentField.success ? commentField.data.comments : [];
  return {
    histories,
    comments,
    wholeHistories: changelog.success ? whole(changelog.data, histories, SEARCH_CHANGELOG_LIMIT) : null,
    wholeComments: commentField.success ? whole(commentField.data, comments) : null,
  };
}

/** A refusal that waiting will not fix, with what to change. */
function refusal(error: JiraRefusal, what: string): string {
  if (error.status === 401 || error.status === 403)
    return `Jira refused ${what} (HTTP ${error.status}): check the email and API token in the Jira secret, and that the account may browse the incident projects`;
  if (error.status === 400)
    return `Jira refused ${what} (HTTP 400: ${JSON.stringify(error.body).slice(0, 300)}): check the JQL (the --jql option, or the incidents.issueTypes and incidents.labels settings)`;
  return `Jira refused ${what} (HTTP ${error.status})`;
}
