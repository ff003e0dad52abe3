import type { ActionItem, FollowUp, TicketRef } from '../domain/follow-ups.ts';
import type { IncidentState } from '../domain/timeline.ts';
import type { WrittenPostmortem } from './postmortems.ts';

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
  /** None for tickets that are not follow-ups (CI premortems, incidents). */
  readonly dueDate: string | null;
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
