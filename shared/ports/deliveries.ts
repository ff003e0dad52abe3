import type { Announcement } from '../domain/notification-plan.ts';
import type { Delivery, GroupMessage, PageMessage } from './notifications.ts';

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

/** Deliveries recorded without a claim (the follow-up reminders), in the incident's delivery log. */
export interface DeliveryRecords {
  /** Every message sent (or found undeliverable) about an incident, oldest first. */
  loadDeliveries(issueId: string): Promise<Delivery[]>;
  /** Records what became of one message, once per notification, channel and recipient. */
  recordDelivery(issueId: string, delivery: Delivery): Promise<void>;
}
