import { type CloudClient, isApiError } from 'jira.js';
import * as z from 'zod/mini';
import type { TicketRef } from '../domain/follow-ups.ts';
import type { NewTicket, TicketState, TicketTracker } from '../ports.ts';
import { type JiraRefusal, jiraReasonsOf, parseJiraAnswer } from './jira-errors.ts';
import { createJiraRetry, type JiraRetryOptions } from './jira-retry.ts';

/** What follow-ups are and how they are linked (the followUps settings), and the site's address. */
export interface JiraTicketTrackerOptions extends JiraRetryOptions {
  /** followUps.issueType: an issue type of that project ("Task", "Tech Debt"). */
  readonly issueType: string;
  /** followUps.linkType: the issue link type between a follow-up and its incident ("Relates"). */
  readonly linkType: string;
  /** The site people browse, for ticket links: https://example.atlassian.net. */
  readonly siteUrl: string;
}

/** Jira refuses a longer summary (it counts UTF-16 units, as JavaScript does). */
const MAX_SUMMARY_LENGTH = 255;
const ELLIPSIS = '…';
/** A cut on a word boundary drops at most this much; a longer last word (a URL) is cut inside instead. */
const MAX_DROPPED_FOR_A_WORD = 40;
/** Jira's page limit for a search that returns fields: `key in (…)` asks for this many keys at a time. */
const KEYS_PER_SEARCH = 100;
const USERS_PER_SEARCH = 50;
const STATE_FIELDS = ['status', 'assignee', 'duedate'];
/** What Jira answers for a key in `key in (…)` that no longer exists (deleted, or never valid). */
const MISSING_KEY = /^An issue with key '([^']+)' does not exist for field 'key'\.$/;
const INVALID_KEY = /^The issue key '([^']+)' for field 'key' is invalid\.$/;

const CreatedAnswer = z.object({ id: z.string(), key: z.string() });
const KeyPageAnswer = z.object({ issues: z._default(z.array(z.object({ key: z.string() })), []) });
const StatePageAnswer = z.object({
  issues: z._default(
    z.array(
      z.object({
        key: z.string(),
        fields: z.object({
          status: z.object({ name: z.string(), statusCategory: z.object({ key: z.string() }) }),
          assignee: z.optional(z.nullable(z.object({ accountId: z.string() }))),
          duedate: z.optional(z.nullable(z.string())),
        }),
      }),
    ),
    [],
  ),
  nextPageToken: z.optional(z.nullable(z.string())),
  isLast: z.optional(z.boolean()),
});
const LinkedIssue = z.optional(z.object({ key: z.string() }));
const IssueLinksAnswer = z.object({
  fields: z.object({
    issuelinks: z._default(
      z.array(
        z.object({
          type: z.object({ name: z.string() }),
          inwardIssue: LinkedIssue,
          outwardIssue: LinkedIssue,
        }),
      ),
      [],
    ),
  }),
});
const UsersAnswer = z.array(
  z.object({
    accountId: z.string(),
    accountType: z.optional(z.string()),
    active: z.optional(z.boolean()),
    // Absent (or null) when the person's profile hides it, which is Jira Cloud's default.
    emailAddress: z.optional(z.nullable(z.string())),
  }),
);
const TransitionsAnswer = z.object({
  transitions: z._default(
    z.array(z.object({ id: z.string(), to: z.optional(z.object({ name: z.optional(z.string()) })) })),
    [],
  ),
});
const StatusAnswer = z.object({ fields: z.object({ status: z.object({ name: z.string() }) }) });

/** A JQL string literal: quoted, with quotes and backslashes escaped. */
const jqlString = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/**
 * The summary as Jira takes it: one line (Jira refuses line breaks), and at most 255 characters, cut
 * after the last whole word that fits and ended by an ellipsis; an overlong last word is cut inside.
 */
function summaryFor(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= MAX_SUMMARY_LENGTH) return line;
  const room = MAX_SUMMARY_LENGTH - ELLIPSIS.length;
  // One character past the room: a space there means the last word fits whole.
  const lastSpace = line.slice(0, room + 1).lastIndexOf(' ');
  const hardCut = line.slice(0, room).replace(/[\uD800-\uDBFF]$/, '');
  const words = lastSpace >= room - MAX_DROPPED_FOR_A_WORD ? line.slice(0, lastSpace) : hardCut;
  return `${words.replace(/[\s,;:.\-–—]+$/, '')}${ELLIPSIS}`;
}

