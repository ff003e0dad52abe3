import type { Delivery, DeliveryRecords } from '#shared/ports.ts';

/**
 * Deliveries recorded without a claim, in memory, with the DynamoDB adapter's contract (test/contract);
 * `deliveries` is the log it shares with the send ledger, as the two share the table's rows.
 */
export function createInMemoryDeliveryRecords(
  deliveries: Map<string, Delivery & { issueId: string }> = new Map(),
): DeliveryRecords {
  const clone = <T>(value: T): T => structuredClone(value);
  return {
    async loadDeliveries(issueId) {
      return [...deliveries.values()]
        .filter((delivery) => delivery.issueId === issueId)
        .map(({ issueId: _issueId, ...delivery }) => clone(delivery))
        .sort((a, b) => a.atMs - b.atMs);
    },
    async recordDelivery(issueId, delivery) {
      const key = `${issueId}|${delivery.notificationId}#${delivery.channel}#${delivery.recipient}`;
      if (!deliveries.has(key)) deliveries.set(key, { ...clone(delivery), issueId });
    },
  };
}
