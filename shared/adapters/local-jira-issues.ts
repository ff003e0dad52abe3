import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod/mini';
import {
  commentCreatedPayload,
  docBlocksToText,
  INTAKE_ACTOR,
  issueCreatedPayload,
  type LocalActor,
  type LocalIssue,
  localIssueSchema,
  statusChangedPayload,
} from '../jira/local-issue-webhooks.ts';
import type { IncidentOpener } from '../ports.ts';

export interface LocalJiraOptions {
  /** DATA_DIR/jira-issues.json; undefined keeps the issues in memory (tests). */
  readonly path: string | undefined;
  /** settings.incidents.issueTypes[0]: the type of issues alerts open. */
  readonly issueType: string;
  /** The board's statuses: a new issue is in the first (Detected); a move goes to any of them. */
  readonly statuses: readonly string[];
  /** settings.incidents.startField, set to the alert's start as Jira would hold it. */
  readonly startField: string | undefined;
  readonly nowMs: () => number;
  /** Hands a webhook payload, as Jira would send it, to the pipeline. */
  readonly emit: (payload: Record<string, unknown>) => Promise<void>;
}

/** Local mode's Jira stand-in: an IncidentOpener, and a person's moves and comments on its issues. */
export interface LocalJira extends IncidentOpener {
  move(issueKey: string, statusName: string, actor: LocalActor): Promise<LocalIssue>;
  addComment(issueKey: string, text: string, actor: LocalActor): Promise<LocalIssue>;
  issues(): LocalIssue[];
  /** Takes in an issue the stand-in did not create (the demo's, sent as webhooks), unless it holds it. */
  adopt(issue: LocalIssue): void;
}

const fileSchema = z.object({ issues: z.array(localIssueSchema) });
/** Local issue ids sit far from the demo's (epoch seconds) and from Jira Cloud's usual range. */
const FIRST_ID = 900_000;

/** A local issue key's error: the CLI names it as it is. */
export class UnknownLocalIssueError extends Error {
  constructor(key: string) {
    super(`no local issue ${key}: only issues that alerts opened in local mode can be moved or commented`);
    this.name = 'UnknownLocalIssueError';
  }
}

/**
 * Issues in a JSON file under DATA_DIR (keys from each project: OPS-1, OPS-2…). Every change is
 * written first, then emitted as the webhook Jira would send (`jira:issue_created`,
 * `jira:issue_updated`, `comment_created`), so timeline, notifications and postmortem follow as for
 * any incident. Changes run one at a time in this process; the file is replaced whole (rename).
 */
export function createLocalJiraIssues(options: LocalJiraOptions): LocalJira {
  let memory: LocalIssue[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const read = (): LocalIssue[] => {
    if (options.path === undefined) return structuredClone(memory);
    if (!existsSync(options.path)) return [];
    return fileSchema.parse(JSON.parse(readFileSync(options.path, 'utf8'))).issues;
  };
  const write = (issues: LocalIssue[]) => {
    if (options.path === undefined) {
      memory = structuredClone(issues);
      return;
    }
    mkdirSync(dirname(options.path), { recursive: true });
    const temporary = `${options.path}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ issues }, null, 2)}\n`);
    renameSync(temporary, options.path);
  };
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const change = (issueKey: string, edit: (issue: LocalIssue, atMs: number) => void): LocalIssue => {
    const issues = read();
    const issue = issues.find((each) => each.key === issueKey);
    if (issue === undefined) throw new UnknownLocalIssueError(issueKey);
    // Strictly later than the last change: Jira's times order the events.
    const atMs = Math.max(options.nowMs(), issue.updatedMs + 1);
    edit(issue, atMs);
    issue.updatedMs = atMs;
    issue.lastSeq += 1;
    write(issues);
    return issue;
  };
  const { startField } = options;

  async function move(issueKey: string, statusName: string, actor: LocalActor): Promise<LocalIssue> {
    const status = options.statuses.find((name) => name.toLowerCase() === statusName.toLowerCase());
    if (status === undefined)
      throw new Error(`${statusName} is not a status of the board: ${options.statuses.join(', ')}`);
    let from = '';
    const issue = change(issueKey, (each) => {
      from = each.status;
      each.status = status;
    });
    // As in Jira, moving an issue to the status it is in changes nothing and sends no webhook.
    if (from === status) return issue;
    await options.emit(statusChangedPayload(issue, from, actor, startField));
    return issue;
  }

  async function addComment(issueKey: string, text: string, actor: LocalActor): Promise<LocalIssue> {
    const issue = change(issueKey, (each, atMs) => {
      each.comments.push({
        id: String(Number(each.id) * 100 + each.lastSeq + 1),
        body: text,
        createdMs: atMs,
      });
    });
    await options.emit(commentCreatedPayload(issue, actor));
    return issue;
  }

  return {
    issues: read,
    adopt(issue) {
      const issues = read();
      if (!issues.some((each) => each.key === issue.key)) write([...issues, issue]);
    },
    async findByLabel(label) {
      return read().findLast((issue) => issue.labels.includes(label))?.key ?? null;
    },
    open: (draft) =>
      serially(async () => {
        const issues = read();
        const number = issues.filter((issue) => issue.key.startsWith(`${draft.project}-`)).length + 1;
        const nowMs = options.nowMs();
        const issue: LocalIssue = {
          id: String(FIRST_ID + issues.length + 1),
          key: `${draft.project}-${number}`,
          summary: draft.summary,
          issueType: options.issueType,
          status: options.statuses[0] ?? 'Detected',
          priority: draft.priority,
          components: draft.component === null ? [] : [draft.component],
          labels: [...draft.labels],
          description: docBlocksToText(draft.description),
          createdMs: nowMs,
          updatedMs: nowMs,
          startedAtMs: draft.startedAtMs,
          lastSeq: 1,
          comments: [],
        };
        write([...issues, issue]);
        await options.emit(issueCreatedPayload(issue, startField));
        return { key: issue.key };
      }),
    comment: (issueKey, text) => serially(async () => void (await addComment(issueKey, text, INTAKE_ACTOR))),
    transition: (issueKey, statusName) =>
      serially(async () => {
        if (!options.statuses.some((name) => name.toLowerCase() === statusName.toLowerCase()))
          return 'unavailable';
        await move(issueKey, statusName, INTAKE_ACTOR);
        return 'moved';
      }),
    move: (issueKey, statusName, actor) => serially(() => move(issueKey, statusName, actor)),
    addComment: (issueKey, text, actor) => serially(() => addComment(issueKey, text, actor)),
  };
}
