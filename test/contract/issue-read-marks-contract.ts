import { describe, expect, it } from 'vitest';
import type { IssueReadMarks } from '#shared/ports.ts';

/** What every IssueReadMarks promises; run against the fake and the DynamoDB adapter alike. */
export function issueReadMarksContract(name: string, make: () => Promise<IssueReadMarks>): void {
  describe(`${name} keeps the IssueReadMarks contract`, () => {
    it('has no mark of an issue never read in full, then the latest mark saved for it', async () => {
      const marks = await make();
      const before = await marks.readInFullAt('10001');

      await marks.saveReadInFull('10001', { updatedMs: 1_000, newestHistoryId: '10100' });
      await marks.saveReadInFull('10001', { updatedMs: 2_000, newestHistoryId: '10200' });

      expect(before).toBeNull();
      expect(await marks.readInFullAt('10001')).toEqual({ updatedMs: 2_000, newestHistoryId: '10200' });
    });

    it('keeps the mark of each issue apart, an issue with no changelog yet included', async () => {
      const marks = await make();

      await marks.saveReadInFull('10001', { updatedMs: 1_000, newestHistoryId: '10100' });
      await marks.saveReadInFull('10002', { updatedMs: 1_500, newestHistoryId: null });

      expect(await marks.readInFullAt('10001')).toEqual({ updatedMs: 1_000, newestHistoryId: '10100' });
      expect(await marks.readInFullAt('10002')).toEqual({ updatedMs: 1_500, newestHistoryId: null });
      expect(await marks.readInFullAt('10003')).toBeNull();
    });
  });
}
