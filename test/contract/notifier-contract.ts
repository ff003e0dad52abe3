import { describe, expect, it } from 'vitest';
import type { GroupMessage, Notifier, PageMessage } from '#shared/ports.ts';

const update: GroupMessage = {
  notificationId: 'INC-1#declaration@1#manage-closely',
  issueKey: 'INC-1',
  group: 'manage-closely',
  severity: 'SEV1',
  channels: ['email', 'sms'],
  subject: '[SEV1] INC-1 declared: Checkout failing',
  email: 'INC-1 was declared SEV1.',
  sms: 'SEV1 INC-1 declared',
};

const page: PageMessage = {
  notificationId: 'INC-1#page#Lee',
  issueKey: 'INC-1',
  recipient: { name: 'Lee', phone: '+15555550199' },
  sms: 'You are paged: SEV1 INC-1 Checkout failing',
};

/**
 * What every Notifier promises when the provider accepts, whatever it fans out to (an SNS topic, the
 * local outbox's members); run against the fakes and the adapters alike.
 */
export function notifierContract(name: string, makeNotifier: () => Promise<Notifier>): void {
  describe(`${name} keeps the Notifier contract`, () => {
    it("delivers a group update under its notification id and group, on the message's channels only", async () => {
      const notifier = await makeNotifier();

      const deliveries = await notifier.notifyGroup({ ...update, channels: ['email'] });

      expect(deliveries.length).toBeGreaterThan(0);
      for (const delivery of deliveries) {
        expect(delivery).toMatchObject({
          notificationId: update.notificationId,
          group: 'manage-closely',
          channel: 'email',
          status: 'sent',
          error: null,
        });
      }
    });

    it('pages one person by SMS, naming them and the page', async () => {
      const notifier = await makeNotifier();

      const delivery = await notifier.page(page);

      expect(delivery).toMatchObject({
        notificationId: page.notificationId,
        group: 'page',
        channel: 'sms',
        recipient: 'Lee',
        status: 'sent',
        error: null,
      });
    });
  });
}
