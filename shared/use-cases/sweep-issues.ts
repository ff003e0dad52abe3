import type { IncidentEvent } from '../domain/events.ts';
import { type IncidentRule, whyNotIncident } from '../domain/incident-rules.ts';
import { UpstreamUnavailableError } from '../errors.ts';
import {
  eventsFromIssueHistory,
  type IssueHistory,
  type JiraIssueRead,
  missingEvents,
  newestHistoryId,
} from '../jira/jira-history.ts';
import type { WebhookReading } from '../jira/jira-webhook.ts';
import { snapshotOf } from '../jira/jira-webhook.ts';
import type {
  EventHistory,
  EventJournal,
  IncidentSource,
  IssueReadMark,
  IssueReadMarks,
  Log,
  ReconcileLedger,
} from '../ports.ts';

/** What a pass over Jira needs: the reconciler and the backfill both sweep with it. */
export interface ReconcileDeps {
  readonly store: EventJournal & EventHistory;
  readonly source: IncidentSource;
  readonly ledger: ReconcileLedger;
  /**
   * Where each issue's last full read is marked, so an issue unchanged since needs no changelog or
   * comment page; without it every issue whose lists the search cut short is read in full.
   */
  readonly readMarks?: IssueReadMarks;
  readonly reading: WebhookReading;
  readonly incidents: IncidentRule;
  readonly log: Log;
  readonly nowMs: () => number;
  /** Issues read from Jira at once. */
  readonly concurrency: number;
  /**
   * Runs after an incident's issue is reconciled, with how many of its events were missing. On AWS
   * nothing is needed (the table's stream hands new events to the processor); a local command with no
   * stream folds the incident here, and also when nothing was missing, since a run stopped between
   * storing an issue's events and folding them leaves nothing missing for the next run to notice.
   */
  readonly afterStore?: (
    issue: { readonly id: string; readonly key: string },
    added: number,
  ) => Promise<void>;
}

/** Why a pass stopped before the end of its search: its deadline (by design), or Jira unavailable. */
export type SweepStop =
  | { readonly kind: 'deadline' }
  | { readonly kind: 'jira-unavailable'; readonly error: string };

/** What one pass over Jira found and repaired. */
export interface SweepResult {
  readonly issuesRead: number;
  readonly issuesSkipped: number;
  readonly eventsAdded: number;
  /** The issues that lacked events, and how many each got. */
  readonly repaired: readonly { readonly key: string; readonly added: number }[];
  readonly failed: readonly { readonly key: string; readonly error: string }[];
  /** False when the pass stopped early (a deadline, Jira unavailable): the rest is for the next run. */
  readonly complete: boolean;
  /** Null when the pass read its search to the end. */
  readonly stoppedBy: SweepStop | null;
  /** The latest `updated` among the pages read without any failure, in search order. */
  readonly processedUntilMs: number | null;
}

/** How far a pass has got, for a progress line: issues done, skipped as finished, events added. */
export interface SweepProgress {
  readonly done: number;
  readonly skipped: number;
  readonly eventsAdded: number;
}

interface SweepOptions {
  readonly jql: string;
  /** Issues a resumed backfill already finished. */
  readonly skip?: ReadonlySet<string>;
  /** A backfill's cut-off: what happened before it causes no notification or postmortem. */
  readonly effectsFromMs?: number;
  /** No new page is started after this time (a Lambda's remaining time). */
  readonly deadlineMs?: number;
  readonly onIssueFinished?: (issueId: string) => Promise<void>;
  readonly onProgress?: (progress: SweepProgress) => void;
}

const quote = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/** The JQL that finds incidents by the settings' issue types and labels. */
export function incidentJql(rule: IncidentRule): string {
  const clauses = [
    ...(rule.issueTypes.length > 0 ? [`issuetype in (${rule.issueTypes.map(quote).join(', ')})`] : []),
    ...(rule.labels.length > 0 ? [`labels in (${rule.labels.map(quote).join(', ')})`] : []),
  ];
  if (clauses.length === 0)
    throw new Error('incidents.issueTypes and incidents.labels are both empty: nothing is an incident');
  return `(${clauses.join(' OR ')})`;
}

