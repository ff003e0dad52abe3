import type { Severity } from './lifecycle.ts';

/** The hint the built-in outline puts in its one empty to-do: not an action item until someone writes one. */
export const ACTION_ITEM_HINT = 'owner as @mention, deadline as a date';

/** Who an action item names as its owner: a Notion person (by id), or a name written as @name locally. */
export type ItemOwner =
  | { readonly kind: 'notion-user'; readonly userId: string; readonly name: string | null }
  | { readonly kind: 'name'; readonly name: string };

/** The ticket an item already points to (written back into it by an earlier sync). */
export interface TicketRef {
  readonly key: string;
  readonly url: string;
}

/**
 * One to-do under a postmortem's Action Items: its identity (the Notion block id, or the local
 * Markdown item's id), its text without the owner and the date, who owns it and by when.
 */
export interface ActionItem {
  readonly itemId: string;
  readonly summary: string;
  readonly owner: ItemOwner | null;
  /** The deadline the item names (a date mention, or YYYY-MM-DD locally), as a calendar day. */
  readonly dueDate: string | null;
  readonly checked: boolean;
  /** The ticket link written back into the item, if any. */
  readonly ticket: TicketRef | null;
}

/** What became of an action item in Jira, kept by Incident Flow: one per item, created once. */
export interface FollowUp {
  readonly itemId: string;
  readonly incidentIssueId: string;
  readonly incidentKey: string;
  readonly ticketKey: string;
  readonly ticketUrl: string;
  readonly summary: string;
  /** The owner's Jira account, or null when the item named none that Jira knows (then it is flagged). */
  readonly assigneeAccountId: string | null;
  /** How the owner reads in lists: the Notion person's name, the @name, or the fallback assignee. */
  readonly ownerName: string | null;
  /** True when no Jira account was found for the item's owner: assigned to the incident's assignee. */
  readonly ownerUnresolved: boolean;
  readonly dueDate: string;
  /** Whether the due date came from the item or from the severity's default. */
  readonly dueDateSource: 'item' | 'severity-default';
  readonly state: 'open' | 'done';
  readonly createdAtMs: number;
  readonly doneAtMs: number | null;
  /** The item's text, owner and date as last synced: a change updates the ticket. */
  readonly fingerprint: string;
  /** Whether the ticket's link is in the item (the Notion or Markdown write-back went through). */
  readonly writtenBack: boolean;
  /** Set once the item was removed from the postmortem (and the ticket told so). */
  readonly itemRemovedAtMs: number | null;
  readonly lastReminderAtMs: number | null;
  readonly earlyReminderSent: boolean;
}

/** Days until a follow-up is due when its item names no date, by the incident's severity. */
export const DEFAULT_DUE_DAYS: Readonly<Record<Severity, number>> = { SEV1: 7, SEV2: 14, SEV3: 30, SEV4: 60 };

/** An item's text, owner and date as one string: when it changes, the ticket is updated. */
export function fingerprintOf(item: ActionItem): string {
  const owner = item.owner === null ? '' : item.owner.kind === 'name' ? item.owner.name : item.owner.userId;
  return JSON.stringify([item.summary, owner, item.dueDate]);
}

/** A calendar day `days` after a day, as YYYY-MM-DD (no time zone: both are calendar days). */
export function addDays(day: string, days: number): string {
  const ms = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD. */
export function dayIn(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Whole days from one calendar day to another (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The marker label that finds an item's ticket again after a crash: derived from the item's id. */
export function itemLabel(itemId: string): string {
  return `incident-flow-item-${itemId.replaceAll('-', '').toLowerCase()}`;
}
