import type { IssueHistory, JiraIssueRead } from '../jira/jira-history.ts';

/** One page of a JQL search: the issues, and the token of the next page (null on the last). */
export interface IssuePage {
  readonly issues: readonly JiraIssueRead[];
  readonly nextPageToken: string | null;
}

/** Jira as the reconciler and the backfill read it. */
export interface IncidentSource {
  /** One page of issues matching the JQL, with the fields a fold reads (the current /search/jql). */
  searchPage(jql: string, nextPageToken: string | null): Promise<IssuePage>;
  /** Roughly how many issues match (Jira's approximate count), for a progress bar; null if unknown. */
  approximateCount(jql: string): Promise<number | null>;
  /**
   * The issue's whole changelog and every comment, with the issue as searched: from what the search
   * embedded when that is all of it, else read page by page. With `known`, the changelog may be only
   * the histories from that one on, when the search embedded it.
   */
  historyOf(issue: JiraIssueRead, known?: KnownHistory): Promise<IssueHistory>;
  /**
   * What the search embedded of the issue's history, with no request: its fields, its most recent
   * changelog histories and its first comments; `whole` when those lists are all there is.
   */
  embeddedHistoryOf(issue: JiraIssueRead): EmbeddedHistory;
}

/** An issue's history as one search page carries it: whole, or cut short where Jira paged it. */
export interface EmbeddedHistory {
  readonly history: IssueHistory;
  readonly whole: boolean;
}

/**
 * What is already stored of an issue's changelog: every history up to this one. When the histories a
 * search embeds (the newest) reach back to it, the older changelog pages need no read.
 */
export interface KnownHistory {
  readonly newestHistoryId: string;
}

/**
 * An issue's last full read: Jira's `updated` value in the search after which its lists were read in
 * full and every event they lacked was stored, and the newest changelog history then.
 */
export interface IssueReadMark {
  readonly updatedMs: number;
  readonly newestHistoryId: string | null;
}

/**
 * Per issue, the reconciler's last full read: while Jira's `updated` still equals the mark's, nothing
 * changed in Jira since, so nothing can be missing that the lists would show.
 */
export interface IssueReadMarks {
  /** Null when the issue was never read in full. */
  readInFullAt(issueId: string): Promise<IssueReadMark | null>;
  saveReadInFull(issueId: string, mark: IssueReadMark): Promise<void>;
}

/** Where the reconciler keeps its watermark and a backfill its progress, so both survive a crash. */
export interface ReconcileLedger {
  /** Jira `updated` time up to which every incident was fully reconciled; null before the first run. */
  watermark(name: string): Promise<number | null>;
  saveWatermark(name: string, atMs: number): Promise<void>;
  /** A backfill run as first started (its cut-off for effects stays the same when it resumes). */
  backfillRun(runId: string): Promise<BackfillRun | null>;
  saveBackfillRun(run: BackfillRun): Promise<void>;
  /** The issues a backfill run finished: a resumed run skips them. */
  finishedIssues(runId: string): Promise<Set<string>>;
  markFinished(runId: string, issueIds: readonly string[]): Promise<void>;
}

/** A backfill: what it imports, when it first started, and from when its events may cause effects. */
export interface BackfillRun {
  readonly runId: string;
  readonly jql: string;
  readonly startedAtMs: number;
  readonly effectsFromMs: number;
}
