import type { ReportLedger } from '#shared/ports.ts';

/** The ledger of sent weekly reports in memory, with the DynamoDB adapter's contract (test/contract). */
export function createInMemoryReportLedger(): ReportLedger {
  const sent = new Map<string, string>();
  return {
    sentMessageId: async (weekId) => sent.get(weekId) ?? null,
    async recordSent(weekId, messageId) {
      sent.set(weekId, messageId);
    },
  };
}
