import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IssueComment, IssueTracker } from '../ports.ts';

/** A comment local mode would have posted on Jira. */
export interface LocalComment extends IssueComment {
  readonly commentId: string;
  readonly issueKey: string;
  readonly atMs: number;
}

function readComments(path: string): LocalComment[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LocalComment);
}

/**
 * The issue tracker of local mode (no Jira credentials): comments are appended to a JSON-lines file
 * (DATA_DIR/jira-outbox.jsonl), once per issue and marker, as they would be posted on Jira.
 */
export function createLocalIssueTracker(path: string, nowMs: () => number): IssueTracker {
  mkdirSync(dirname(path), { recursive: true });
  return {
    async commentOnce(issueKey, comment) {
      const existing = readComments(path).find(
        (each) => each.issueKey === issueKey && each.marker === comment.marker,
      );
      if (existing) return { commentId: existing.commentId, created: false };
      const commentId = `local-${readComments(path).length + 1}`;
      const line: LocalComment = { ...comment, issueKey, commentId, atMs: nowMs() };
      appendFileSync(path, `${JSON.stringify(line)}\n`);
      return { commentId, created: true };
    },
  };
}

/** What local mode commented, newest first, optionally on one issue. */
export function readLocalComments(path: string, issueKey?: string): LocalComment[] {
  return readComments(path)
    .filter((comment) => issueKey === undefined || comment.issueKey === issueKey)
    .reverse();
}
