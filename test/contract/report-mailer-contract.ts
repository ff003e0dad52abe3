import { describe, expect, it } from 'vitest';
import type { ReportEmail } from '#shared/domain/weekly-report-email.ts';
import type { ReportMailer } from '#shared/ports.ts';

const emailOf = (weekId: string): ReportEmail => ({
  weekId,
  subject: `Incidents, ${weekId}: 3 opened`,
  text: 'INC-1 Checkout failing ▁▂▃',
  html: '<html lang="en"><body><p>INC-1 Checkout failing</p></body></html>',
});

/** What every ReportMailer promises; run against each mailer that can run here (the .eml outbox). */
export function reportMailerContract(name: string, make: () => Promise<ReportMailer>): void {
  describe(`${name} keeps the ReportMailer contract`, () => {
    it("sends a week's email and answers the id of its message, each week's its own", async () => {
      const mailer = await make();

      const first = await mailer.send(emailOf('2026-W47'));
      const second = await mailer.send(emailOf('2026-W48'));

      expect(first.messageId).not.toBe('');
      expect(second.messageId).not.toBe('');
      expect(second.messageId).not.toBe(first.messageId);
    });
  });
}
