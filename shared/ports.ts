import type { Deployment } from './domain/deployments.ts';
import type { IncidentEvent } from './domain/events.ts';
import type { ActionItem, FollowUp, TicketRef } from './domain/follow-ups.ts';
import type { IssueHistory, JiraIssueRead } from './domain/jira-history.ts';
import type { Severity } from './domain/lifecycle.ts';
import type { Announcement } from './domain/notification-plan.ts';
import type { Channel, Group } from './domain/notification-policy.ts';
import type { NotionBlock } from './domain/notion-blocks.ts';
import type { IncidentState } from './domain/timeline.ts';
import type { WeekSummary } from './domain/weekly-metrics.ts';
import type { ReportEmail } from './domain/weekly-report-email.ts';

/** What became of one event offered to the store. */
export type AppendOutcome = 'stored' | 'duplicate';

/** The append side of the event store: all that ingesting a webhook needs. */
export interface EventJournal {
  /** Stores each event once (by its identity); a known identity is a duplicate and changes nothing. */
  append(events: readonly IncidentEvent[]): Promise<AppendOutcome[]>;
  /** True when the store holds any event of this issue. */
  hasIncident(issueId: string): Promise<boolean>;
}

/** A message on its way: written before the send, so a crash between send and record leaves a trace. */
export interface SendIntent {
  /** Unique per incident: the notification, and for a page its recipient too. */
  readonly intentId: string;
  readonly notificationId: string;
  readonly group: string;
  /** What it announces (none for pages and escalations, whose notification id says it all). */
  readonly announcement: Announcement | null;
  /** The message, kept until it is sent (a crash must be able to send it again); null after. */
  readonly message:
    | ({ readonly kind: 'group' } & GroupMessage)
    | ({ readonly kind: 'page' } & PageMessage)
    | null;
  /** Who is sending it (a Lambda invocation, a local server run), since when, and which try this is. */
  readonly ownerId: string;
  readonly claimedAtMs: number;
  readonly attempt: number;
  /** sending: claimed, no result recorded; sent: its deliveries are recorded; possibly-sent: given up on. */
  readonly state: 'sending' | 'sent' | 'possibly-sent';
}

/** The intents and the deliveries of one incident's messages. */
export interface DeliveryLog {
  readonly intents: readonly SendIntent[];
  readonly deliveries: readonly Delivery[];
}

/**
 * Sends at most once per intent: a conditional write claims a message before it goes out, so two
 * concurrent folds cannot both send it, and its result is recorded after.
 */
export interface SendLedger {
  /** Every intent and delivery of an incident (consistent read). */
  loadDeliveryLog(issueId: string): Promise<DeliveryLog>;
  /** Claims the intent; 'taken' when an intent of that id exists already, whoever wrote it. */
  claimSend(issueId: string, intent: SendIntent): Promise<'claimed' | 'taken'>;
  /** Takes over an abandoned intent for one more try, only if it is still as `previous` left it. */
  reclaimSend(issueId: string, previous: SendIntent, ownerId: string, atMs: number): Promise<boolean>;
  /** Records the deliveries of a claimed intent, then marks it sent. */
  finishSend(issueId: string, intentId: string, deliveries: readonly Delivery[]): Promise<void>;
  /** Drops the claim of a send that failed before anything went out (the provider refused or was down). */
  releaseSend(issueId: string, intentId: string, ownerId: string): Promise<void>;
  /** Gives up on an intent whose result is unknown after its last try: it is listed as possibly sent. */
  markPossiblySent(issueId: string, intentId: string): Promise<void>;
}

