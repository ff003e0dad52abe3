import { describe, expect, it } from 'vitest';
import type { DeliveryRecords } from '#shared/ports.ts';

/** What every DeliveryRecords promises; run against the fake and the DynamoDB adapter alike. */
export function deliveryRecordsContract(name: string, make: () => Promise<DeliveryRecords>): void {
  describe(`${name} keeps the DeliveryRecords contract`, () => {
    it('records each delivery once and gives them back oldest first', async () => {
      const store = await make();
      const delivery = (recipient: string, atMs: number) => ({
        notificationId: 'n1',
        group: 'manage-closely',
        channel: 'sms' as const,
        recipient,
        status: 'sent' as const,
        providerMessageId: `m-${recipient}`,
        error: null,
        atMs,
      });

      await store.recordDelivery('d1', delivery('Vera', 2));
      await store.recordDelivery('d1', delivery('Ada', 1));
      await store.recordDelivery('d1', { ...delivery('Ada', 3), providerMessageId: 'second' });

      expect(
        (await store.loadDeliveries('d1')).map((each) => `${each.recipient}:${each.providerMessageId}`),
      ).toEqual(['Ada:m-Ada', 'Vera:m-Vera']);
    });
  });
}
