import { describe, expect, it } from 'vitest';
import type { Delivery, SendIntent, SendLedger } from '#shared/ports.ts';

const intent = (overrides: Partial<SendIntent> = {}): SendIntent => ({
  intentId: 'i1#declaration@1#manage-closely',
  notificationId: 'i1#declaration@1#manage-closely',
  group: 'manage-closely',
  announcement: { kind: 'declaration', subject: '', momentMs: 1 },
  message: {
    kind: 'group',
    notificationId: 'i1#declaration@1#manage-closely',
    issueKey: 'INC-1',
    group: 'manage-closely',
    severity: 'SEV1',
    channels: ['sms', 'email'],
    subject: '[SEV1] INC-1 Checkout failing - declared',
    email: 'INC-1 was declared an incident.',
    sms: '[SEV1] INC-1 declared',
  },
  ownerId: 'run-a',
  claimedAtMs: 100,
  attempt: 1,
  state: 'sending',
  ...overrides,
});

const delivery = (channel: 'sms' | 'email'): Delivery => ({
  notificationId: 'i1#declaration@1#manage-closely',
  group: 'manage-closely',
  channel,
  recipient: 'topic:manage-closely',
  status: 'sent',
  providerMessageId: `m-${channel}`,
  error: null,
  atMs: 200,
});

/** What every SendLedger promises; run against the fake and the DynamoDB adapter alike. */
export function sendLedgerContract(name: string, makeLedger: () => Promise<SendLedger>): void {
  describe(`${name} keeps the SendLedger contract`, () => {
    it('lets one of two senders claim a message and tells the other it is taken', async () => {
      const ledger = await makeLedger();

      const outcomes = await Promise.all([
        ledger.claimSend('i1', intent({ ownerId: 'run-a' })),
        ledger.claimSend('i1', intent({ ownerId: 'run-b' })),
      ]);

      expect([...outcomes].sort()).toEqual(['claimed', 'taken']);
      expect((await ledger.loadDeliveryLog('i1')).intents).toHaveLength(1);
    });

    it('keeps the message of a claim until its deliveries are recorded, then marks it sent', async () => {
      const ledger = await makeLedger();
      await ledger.claimSend('i1', intent());

      const before = await ledger.loadDeliveryLog('i1');
      await ledger.finishSend('i1', intent().intentId, [delivery('sms'), delivery('email')]);
      const after = await ledger.loadDeliveryLog('i1');

      expect(before.intents[0]).toEqual(intent());
      expect(after.intents[0]).toEqual({ ...intent(), state: 'sent', message: null });
      expect(after.deliveries.map((each) => each.channel).sort()).toEqual(['email', 'sms']);
    });

    it('hands an abandoned claim to one new sender, once', async () => {
      const ledger = await makeLedger();
      await ledger.claimSend('i1', intent());

      const outcomes = await Promise.all([
        ledger.reclaimSend('i1', intent(), 'run-b', 500),
        ledger.reclaimSend('i1', intent(), 'run-c', 500),
      ]);
      const { intents } = await ledger.loadDeliveryLog('i1');

      expect([...outcomes].sort()).toEqual([false, true]);
      expect(intents[0]?.attempt).toBe(2);
      expect(intents[0]?.claimedAtMs).toBe(500);
      expect(['run-b', 'run-c']).toContain(intents[0]?.ownerId);
    });

    it('drops a claim only for its own sender, and never a sent one', async () => {
      const ledger = await makeLedger();
      await ledger.claimSend('i1', intent());
      await ledger.claimSend('i2', intent());
      await ledger.finishSend('i2', intent().intentId, [delivery('sms')]);

      await ledger.releaseSend('i1', intent().intentId, 'run-b');
      const kept = (await ledger.loadDeliveryLog('i1')).intents;
      await ledger.releaseSend('i1', intent().intentId, 'run-a');
      await ledger.releaseSend('i2', intent().intentId, 'run-a');

      expect(kept).toHaveLength(1);
      expect((await ledger.loadDeliveryLog('i1')).intents).toEqual([]);
      expect((await ledger.loadDeliveryLog('i2')).intents).toHaveLength(1);
    });

    it('lists a claim given up on as possibly sent', async () => {
      const ledger = await makeLedger();
      await ledger.claimSend('i1', intent());

      await ledger.markPossiblySent('i1', intent().intentId);

      expect((await ledger.loadDeliveryLog('i1')).intents[0]?.state).toBe('possibly-sent');
    });
  });
}