/** The durable record of what happened to incidents, and the state folded from it. */
export interface EventStore extends EventJournal, SendLedger {
  /** Every stored event of an issue, in no particular order. */
  loadEvents(issueId: string): Promise<IncidentEvent[]>;
  /**
   * Saves the folded state, indexed by its weeks, unless a state folded from more events is already
   * there; tells the weeks the incident was indexed under before (null for a new incident).
   */
  saveState(state: IncidentState, weeks: IncidentWeeks): Promise<SaveStateOutcome>;
  /** The incidents opened, or finally resolved, in an ISO week ('2026-W47'): a query, never a scan. */
  listStatesByWeek(week: string, by: 'opened' | 'resolved'): Promise<IncidentState[]>;
  getStateByKey(key: string): Promise<IncidentState | null>;
  /** The stored headline figures of past weeks, by week id; weeks without one are absent. */
  getWeekSummaries(weekIds: readonly string[]): Promise<Map<string, WeekSummary>>;
  saveWeekSummary(weekId: string, summary: WeekSummary): Promise<void>;
  /** Drops stored summaries that a late change to an incident made stale. */
  forgetWeekSummaries(weekIds: readonly string[]): Promise<void>;
  /** Every message sent (or found undeliverable) about an incident, oldest first. */
  loadDeliveries(issueId: string): Promise<Delivery[]>;
  /** Records what became of one message, once per notification, channel and recipient. */
  recordDelivery(issueId: string, delivery: Delivery): Promise<void>;
  /** The postmortem written for an incident, if any. */
  postmortemOf(issueId: string): Promise<WrittenPostmortem | null>;
  /** Records the postmortem of an incident; the first record stands. */
  recordPostmortem(issueId: string, postmortem: WrittenPostmortem): Promise<void>;
  /** The fingerprint of the postmortem's properties as last written, or null when none is recorded. */
  postmortemPropertiesOf(issueId: string): Promise<string | null>;
  /** Records the fingerprint of the properties just written; the latest record wins. */
  recordPostmortemProperties(issueId: string, fingerprint: string): Promise<void>;
  /** Why the postmortem could not be written yet (the latest failure), or null once it is written. */
  postmortemFailureOf(issueId: string): Promise<PostmortemFailure | null>;
  recordPostmortemFailure(issueId: string, failure: PostmortemFailure): Promise<void>;
  /** Every incident's state, most recently opened first. */
  listStates(): Promise<IncidentState[]>;
}

/** The ISO weeks (in the team's time zone) an incident is reported in. */
export interface IncidentWeeks {
  readonly openedWeek: string;
  readonly resolvedWeek: string | null;
}

export type SaveStateOutcome =
  | { readonly kind: 'saved'; readonly previousWeeks: IncidentWeeks | null }
  | { readonly kind: 'stale' };

/** Deployments a CI/CD pipeline reported, for the change failure rate. */
export interface DeploymentStore {
  /** Stores a deployment once by its id and time; a second report of it is a duplicate. */
  recordDeployment(deployment: Deployment): Promise<'stored' | 'duplicate'>;
  /** Deployments with startMs <= atMs < endMs. */
  listDeployments(startMs: number, endMs: number): Promise<Deployment[]>;
}

/** Sends a finished report to its readers (the weekly-report topic's email subscribers). */
export interface ReportPublisher {
  publish(subject: string, body: string): Promise<{ readonly messageId: string }>;
}

/** Sends the weekly HTML email (with its plain-text alternative) to the report's readers. */
export interface ReportMailer {
  send(email: ReportEmail): Promise<{ readonly messageId: string }>;
}

/** Which weekly reports went out, so a schedule that fires twice sends one email. */
export interface ReportLedger {
  sentMessageId(weekId: string): Promise<string | null>;
  recordSent(weekId: string, messageId: string): Promise<void>;
}

/** An update for a stakeholder group, rendered for each channel; one notification identity. */
export interface GroupMessage {
  readonly notificationId: string;
  readonly issueKey: string;
  readonly group: Group;
  readonly severity: Severity | null;
  readonly channels: readonly Channel[];
  readonly subject: string;
  readonly email: string;
  readonly sms: string;
}

/** A direct SMS to one person (the assignee, a component lead) on a SEV1/SEV2 declaration. */
export interface PageMessage {
  readonly notificationId: string;
  readonly issueKey: string;
  readonly recipient: { readonly name: string; readonly phone: string };
  readonly sms: string;
}

