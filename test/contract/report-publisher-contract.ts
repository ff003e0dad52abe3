import { describe, expect, it } from 'vitest';
import type { ReportPublisher } from '#shared/ports.ts';

/** What every ReportPublisher promises; run against the fake and the SNS adapter alike. */
export function reportPublisherContract(name: string, make: () => Promise<ReportPublisher>): void {
  describe(`${name} keeps the ReportPublisher contract`, () => {
    it('publishes a report and answers the id of its message, each report its own', async () => {
      const publisher = await make();

      const first = await publisher.publish(
        'Incidents, week 47 (Nov 16-22): 3 opened',
        'INC-1 Checkout failing',
      );
      const second = await publisher.publish('Incidents, week 48 (Nov 23-29): 1 opened', 'INC-2 Search slow');

      expect(first.messageId).not.toBe('');
      expect(second.messageId).not.toBe('');
      expect(second.messageId).not.toBe(first.messageId);
    });
  });
}
