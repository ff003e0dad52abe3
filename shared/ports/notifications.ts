import type { Severity } from '../domain/lifecycle.ts';
import type { Channel, Group } from '../domain/notification-policy.ts';

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