/** What became of one message: who it went to (a name or a topic), how, and what the provider answered. */
export interface Delivery {
  readonly notificationId: string;
  readonly group: string;
  readonly channel: 'email' | 'sms';
  readonly recipient: string;
  readonly status: 'sent' | 'failed' | 'opted-out';
  readonly providerMessageId: string | null;
  readonly error: string | null;
  readonly atMs: number;
}

/**
 * Sends updates and pages. A refusal of one recipient is a `failed` or `opted-out` delivery; a
 * provider outage (throttling, 5xx) is an UpstreamUnavailableError, and the caller retries.
 */
export interface Notifier {
  notifyGroup(message: GroupMessage): Promise<Delivery[]>;
  page(message: PageMessage): Promise<Delivery>;
}

/** Brings an incident back to the processor at a later time (a burst window ends, an escalation is due). */
export interface RecheckScheduler {
  recheckAt(issueId: string, atMs: number): Promise<void>;
}

/** A postmortem ready to be written: its properties and its body in Notion block JSON. */
export interface PostmortemDraft {
  readonly incidentKey: string;
  readonly title: string;
  readonly jiraUrl: string | null;
  readonly severity: string | null;
  readonly incidentStartMs: number;
  readonly resolvedAtMs: number | null;
  readonly timeToResolve: string | null;
  readonly timeToAcknowledge: string | null;
  readonly ownerEmail: string | null;
  readonly blocks: readonly NotionBlock[];
}

/** Where a postmortem was written; `created` is false when it existed already. */
export interface WrittenPostmortem {
  readonly id: string;
  readonly url: string;
  readonly created: boolean;
}

/** The latest failure to write a postmortem: what went wrong and when; it is retried. */
export interface PostmortemFailure {
  readonly error: string;
  readonly atMs: number;
}

/** Writes an incident's postmortem once: a page already made for the incident is returned, not duplicated. */
export interface PostmortemWriter {
  write(draft: PostmortemDraft): Promise<WrittenPostmortem>;
  /**
   * Sets the written postmortem's properties that follow the incident (severity, start, resolution,
   * time to resolve and to acknowledge) to the draft's; never its body, which people edit. A
   * postmortem deleted since is left deleted.
   */
  refreshProperties(postmortem: WrittenPostmortem, draft: PostmortemDraft): Promise<void>;
}

/** Hands an incident's postmortem to the function that writes it (on AWS, a queue). */
export interface PostmortemRequests {
  request(issueId: string): Promise<void>;
}

/** A comment for the incident's Jira issue, posted once per marker. */
export interface IssueComment {
  /** Identifies the comment among the issue's comments, so a second run finds it instead of posting again. */
  readonly marker: string;
  readonly text: string;
  readonly link?: { readonly text: string; readonly url: string };
}

/** The team's issue tracker (Jira). */
export interface IssueTracker {
  /** Comments on the issue once per marker: a comment already carrying the marker is not posted again. */
  commentOnce(
    issueKey: string,
    comment: IssueComment,
  ): Promise<{ readonly commentId: string; readonly created: boolean }>;
}

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

/** The follow-up tickets Incident Flow opened, one per action item. */
export interface FollowUpStore {
  followUpOfItem(incidentIssueId: string, itemId: string): Promise<FollowUp | null>;
  /** Saves the follow-up as it is now (the latest write wins; one sync handles an item at a time). */
  saveFollowUp(followUp: FollowUp): Promise<void>;
  /** The follow-ups of one incident. */
  followUpsOfIncident(incidentIssueId: string): Promise<FollowUp[]>;
  /** Every follow-up still open: a query on an index, not a scan. */
  openFollowUps(): Promise<FollowUp[]>;
  /** The follow-ups opened, or done, in an ISO week ('2026-W47') of the team's time zone. */
  followUpsByWeek(week: string, by: 'opened' | 'done'): Promise<FollowUp[]>;
  /** The postmortems whose action items are still followed (their incident is not closed yet). */
  activePostmortems(): Promise<ActivePostmortem[]>;
  /** Records the postmortem page's Status as the sync last read it (Draft, Published…). */
  savePostmortemStatus(issueId: string, status: string | null): Promise<void>;
  /** Stops following a postmortem's action items (its incident is closed). */
  retirePostmortem(issueId: string): Promise<void>;
  /** An incident's folded state, by its issue id. */
  incidentState(issueId: string): Promise<IncidentState | null>;
}

