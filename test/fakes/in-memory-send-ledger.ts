import type { Delivery, SendIntent, SendLedger } from '#shared/ports.ts';

/** The delivery log in memory, with the same contract as the DynamoDB adapter (test/contract). */
export function createInMemorySendLedger(
  deliveries: Map<string, Delivery & { issueId: string }>,
): SendLedger {
  const intents = new Map<string, SendIntent>();
  const clone = <T>(value: T): T => structuredClone(value);
  const keyOf = (issueId: string, intentId: string) => `${issueId}|${intentId}`;
  return {
    async loadDeliveryLog(issueId) {
      return {
        intents: [...intents.entries()]
          .filter(([key]) => key.startsWith(`${issueId}|`))
          .map(([, intent]) => clone(intent)),
        deliveries: [...deliveries.values()]
          .filter((delivery) => delivery.issueId === issueId)
          .map(({ issueId: _issueId, ...delivery }) => clone(delivery))
          .sort((a, b) => a.atMs - b.atMs),
      };
    },
    async claimSend(issueId, intent) {
      const key = keyOf(issueId, intent.intentId);
      if (intents.has(key)) return 'taken';
      intents.set(key, clone(intent));
      return 'claimed';
    },
    async reclaimSend(issueId, previous, ownerId, atMs) {
      const key = keyOf(issueId, previous.intentId);
      const current = intents.get(key);
      const isStillAsLeft =
        current?.state === 'sending' &&
        current.ownerId === previous.ownerId &&
        current.attempt === previous.attempt;
      if (!current || !isStillAsLeft) return false;
      intents.set(key, { ...current, ownerId, claimedAtMs: atMs, attempt: current.attempt + 1 });
      return true;
    },
    async finishSend(issueId, intentId, sent) {
      for (const delivery of sent) {
        const key = `${issueId}|${delivery.notificationId}#${delivery.channel}#${delivery.recipient}`;
        if (!deliveries.has(key)) deliveries.set(key, { ...clone(delivery), issueId });
      }
      const key = keyOf(issueId, intentId);
      const current = intents.get(key);
      if (current) intents.set(key, { ...current, state: 'sent', message: null });
    },
    async releaseSend(issueId, intentId, ownerId) {
      const key = keyOf(issueId, intentId);
      const current = intents.get(key);
      if (current?.ownerId === ownerId && current.state === 'sending') intents.delete(key);
    },
    async markPossiblySent(issueId, intentId) {
      const key = keyOf(issueId, intentId);
      const current = intents.get(key);
      if (current) intents.set(key, { ...current, state: 'possibly-sent' });
    },
  };
}
