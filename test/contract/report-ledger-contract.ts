import { describe, expect, it } from 'vitest';
import type { ReportLedger } from '#shared/ports.ts';

/** What every ReportLedger promises; run against the fake and the DynamoDB adapter alike. */
export function reportLedgerContract(name: string, makeLedger: () => Promise<ReportLedger>): void {
  describe(`${name} keeps the ReportLedger contract`, () => {
    it('knows no message of a week not sent, then the message recorded for it', async () => {
      const ledger = await makeLedger();
      const before = await ledger.sentMessageId('2026-W45');

      await ledger.recordSent('2026-W45', 'm-1');

      expect(before).toBeNull();
      expect(await ledger.sentMessageId('2026-W45')).toBe('m-1');
      expect(await ledger.sentMessageId('2026-W46')).toBeNull();
    });

    it('keeps the message of a week sent again', async () => {
      const ledger = await makeLedger();

      await ledger.recordSent('2026-W45', 'm-1');
      await ledger.recordSent('2026-W45', 'm-2');

      expect(await ledger.sentMessageId('2026-W45')).toBe('m-2');
    });
  });
}