/** A postmortem whose action items are followed, with its page's Status as last read. */
export interface ActivePostmortem {
  readonly issueId: string;
  readonly postmortem: WrittenPostmortem;
  readonly status: string | null;
}

/** A follow-up ticket to create in the team's tracker. */
export interface NewTicket {
  readonly summary: string;
  /** Plain paragraphs; links are written as their own runs. */
  readonly description: readonly (readonly { readonly text: string; readonly url?: string }[])[];
  readonly assigneeAccountId: string | null;
  readonly dueDate: string;
  /** The team's labels plus the item's marker label (see itemLabel). */
  readonly labels: readonly string[];
  /** The project to create it in (followUps.projectKey, else the incident's project). */
  readonly projectKey: string;
}

/** A ticket's state in the tracker. */
export interface TicketState {
  readonly key: string;
  readonly done: boolean;
  readonly status: string;
  readonly assigneeAccountId: string | null;
  readonly dueDate: string | null;
}

/**
 * Jira as the follow-up functions use it (REST API v3). Failures worth retrying later (429, 5xx) are
 * UpstreamUnavailableError; a refusal (400 field errors, 403) is an UpstreamRefusedError naming the setting to fix.
 */
export interface TicketTracker {
  /** The ticket carrying this marker label, if one exists (found by JQL after a crash). */
  findByLabel(label: string): Promise<TicketRef | null>;
  createTicket(ticket: NewTicket): Promise<TicketRef>;
  /** Changes the summary, assignee and due date of a ticket. */
  updateTicket(
    key: string,
    changes: Pick<NewTicket, 'summary' | 'assigneeAccountId' | 'dueDate'>,
  ): Promise<void>;
  /** Links the follow-up to its incident with the configured link type (default "Relates"). */
  linkToIncident(ticketKey: string, incidentKey: string): Promise<void>;
  /** The states of these tickets (any number; asked for in pages). */
  ticketStates(keys: readonly string[]): Promise<Map<string, TicketState>>;
  /** The Jira account with this email address, or null when none (or Jira hides emails). */
  accountIdByEmail(email: string): Promise<string | null>;
  /** Comments on an issue; `mention` puts an @mention of that account first, so Jira notifies them. */
  comment(key: string, text: string, mention?: { readonly accountId: string } | null): Promise<void>;
  /** Moves an issue to the named status through a transition leading there; false when none does. */
  transitionTo(key: string, statusName: string): Promise<boolean>;
}

/** The postmortem pages as the follow-up sync reads and annotates them (Notion, or Markdown locally). */
export interface PostmortemPages {
  /** The to-dos under the page's Action Items heading, nested ones included, in page order. */
  actionItems(pageId: string): Promise<ActionItem[]>;
  /** Writes the ticket's link into the item (after its text), and a note when there is one. */
  writeBack(itemId: string, ticket: TicketRef, note: string | null): Promise<void>;
  /** Checks (or unchecks) the item's to-do. */
  setChecked(itemId: string, checked: boolean): Promise<void>;
  /** The email of a workspace member, or null when the integration may not read it. */
  personEmail(userId: string): Promise<string | null>;
  /** The page's Status property (e.g. "Draft", "Published"), or null if it has none. */
  status(pageId: string): Promise<string | null>;
}

/** Structured log lines; never given a secret, a token or a contact. */
export interface Log {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}
