import { type Directory, recipientsOf } from '#shared/domain/stakeholder-directory.ts';
import type { Delivery, GroupMessage, Notifier, PageMessage, SendLedger } from '#shared/ports.ts';

/** One message as a person received it. */
export interface Received {
  readonly notificationId: string;
  readonly group: string;
  readonly channel: 'email' | 'sms';
  readonly recipient: string;
  readonly subject: string | null;
  readonly text: string;
}

/**
 * A notifier that fans each group message out to the directory's members, as the group's SNS topic or
 * the local outbox does, and keeps every message received.
 */
export function createFanOutNotifier(
  directory: Directory,
  options: { readonly nowMs?: () => number } = {},
): Notifier & { readonly received: Received[] } {
  const received: Received[] = [];
  const nowMs = options.nowMs ?? (() => 0);
  const delivery = (entry: Received): Delivery => ({
    notificationId: entry.notificationId,
    group: entry.group,
    channel: entry.channel,
    recipient: entry.recipient,
    status: 'sent',
    providerMessageId: `msg-${received.length}`,
    error: null,
    atMs: nowMs(),
  });
  return {
    received,
    async notifyGroup(message: GroupMessage) {
      const deliveries: Delivery[] = [];
      for (const channel of message.channels) {
        for (const member of recipientsOf(directory, message.group, channel, message.severity)) {
          const entry: Received = {
            notificationId: message.notificationId,
            group: message.group,
            channel,
            recipient: member.name,
            subject: channel === 'email' ? message.subject : null,
            text: channel === 'email' ? message.email : message.sms,
          };
          received.push(entry);
          deliveries.push(delivery(entry));
        }
      }
      return deliveries;
    },
    async page(message: PageMessage) {
      const entry: Received = {
        notificationId: message.notificationId,
        group: 'page',
        channel: 'sms',
        recipient: message.recipient.name,
        subject: null,
        text: message.sms,
      };
      received.push(entry);
      return delivery(entry);
    },
  };
}

/** What a crash injected between a send and its record throws: the process "died" there. */
export class SimulatedCrash extends Error {
  constructor(call: number) {
    super(`simulated crash before recording send ${call}`);
    this.name = 'SimulatedCrash';
  }
}

/**
 * The store with a crash injected between a send and its record: the `crashAt`-th result to record
 * throws instead, as a process killed right after the provider answered would leave it.
 */
export function crashingBeforeRecord<T extends SendLedger>(store: T, crashAt: (call: number) => boolean): T {
  let calls = 0;
  const finishSend: SendLedger['finishSend'] = async (issueId, intentId, deliveries) => {
    calls += 1;
    if (crashAt(calls)) throw new SimulatedCrash(calls);
    return store.finishSend(issueId, intentId, deliveries);
  };
  return Object.assign(Object.create(store) as T, store, { finishSend });
}
