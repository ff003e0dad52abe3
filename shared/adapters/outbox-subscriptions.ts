import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Directory, recipientsOf } from '../domain/stakeholder-directory.ts';
import { maskEmail } from '../domain/subscription-request.ts';
import type { Subscriptions } from '../ports.ts';
import type { OutboxEntry } from './outbox-notifier.ts';

/** The subject of the email SNS sends to confirm a subscription. */
export const CONFIRMATION_SUBJECT = 'AWS Notification - Subscription Confirmation';

/**
 * The subscriptions of local mode: the keep-satisfied members of the directory get the updates already;
 * any other address gets, instead of SNS's confirmation email, a line in the outbox (DATA_DIR/outbox.jsonl)
 * addressed to it, announced with the address masked.
 */
export function createOutboxSubscriptions(
  path: string,
  options: { directory: Directory; nowMs: () => number; announce?: (line: string) => void },
): Subscriptions {
  mkdirSync(dirname(path), { recursive: true });
  return {
    async subscribe(email) {
      const wanted = email.toLowerCase();
      const members = recipientsOf(options.directory, 'keep-satisfied', 'email', null);
      if (members.some((member) => member.email?.toLowerCase() === wanted)) {
        options.announce?.(`outbox: ${maskEmail(email)} already gets the keep-satisfied updates`);
        return 'already-subscribed';
      }
      const entry: OutboxEntry = {
        outboxId: `subscription-${randomUUID()}`,
        notificationId: 'subscription-confirmation',
        issueKey: '',
        group: 'keep-satisfied',
        channel: 'email',
        recipient: { name: 'subscriber', address: email },
        subject: CONFIRMATION_SUBJECT,
        text: 'You asked for the status page updates by email. On AWS, SNS sends this confirmation with its link; locally nothing is sent.',
        atMs: options.nowMs(),
      };
      // A process killed while appending leaves a torn last line: this line starts on its own.
      const existing = existsSync(path) ? readFileSync(path, 'utf8') : '';
      const start = existing !== '' && !existing.endsWith('\n') ? '\n' : '';
      appendFileSync(path, `${start}${JSON.stringify(entry)}\n`);
      options.announce?.(`outbox: subscription confirmation for ${maskEmail(email)} (keep-satisfied)`);
      return 'pending-confirmation';
    },
  };
}
