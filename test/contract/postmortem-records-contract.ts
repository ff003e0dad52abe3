import { describe, expect, it } from 'vitest';
import type { PostmortemRecords } from '#shared/ports.ts';

/** What every PostmortemRecords promises; run against the fake and the DynamoDB adapter alike. */
export function postmortemRecordsContract(name: string, make: () => Promise<PostmortemRecords>): void {
  describe(`${name} keeps the PostmortemRecords contract`, () => {
    it('keeps the first postmortem recorded for an incident', async () => {
      const store = await make();

      await store.recordPostmortem('pm1', { id: 'p-1', url: 'https://notion.so/p-1', created: true });
      await store.recordPostmortem('pm1', { id: 'p-2', url: 'https://notion.so/p-2', created: true });

      expect(await store.postmortemOf('pm1')).toEqual({
        id: 'p-1',
        url: 'https://notion.so/p-1',
        created: true,
      });
      expect(await store.postmortemOf('pm-unknown')).toBeNull();
    });

    it('keeps the fingerprint of the postmortem properties last written, the latest one winning', async () => {
      const store = await make();
      await store.recordPostmortem('pm2', { id: 'p-1', url: 'https://notion.so/p-1', created: true });
      const before = await store.postmortemPropertiesOf('pm2');

      await store.recordPostmortemProperties('pm2', '["SEV2",1000,2000]');
      await store.recordPostmortemProperties('pm2', '["SEV1",1000,5000]');

      expect(before).toBeNull();
      expect(await store.postmortemPropertiesOf('pm2')).toBe('["SEV1",1000,5000]');
      expect(await store.postmortemOf('pm2')).toEqual({
        id: 'p-1',
        url: 'https://notion.so/p-1',
        created: true,
      });
    });

    it('records no properties for an incident without a postmortem', async () => {
      const store = await make();

      await store.recordPostmortemProperties('pm-none', '["SEV2",1000,2000]');

      expect(await store.postmortemPropertiesOf('pm-none')).toBeNull();
      expect(await store.postmortemOf('pm-none')).toBeNull();
    });

    it('keeps the latest failure to write the postmortem', async () => {
      const store = await make();
      const before = await store.postmortemFailureOf('pm3');

      await store.recordPostmortemFailure('pm3', { error: 'Notion is down', atMs: 1_000 });
      await store.recordPostmortemFailure('pm3', { error: 'Notion refused the page', atMs: 2_000 });

      expect(before).toBeNull();
      expect(await store.postmortemFailureOf('pm3')).toEqual({
        error: 'Notion refused the page',
        atMs: 2_000,
      });
      expect(await store.postmortemFailureOf('pm-unknown')).toBeNull();
    });
  });
}
