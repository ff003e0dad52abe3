import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Channel } from '../domain/notification-policy.ts';
import { plural } from '../domain/plural.ts';
import { addressOf, type Directory, recipientsOf } from '../domain/stakeholder-directory.ts';
import type { Delivery, Notifier } from '../ports.ts';

/** A line of the local outbox: one message to one person, as SNS would have delivered it. */
export interface OutboxEntry {
  readonly outboxId: string;
  readonly notificationId: string;
  readonly issueKey: string;
  readonly group: string;
  readonly channel: Channel;
  readonly recipient: { readonly name: string; readonly address: string };
  readonly subject: string | null;
  readonly text: string;
  readonly atMs: number;
}

/**
 * The notifier of local mode: each message is appended to a JSON-lines outbox (DATA_DIR/outbox.jsonl)
 * instead of being sent, one line per recipient and channel as the group's SNS topic would fan it
 * out, and announced in one line that names the group, never an address.
 */
export function createOutboxNotifier(
  path: string,
  options: { directory: Directory; nowMs: () => number; announce?: (line: string) => void },
): Notifier {
  mkdirSync(dirname(path), { recursive: true });
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : '';
  // A process killed while appending leaves a torn last line: the next line starts on its own.
  if (existing !== '' && !existing.endsWith('\n')) appendFileSync(path, '\n');
  let sequence = existing.split('\n').filter(Boolean).length;

  function write(entry: Omit<OutboxEntry, 'outboxId' | 'atMs'>): Delivery {
    sequence += 1;
    const atMs = options.nowMs();
    const line: OutboxEntry = { ...entry, outboxId: `outbox-${sequence}`, atMs };
    appendFileSync(path, `${JSON.stringify(line)}\n`);
    return {
      notificationId: entry.notificationId,
      group: entry.group,
      channel: entry.channel,
      recipient: entry.recipient.name,
      status: 'sent',
      providerMessageId: line.outboxId,
      error: null,
      atMs,
    };
  }

  return {
    async notifyGroup(message) {
      const deliveries: Delivery[] = [];
      for (const channel of message.channels) {
        const members = recipientsOf(options.directory, message.group, channel, message.severity);
        for (const member of members) {
          deliveries.push(
            write({
              notificationId: message.notificationId,
              issueKey: message.issueKey,
              group: message.group,
              channel,
              recipient: { name: member.name, address: addressOf(member, channel) ?? '' },
              subject: channel === 'email' ? message.subject : null,
              text: channel === 'email' ? message.email : message.sms,
            }),
          );
        }
      }
      if (deliveries.length > 0)
        options.announce?.(
          `outbox: ${message.group} (${plural(deliveries.length, 'message')}) about ${message.issueKey}: ${message.subject}`,
        );
      return deliveries;
    },
    async page(message) {
      options.announce?.(`outbox: page by SMS about ${message.issueKey}`);
      return write({
        notificationId: message.notificationId,
        issueKey: message.issueKey,
        group: 'page',
        channel: 'sms',
        recipient: { name: message.recipient.name, address: message.recipient.phone },
        subject: null,
        text: message.sms,
      });
    },
  };
}

/** The outbox, newest first, optionally for one incident; a line torn by a killed process is skipped. */
export function readOutbox(path: string, issueKey?: string): OutboxEntry[] {
  if (!existsSync(path)) return [];
  const entries = readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line): OutboxEntry[] => {
      try {
        return [JSON.parse(line) as OutboxEntry];
      } catch {
        return [];
      }
    });
  return entries.filter((entry) => issueKey === undefined || entry.issueKey === issueKey).reverse();
}
