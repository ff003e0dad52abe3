import { UpstreamUnavailableError } from '#shared/errors.ts';
import type { Delivery, GroupMessage, Notifier, PageMessage } from '#shared/ports.ts';

/** How the recording notifier behaves: its clock, the calls that fail, how long a send takes. */
export interface RecordingNotifierOptions {
  readonly nowMs?: () => number;
  /** Which calls (counted from 1, group messages and pages alike) fail as an SNS outage does. */
  readonly failOnCalls?: readonly number[];
  /** Gives way this long before each group message, as a real publish does, so concurrent folds interleave. */
  readonly latencyMs?: number;
}

/**
 * A notifier that delivers every message to its group's topic, as SNS does, and records what it was
 * asked to send: a group message by its notification id, a page by its notification id and recipient.
 */
export function createRecordingNotifier(
  options: RecordingNotifierOptions = {},
): Notifier & { readonly sent: string[] } {
  const sent: string[] = [];
  const nowMs = options.nowMs ?? (() => 0);
  let calls = 0;
  const call = () => {
    calls += 1;
    if (options.failOnCalls?.includes(calls)) throw new UpstreamUnavailableError('Throttling');
  };
  const delivery = (
    notificationId: string,
    group: string,
    channel: Delivery['channel'],
    recipient: string,
  ): Delivery => ({
    notificationId,
    group,
    channel,
    recipient,
    status: 'sent',
    providerMessageId: `m-${sent.length}`,
    error: null,
    atMs: nowMs(),
  });
  return {
    sent,
    async notifyGroup(message: GroupMessage) {
      if (options.latencyMs !== undefined)
        await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      call();
      sent.push(message.notificationId);
      const channel = message.channels[0] ?? 'email';
      return [delivery(message.notificationId, message.group, channel, `topic:${message.group}`)];
    },
    async page(message: PageMessage) {
      call();
      sent.push(`${message.notificationId}#${message.recipient.name}`);
      return delivery(message.notificationId, 'page', 'sms', message.recipient.name);
    },
  };
}