const textNode = (text: string, href?: string) =>
  href === undefined
    ? { type: 'text', text }
    : { type: 'text', text, marks: [{ type: 'link', attrs: { href } }] };

/** The description in ADF: a paragraph per paragraph, a run with a URL as a link (its URL when it has no text). */
function descriptionOf(paragraphs: NewTicket['description']) {
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((runs) => ({
      type: 'paragraph',
      // ADF refuses empty text nodes.
      content: runs.flatMap((run) => {
        const text = run.text.length > 0 ? run.text : (run.url ?? '');
        return text.length > 0 ? [textNode(text, run.url)] : [];
      }),
    })),
  };
}

/** A comment in ADF: a paragraph per line, the @mention (which makes Jira notify the person) first. */
function commentOf(text: string, mention: { readonly accountId: string } | null) {
  const lines = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  const [first = '', ...rest] = lines;
  const mentionNode = mention === null ? [] : [{ type: 'mention', attrs: { id: mention.accountId } }];
  const firstText = mention === null ? first : first.length > 0 ? ` ${first}` : '';
  return {
    type: 'doc' as const,
    version: 1,
    content: [
      {
        type: 'paragraph',
        content: [...mentionNode, ...(firstText.length > 0 ? [textNode(firstText)] : [])],
      },
      ...rest.map((line) => ({ type: 'paragraph', content: [textNode(line)] })),
    ],
  };
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** The project of an issue key (OPS-12 → OPS). */
const projectOf = (key: string) => key.replace(/-\d+$/, '').toUpperCase();

/** The one project these keys are in, or null when they span several. */
function projectOfAll(keys: readonly string[]): string | null {
  const projects = new Set(keys.map(projectOf));
  const [only] = projects;
  return projects.size === 1 && only !== undefined ? only : null;
}

/** The keys a refused `key in (…)` search named as missing or invalid; empty when it was refused for another reason. */
function missingKeysIn(error: unknown): string[] {
  const cause = error instanceof Error ? error.cause : undefined;
  if (!isApiError(cause) || cause.status !== 400) return [];
  const { messages, fields } = jiraReasonsOf(cause.body);
  const keys = messages.map((message) => (MISSING_KEY.exec(message) ?? INVALID_KEY.exec(message))?.[1]);
  if (fields.length > 0 || keys.length === 0 || keys.some((key) => key === undefined)) return [];
  return keys.filter((key) => key !== undefined);
}

/**
 * Follow-up tickets in Jira Cloud (REST API v3) through a jira.js v6 client. Requests go through the
 * shared retry loop (429s wait for Retry-After, 5xx and network failures back off, then
 * UpstreamUnavailableError); a refusal is an UpstreamRefusedError naming the Jira field and the setting
 * or screen to fix.
 * Each ticket goes to the project it names. `linkToIncident` reads the ticket's links first, so a second
 * call adds no second link.
 */
export function createJiraTicketTracker(
  client: CloudClient,
  options: JiraTicketTrackerOptions,
): TicketTracker {
  const { issueType, linkType } = options;
  const siteUrl = options.siteUrl.replace(/\/+$/, '');
  const retry = createJiraRetry<string | null>(options, refusal);
  /** One request with the retries; a refusal is worded for the project it concerns (null: several or none). */
  const call = <T>(projectKey: string | null, what: string, request: () => Promise<T>) =>
    retry(what, request, projectKey);

  const refOf = (key: string): TicketRef => ({ key, url: `${siteUrl}/browse/${key}` });

  /** What to change so that Jira takes the field, in Incident Flow's settings or on Jira's screens. */
  function fixFor(field: string, message: string, projectKey: string | null): string {
    const project = projectKey === null ? 'the follow-up project' : `project ${projectKey}`;
    const screens = `the create and edit screens of issue type "${issueType}" in ${project}`;
    const otherType = `or set followUps.issueType to an issue type whose screens have it`;
    switch (field) {
      case 'project':
        return `Set followUps.projectKey to a project the Jira account may create issues in (now ${projectKey ?? 'unset'}).`;
      case 'issuetype':
        return `Set followUps.issueType to an issue type of ${project} (now "${issueType}").`;
      case 'duedate':
        return `Add "Due date" to ${screens}, ${otherType}.`;
      case 'assignee':
        return `The owner's Jira account cannot be assigned issues in ${project}: give it the Assignable User permission there, or name another owner in the action item.`;
      case 'labels':
        return 'Check followUps.labels: Jira labels cannot contain spaces.';
      default:
        if (/not on the appropriate screen/i.test(message))
          return `Add "${field}" to ${screens}, ${otherType}.`;
        if (/required/i.test(message))
          return `Make "${field}" optional for issue type "${issueType}" in ${project}, or set followUps.issueType to an issue type that does not require it.`;
        return '';
    }
  }

  /** A refusal that waiting will not fix, with what to change. */
  function refusal(error: JiraRefusal, what: string, projectKey: string | null): string {
    if (error.status === 401 || error.status === 403)
      return `Jira refused ${what} (HTTP ${error.status}): check the email and API token in the Jira secret, and that the account may create, edit, link, transition and comment on issues in ${projectKey === null ? 'the follow-up project' : `project ${projectKey}`} and browse users`;
    const { messages, fields } = jiraReasonsOf(error.body);
    const reasons = [
      ...messages.filter((message) => message.length > 0).map(sentence),
      ...fields.map(([field, message]) =>
        `${field}: ${sentence(message)} ${fixFor(field, message, projectKey)}`.trim(),
      ),
    ].join(' ');
    const why = reasons.length > 0 ? reasons : `HTTP ${error.status}.`;
    if (error.status === 404) {
      const fix = /issue link type/i.test(why)
        ? ` Set followUps.linkType to an issue link type of the site (now "${linkType}").`
        : /does not exist/i.test(why)
          ? ''
          : ' The issue does not exist, or the Jira account may not see it.';
      return `Jira refused ${what}: ${why}${fix}`;
    }
    return `Jira refused ${what}: ${why}`;
  }

  /** The states of at most one page of keys, following the search's pages should Jira cut it shorter. */
  async function statesOf(keys: readonly string[]): Promise<TicketState[]> {
    const what = `the states of ${keys.length} follow-up tickets`;
    const jql = `key in (${keys.map(jqlString).join(', ')})`;
    const states: TicketState[] = [];
    let nextPageToken: string | undefined;
    do {
      const token = nextPageToken;
      const page = parseJiraAnswer(
        StatePageAnswer,
        await call(projectOfAll(keys), what, () =>
          client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
            jql,
            fields: STATE_FIELDS,
            maxResults: KEYS_PER_SEARCH,
            ...(token === undefined ? {} : { nextPageToken: token }),
          }),
        ),
        what,
      );
      for (const { key, fields } of page.issues)
        states.push({
          key,
          done: fields.status.statusCategory.key === 'done',
          status: fields.status.name,
          assigneeAccountId: fields.assignee?.accountId ?? null,
          dueDate: fields.duedate ?? null,
        });
      nextPageToken = page.isLast === true ? undefined : (page.nextPageToken ?? undefined);
    } while (nextPageToken !== undefined);
    return states;
  }

  async function currentStatusIs(key: string, statusName: string): Promise<boolean> {
    const what = `reading the status of ${key}`;
    const answer = parseJiraAnswer(
      StatusAnswer,
      await call(projectOf(key), what, () =>
        client.issues.getIssue({ issueIdOrKey: key, fields: ['status'] }),
      ),
      what,
    );
    return answer.fields.status.name.toLowerCase() === statusName.toLowerCase();
  }

  return {
    async findByLabel(label) {
      const what = `the search for the follow-up labelled ${label}`;
      const answer = parseJiraAnswer(
        KeyPageAnswer,
        await call(null, what, () =>
          client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
            // The oldest first: should a crash have left two, the first one created is the one kept.
            jql: `labels = ${jqlString(label)} ORDER BY created ASC`,
            fields: ['key'],
            maxResults: 1,
          }),
        ),
        what,
      );
      const [first] = answer.issues;
      return first === undefined ? null : refOf(first.key);
    },

    async createTicket(ticket) {
      const { projectKey } = ticket;
      const what = `the follow-up for ${projectKey}`;
      const fields = {
        project: { key: projectKey },
        issuetype: { name: issueType },
        summary: summaryFor(ticket.summary),
        ...(ticket.description.length > 0 ? { description: descriptionOf(ticket.description) } : {}),
        ...(ticket.assigneeAccountId === null ? {} : { assignee: { accountId: ticket.assigneeAccountId } }),
        ...(ticket.dueDate === null ? {} : { duedate: ticket.dueDate }),
        labels: [...ticket.labels],
      };
      const created = parseJiraAnswer(
        CreatedAnswer,
        await call(projectKey, what, () => client.issues.createIssue({ fields })),
        what,
      );
      return refOf(created.key);
    },

    async updateTicket(key, changes) {
      await call(projectOf(key), `the update of ${key}`, () =>
        client.issues.editIssue({
          issueIdOrKey: key,
          fields: {
            summary: summaryFor(changes.summary),
            assignee: changes.assigneeAccountId === null ? null : { accountId: changes.assigneeAccountId },
            duedate: changes.dueDate,
          },
        }),
      );
    },

    async linkToIncident(ticketKey, incidentKey) {
      const what = `reading the links of ${ticketKey}`;
      const answer = parseJiraAnswer(
        IssueLinksAnswer,
        await call(projectOf(ticketKey), what, () =>
          client.issues.getIssue({ issueIdOrKey: ticketKey, fields: ['issuelinks'] }),
        ),
        what,
      );
      // Either direction counts: a link of this type between the two is the link wanted.
      const isTheIncident = (issue?: { key: string }) =>
        issue?.key.toUpperCase() === incidentKey.toUpperCase();
      const linked = answer.fields.issuelinks.some(
        (link) =>
          link.type.name.toLowerCase() === linkType.toLowerCase() &&
          (isTheIncident(link.inwardIssue) || isTheIncident(link.outwardIssue)),
      );
      if (linked) return;
      // Posted as inward, the ticket reads "<outward> the incident" on its page: "relates to INC-42".
      await call(projectOf(ticketKey), `the link from ${ticketKey} to ${incidentKey}`, () =>
        client.issueLinks.linkIssues({
          type: { name: linkType },
          inwardIssue: { key: ticketKey },
          outwardIssue: { key: incidentKey },
        }),
      );
    },

    async ticketStates(keys) {
      const states = new Map<string, TicketState>();
      const unique = [...new Set(keys)];
      for (let start = 0; start < unique.length; start += KEYS_PER_SEARCH) {
        let page = unique.slice(start, start + KEYS_PER_SEARCH);
        // JQL refuses the whole query for one deleted key: drop the keys it names and ask again.
        while (page.length > 0) {
          try {
            for (const state of await statesOf(page)) states.set(state.key, state);
            break;
          } catch (error) {
            const missing = new Set(missingKeysIn(error).map((key) => key.toUpperCase()));
            const remaining = page.filter((key) => !missing.has(key.toUpperCase()));
            if (remaining.length === page.length) throw error;
            page = remaining;
          }
        }
      }
      return states;
    },

    async accountIdByEmail(email) {
      const wanted = email.trim();
      if (wanted.length === 0) return null;
      // The email stays out of `what`: error messages are logged, contacts never are.
      const what = 'the search for a Jira user by email';
      const found = parseJiraAnswer(
        UsersAnswer,
        await call(null, what, () =>
          client.userSearch.findUsers({ query: wanted, maxResults: USERS_PER_SEARCH }),
        ),
        what,
      );
      const people = found.filter((user) => user.active !== false && user.accountType === 'atlassian');
      const exact = people.find((user) => user.emailAddress?.toLowerCase() === wanted.toLowerCase());
      if (exact !== undefined) return exact.accountId;
      // A hidden email still matches the search: one person found, with no email shown, is that person.
      const [only, ...others] = people;
      const isHidden = only !== undefined && (only.emailAddress ?? null) === null;
      return isHidden && others.length === 0 ? only.accountId : null;
    },

    async comment(key, text, mention = null) {
      await call(projectOf(key), `the comment on ${key}`, () =>
        client.issueComments.addComment({ issueIdOrKey: key, body: commentOf(text, mention) }),
      );
    },

    async transitionTo(key, statusName) {
      const what = `reading the transitions of ${key}`;
      const answer = parseJiraAnswer(
        TransitionsAnswer,
        await call(projectOf(key), what, () => client.issues.getTransitions({ issueIdOrKey: key })),
        what,
      );
      const transition = answer.transitions.find(
        (candidate) => candidate.to?.name?.toLowerCase() === statusName.toLowerCase(),
      );
      // No transition into the status the issue is already in: being there is success, not a failure.
      if (transition === undefined) return currentStatusIs(key, statusName);
      await call(projectOf(key), `moving ${key} to ${statusName}`, () =>
        client.issues.doTransition({ issueIdOrKey: key, transition: { id: transition.id } }),
      );
      return true;
    },
  };
}
