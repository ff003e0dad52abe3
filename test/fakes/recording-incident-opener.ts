import type { IncidentDraft, IncidentOpener } from '#shared/ports.ts';

/** An issue the recording opener holds. */
export interface RecordedIssue {
  readonly key: string;
  readonly draft: IncidentDraft;
  status: string;
  readonly comments: string[];
}

/**
 * An IncidentOpener that keeps issues in memory with keys from their project (OPS-1, OPS-2…);
 * `failAfterOpen` makes the next open throw after the issue exists, as a crash after Jira answered.
 */
export function createRecordingIncidentOpener(options: { readonly statuses?: readonly string[] } = {}) {
  const issues: RecordedIssue[] = [];
  const statuses = options.statuses ?? ['Detected', 'Triaged', 'Investigating', 'Mitigating', 'Resolved'];
  let failAfterOpen = false;
  let createdIn = statuses[0] ?? 'Detected';
  const issue = (key: string): RecordedIssue => {
    const found = issues.find((each) => each.key === key);
    if (!found) throw new Error(`no issue ${key}`);
    return found;
  };
  const opener: IncidentOpener & {
    readonly issues: readonly RecordedIssue[];
    failNextAfterOpen(): void;
    /** The status the next issues are created in, as a create screen's default would put them. */
    openIn(status: string): void;
  } = {
    issues,
    failNextAfterOpen() {
      failAfterOpen = true;
    },
    openIn(status) {
      createdIn = status;
    },
    async findByLabel(label) {
      return issues.findLast((each) => each.draft.labels.includes(label))?.key ?? null;
    },
    async open(draft) {
      const number = issues.filter((each) => each.draft.project === draft.project).length + 1;
      const key = `${draft.project}-${number}`;
      issues.push({ key, draft, status: createdIn, comments: [] });
      if (failAfterOpen) {
        failAfterOpen = false;
        throw new Error('the connection dropped after Jira created the issue');
      }
      return { key };
    },
    async comment(issueKey, text) {
      issue(issueKey).comments.push(text);
    },
    async transition(issueKey, statusName) {
      if (!statuses.includes(statusName)) return 'unavailable';
      issue(issueKey).status = statusName;
      return 'moved';
    },
  };
  return opener;
}
