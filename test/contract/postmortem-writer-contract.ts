import { describe, expect, it } from 'vitest';
import type { PostmortemDraft, PostmortemWriter } from '#shared/ports.ts';

const draftOf = (incidentKey: string): PostmortemDraft => ({
  incidentKey,
  title: `${incidentKey}: Checkout failing`,
  jiraUrl: `https://example.atlassian.net/browse/${incidentKey}`,
  severity: 'SEV2',
  incidentStartMs: Date.parse('2026-11-02T09:00:00.000Z'),
  resolvedAtMs: Date.parse('2026-11-02T10:52:00.000Z'),
  timeToResolve: '1h 52m',
  timeToAcknowledge: '4m',
  ownerEmail: null,
  blocks: [],
});

/** What every PostmortemWriter promises; run against the fake and the adapters alike. */
export function postmortemWriterContract(name: string, makeWriter: () => Promise<PostmortemWriter>): void {
  describe(`${name} keeps the PostmortemWriter contract`, () => {
    it("writes an incident's postmortem once and gives the same page back when asked again", async () => {
      const writer = await makeWriter();

      const first = await writer.write(draftOf('INC-42'));
      const again = await writer.write(draftOf('INC-42'));

      expect(first.created).toBe(true);
      expect(again).toEqual({ ...first, created: false });
    });

    it('writes each incident its own page', async () => {
      const writer = await makeWriter();

      const one = await writer.write(draftOf('INC-42'));
      const other = await writer.write(draftOf('INC-43'));

      expect(other.id).not.toBe(one.id);
      expect(other.url).not.toBe(one.url);
    });
  });
}
