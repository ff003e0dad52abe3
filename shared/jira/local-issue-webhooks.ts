import * as z from 'zod/mini';
import type { DocBlock } from '../domain/doc-blocks.ts';

/** An issue of local mode's Jira stand-in, as kept in DATA_DIR/jira-issues.json. */
export const localIssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  summary: z.string(),
  issueType: z.string(),
  status: z.string(),
  priority: z.nullable(z.string()),
  components: z.array(z.string()),
  labels: z.array(z.string()),
  /** The description as plain text (Jira's webhooks carry wiki-markup text). */
  description: z.string(),
  createdMs: z.number(),
  updatedMs: z.number(),
  startedAtMs: z.nullable(z.number()),
  /** Sequence of changelog and comment ids: each change gets the next one. */
  lastSeq: z.number(),
  comments: z.array(z.object({ id: z.string(), body: z.string(), createdMs: z.number() })),
});
export type LocalIssue = z.infer<typeof localIssueSchema>;

/** Who a local change is attributed to in the payloads. */
export interface LocalActor {
  readonly accountId: string;
  readonly displayName: string;
}

/** Incident Flow itself, as the author of what alerts do. */
export const INTAKE_ACTOR: LocalActor = { accountId: 'incident-flow-local', displayName: 'Incident Flow' };
/** A person playing moves with `incident-flow move` and `comment`. */
export const PERSON_ACTOR: LocalActor = { accountId: 'local-person', displayName: 'You (local)' };

const jiraTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

const user = (actor: LocalActor) => ({ ...actor, active: true, timeZone: 'UTC', accountType: 'atlassian' });

function issueBody(issue: LocalIssue, startField: string | undefined) {
  return {
    id: issue.id,
    self: `http://localhost/rest/api/2/issue/${issue.id}`,
    key: issue.key,
    fields: {
      summary: issue.summary,
      issuetype: { id: '10010', name: issue.issueType, subtask: false },
      project: { id: '10000', key: issue.key.split('-')[0], name: issue.key.split('-')[0] },
      status: { name: issue.status },
      priority: issue.priority === null ? null : { name: issue.priority },
      assignee: null,
      reporter: user(INTAKE_ACTOR),
      components: issue.components.map((name) => ({ name })),
      labels: issue.labels,
      created: jiraTime(issue.createdMs),
      updated: jiraTime(issue.updatedMs),
      description: issue.description,
      ...(startField === undefined
        ? {}
        : { [startField]: issue.startedAtMs === null ? null : jiraTime(issue.startedAtMs) }),
    },
  };
}

/** The `jira:issue_created` webhook Jira sends for a new issue. */
export function issueCreatedPayload(issue: LocalIssue, startField: string | undefined) {
  return {
    timestamp: issue.createdMs,
    webhookEvent: 'jira:issue_created',
    issue_event_type_name: 'issue_created',
    user: user(INTAKE_ACTOR),
    issue: issueBody(issue, startField),
    changelog: { id: String(issue.lastSeq), items: [] },
  };
}

/** The `jira:issue_updated` webhook of a status change; `issue` is the issue after it. */
export function statusChangedPayload(
  issue: LocalIssue,
  from: string,
  actor: LocalActor,
  startField: string | undefined,
) {
  return {
    timestamp: issue.updatedMs,
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: user(actor),
    issue: issueBody(issue, startField),
    changelog: {
      id: String(issue.lastSeq),
      items: [
        {
          field: 'status',
          fieldtype: 'jira',
          fieldId: 'status',
          from: null,
          fromString: from,
          to: null,
          toString: issue.status,
        },
      ],
    },
  };
}

/** The `comment_created` webhook of the issue's last comment. */
export function commentCreatedPayload(issue: LocalIssue, actor: LocalActor) {
  const comment = issue.comments.at(-1);
  if (comment === undefined) throw new Error(`${issue.key} has no comment`);
  return {
    timestamp: comment.createdMs,
    webhookEvent: 'comment_created',
    issue: {
      id: issue.id,
      key: issue.key,
      fields: {
        summary: issue.summary,
        issuetype: { id: '10010', name: issue.issueType, subtask: false },
        status: { name: issue.status },
        priority: issue.priority === null ? null : { name: issue.priority },
      },
    },
    comment: {
      id: comment.id,
      self: `http://localhost/rest/api/2/issue/${issue.id}/comment/${comment.id}`,
      author: user(actor),
      updateAuthor: user(actor),
      body: comment.body,
      created: jiraTime(comment.createdMs),
      updated: jiraTime(comment.createdMs),
    },
  };
}

/** Document blocks as plain text, one line a block, for a local issue's description. */
export function docBlocksToText(blocks: readonly DocBlock[]): string {
  const lines: string[] = [];
  const walk = (items: readonly DocBlock[], depth: number) => {
    for (const block of items) {
      if (block.kind === 'divider') lines.push('----');
      else if (block.kind === 'table') continue;
      else {
        const text = block.runs
          .map((run) => (run.url && run.url !== run.text ? `${run.text} (${run.url})` : run.text))
          .join('');
        const prefix =
          block.kind === 'bullet'
            ? `${'*'.repeat(depth + 1)} `
            : block.kind === 'heading'
              ? `h${block.level}. `
              : '';
        lines.push(`${prefix}${text}`);
        if ('children' in block && block.children) walk(block.children, depth + 1);
      }
    }
  };
  walk(blocks, 0);
  return lines.join('\n');
}
