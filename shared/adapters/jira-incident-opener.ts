import type { CloudClient } from 'jira.js';
import * as z from 'zod/mini';
import { docBlocksToAdf } from '../jira/doc-blocks-adf.ts';
import type { IncidentOpener } from '../ports.ts';
import { jiraReasonLine, parseJiraAnswer } from './jira-errors.ts';
import { createJiraRetry, type JiraRetryOptions } from './jira-retry.ts';

/** How incidents opened by alerts are made: their issue type and the "impact started" field. */
export interface JiraIncidentOpenerOptions extends JiraRetryOptions {
  /** settings.incidents.issueTypes[0]. */
  readonly issueType: string;
  /** settings.incidents.startField: set to the alert's start. */
  readonly startField?: string | undefined;
  /** Account ids of the directory's people by name, for a route's owner; absent, no assignee is set. */
  readonly accountIdOf?: (person: string) => string | null;
}

const CreatedAnswer = z.object({ id: z.string(), key: z.string() });
const KeyPageAnswer = z.object({ issues: z._default(z.array(z.object({ key: z.string() })), []) });
const TransitionsAnswer = z.object({
  transitions: z._default(
    z.array(z.object({ id: z.string(), to: z.optional(z.object({ name: z.optional(z.string()) })) })),
    [],
  ),
});
const StatusAnswer = z.object({ fields: z.object({ status: z.object({ name: z.string() }) }) });

const MAX_SUMMARY_LENGTH = 255;
const jqlString = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
const oneLine = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim() || 'Alert';
  return line.length <= MAX_SUMMARY_LENGTH ? line : `${line.slice(0, MAX_SUMMARY_LENGTH - 1)}…`;
};
const commentBody = (text: string) => ({
  type: 'doc' as const,
  version: 1,
  content: text
    .split(/\r?\n/)
    .filter((line) => line.trim().length > 0)
    .map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })),
});

/**
 * Incident issues for alerts in Jira Cloud (REST API v3) through jira.js, with the shared retry loop
 * (429 waits for Retry-After, 5xx backs off, refusals name what to fix). `findByLabel` answers the
 * newest issue with the label, so that a crash between Jira's answer and the store's record is
 * recovered by finding the issue instead of creating a second one.
 */
export function createJiraIncidentOpener(
  client: CloudClient,
  options: JiraIncidentOpenerOptions,
): IncidentOpener {
  const call = createJiraRetry<undefined>(options, (refusal, what) =>
    refusal.status === 401 || refusal.status === 403
      ? `Jira refused ${what} (HTTP ${refusal.status}): check the Jira secret, and that the account may create, transition and comment on issues in the alert routes' projects`
      : `Jira refused ${what}: ${jiraReasonLine(refusal.body)}. Check alerts.routes (project, component), settings.incidents.issueTypes and severity.priorities against the project's create screen.`,
  );

  async function statusIs(key: string, statusName: string): Promise<boolean> {
    const what = `reading the status of ${key}`;
    const answer = parseJiraAnswer(
      StatusAnswer,
      await call(what, () => client.issues.getIssue({ issueIdOrKey: key, fields: ['status'] })),
      what,
    );
    return answer.fields.status.name.toLowerCase() === statusName.toLowerCase();
  }

  return {
    async findByLabel(label) {
      const what = `the search for the incident labelled ${label}`;
      const answer = parseJiraAnswer(
        KeyPageAnswer,
        await call(what, () =>
          client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
            jql: `labels = ${jqlString(label)} ORDER BY created DESC`,
            fields: ['key'],
            maxResults: 1,
          }),
        ),
        what,
      );
      return answer.issues[0]?.key ?? null;
    },

    async open(draft) {
      const what = `the incident for an alert in ${draft.project}`;
      const assignee = draft.assignee === null ? null : (options.accountIdOf?.(draft.assignee) ?? null);
      const fields: Record<string, unknown> = {
        project: { key: draft.project },
        issuetype: { name: options.issueType },
        summary: oneLine(draft.summary),
        description: docBlocksToAdf(draft.description),
        labels: [...draft.labels],
        ...(draft.priority === null ? {} : { priority: { name: draft.priority } }),
        ...(draft.component === null ? {} : { components: [{ name: draft.component }] }),
        ...(assignee === null ? {} : { assignee: { accountId: assignee } }),
        ...(options.startField === undefined || draft.startedAtMs === null
          ? {}
          : { [options.startField]: new Date(draft.startedAtMs).toISOString().replace('Z', '+0000') }),
      };
      const created = parseJiraAnswer(
        CreatedAnswer,
        await call(what, () => client.issues.createIssue({ fields: fields as never })),
        what,
      );
      return { key: created.key };
    },

    async comment(issueKey, text) {
      await call(`the comment on ${issueKey}`, () =>
        client.issueComments.addComment({ issueIdOrKey: issueKey, body: commentBody(text) }),
      );
    },

    async transition(issueKey, statusName) {
      const what = `reading the transitions of ${issueKey}`;
      const answer = parseJiraAnswer(
        TransitionsAnswer,
        await call(what, () => client.issues.getTransitions({ issueIdOrKey: issueKey })),
        what,
      );
      const transition = answer.transitions.find(
        (candidate) => candidate.to?.name?.toLowerCase() === statusName.toLowerCase(),
      );
      if (transition === undefined) return (await statusIs(issueKey, statusName)) ? 'moved' : 'unavailable';
      await call(`moving ${issueKey} to ${statusName}`, () =>
        client.issues.doTransition({ issueIdOrKey: issueKey, transition: { id: transition.id } }),
      );
      return 'moved';
    },
  };
}