/**
 * Runs `work` over the items with at most `limit` at once. A failure stops the pool from starting
 * more, and is thrown once the items under way have finished, so nothing is left writing behind it.
 */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  let failure: { readonly error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const item = items[next];
      next += 1;
      try {
        if (item !== undefined) await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw (failure as { readonly error: unknown }).error;
}

/**
 * Brings one issue's stored events up to what Jira holds: reads its changelog and comments, turns them
 * into events with the webhook's identities, and stores the ones missing. Returns how many were added.
 */
async function reconcileIssue(
  issue: JiraIssueRead,
  deps: ReconcileDeps,
  effectsFromMs: number | undefined,
): Promise<number> {
  const stored = await deps.store.loadEvents(issue.id);
  const snapshot = snapshotOf(issue, deps.reading);
  if (stored.length === 0 && whyNotIncident(snapshot, deps.incidents) !== null) return 0;
  const embedded = deps.source.embeddedHistoryOf(issue);
  const marks = embedded.whole ? undefined : deps.readMarks;
  const mark = marks === undefined ? null : await marks.readInFullAt(issue.id);
  if (mark !== null && isUnchangedSince(mark, embedded.history, stored, deps.reading)) {
    await deps.afterStore?.(issue, 0);
    return 0;
  }
  const newestStored = mark?.newestHistoryId ?? null;
  const history =
    newestStored === null
      ? await deps.source.historyOf(issue)
      : await deps.source.historyOf(issue, { newestHistoryId: newestStored });
  let missing: IncidentEvent[] = missingEvents(eventsFromIssueHistory(history, deps.reading, stored), stored);
  let added = 0;
  if (missing.length > 0) {
    if (effectsFromMs !== undefined) missing = missing.map((event) => ({ ...event, effectsFromMs }));
    const outcomes = await deps.store.append(missing);
    added = outcomes.filter((outcome) => outcome === 'stored').length;
  }
  await deps.afterStore?.(issue, added);
  // Marked only once everything the read showed is stored; Jira's value, never our clock.
  if (marks !== undefined && snapshot.updatedMs !== undefined)
    await marks.saveReadInFull(issue.id, {
      updatedMs: snapshot.updatedMs,
      newestHistoryId: newestHistoryId(history.histories),
    });
  return added;
}

/**
 * True when Jira's `updated` is exactly the one after which the issue was last read in full, and what
 * the search embedded (its fields, newest histories, first comments) shows nothing the store lacks.
 * Any change since (a comment added, edited or deleted, a field changed) moves `updated`, so a change
 * beyond the embedded lists, even one followed by a change whose webhook did arrive, is read in full.
 */
function isUnchangedSince(
  mark: IssueReadMark,
  embedded: IssueHistory,
  stored: readonly IncidentEvent[],
  reading: WebhookReading,
): boolean {
  if (snapshotOf(embedded.issue, reading).updatedMs !== mark.updatedMs) return false;
  const candidates = eventsFromIssueHistory(embedded, reading, stored, { cut: true });
  return missingEvents(candidates, stored).length === 0;
}

/** One pass over the issues a JQL search returns, page by page, each page's issues in a pool. */
export async function sweep(deps: ReconcileDeps, options: SweepOptions): Promise<SweepResult> {
  const repaired: { key: string; added: number }[] = [];
  const failed: { key: string; error: string }[] = [];
  let issuesRead = 0;
  let issuesSkipped = 0;
  let eventsAdded = 0;
  let processedUntilMs: number | null = null;
  let cleanSoFar = true;
  let token: string | null = null;
  const progress = () => options.onProgress?.({ done: issuesRead, skipped: issuesSkipped, eventsAdded });
  const result = (stoppedBy: SweepStop | null): SweepResult => ({
    issuesRead,
    issuesSkipped,
    eventsAdded,
    repaired,
    failed,
    complete: stoppedBy === null && failed.length === 0,
    stoppedBy,
    processedUntilMs,
  });

  try {
    do {
      if (options.deadlineMs !== undefined && deps.nowMs() >= options.deadlineMs) {
        deps.log.warn('reconciliation stopped at its deadline; the next run goes on', { issuesRead });
        return result({ kind: 'deadline' });
      }
      const page = await deps.source.searchPage(options.jql, token);
      let pageClean = true;
      await inPool(page.issues, deps.concurrency, async (issue) => {
        if (options.skip?.has(issue.id)) {
          issuesSkipped += 1;
          progress();
          return;
        }
        try {
          const added = await reconcileIssue(issue, deps, options.effectsFromMs);
          if (added > 0) {
            repaired.push({ key: issue.key, added });
            eventsAdded += added;
          }
          await options.onIssueFinished?.(issue.id);
        } catch (error) {
          if (error instanceof UpstreamUnavailableError) throw error;
          pageClean = false;
          const message = error instanceof Error ? error.message : String(error);
          failed.push({ key: issue.key, error: message });
          deps.log.error('could not reconcile an issue; it is tried again next run', {
            issueKey: issue.key,
            error: message,
          });
        }
        issuesRead += 1;
        progress();
      });
      cleanSoFar &&= pageClean;
      if (cleanSoFar) {
        for (const issue of page.issues) {
          const updatedMs = snapshotOf(issue, deps.reading).updatedMs;
          if (updatedMs !== undefined) processedUntilMs = Math.max(processedUntilMs ?? updatedMs, updatedMs);
        }
      }
      token = page.nextPageToken;
    } while (token !== null);
  } catch (error) {
    if (!(error instanceof UpstreamUnavailableError)) throw error;
    deps.log.warn('Jira stayed unavailable; reconciliation stops here and the next run goes on', {
      issuesRead,
      error: error.message,
    });
    return result({ kind: 'jira-unavailable', error: error.message });
  }
  return result(null);
}
