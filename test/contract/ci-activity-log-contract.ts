import { describe, expect, it } from 'vitest';
import type { CiActivity } from '#shared/domain/ci-activity.ts';
import type { CiActivityLog } from '#shared/ports.ts';

const at = (iso: string) => Date.parse(iso);

const opened = (atMs: number, generation = 1): CiActivity => ({
  kind: 'failure-opened',
  streakKey: 'github:acme/shop:CI:main',
  generation,
  repository: 'acme/shop',
  workflow: 'CI',
  branch: 'main',
  atMs,
});

/** What every CiActivityLog promises; run against the fake and the DynamoDB adapter alike. */
export function ciActivityLogContract(name: string, makeLog: () => Promise<CiActivityLog>): void {
  describe(`${name} keeps the CiActivityLog contract`, () => {
    it('keeps an activity recorded twice once', async () => {
      const log = await makeLog();
      const activity = opened(at('2026-11-10T08:00:00Z'));

      await log.recordActivity(activity);
      await log.recordActivity({ ...activity });

      expect(await log.activityBetween(at('2026-11-10T00:00:00Z'), at('2026-11-11T00:00:00Z'))).toEqual([
        activity,
      ]);
    });

    it('lists the activities from the start of a range, up to but not at its end, oldest first', async () => {
      const log = await makeLog();
      const start = at('2026-11-09T00:00:00Z');
      const end = at('2026-11-16T00:00:00Z');
      const fix: CiActivity = {
        kind: 'fix-merged',
        incidentKey: 'OPS-7',
        changeId: 'github:acme/shop#12',
        title: 'Raise the pool size (OPS-7)',
        author: 'sam',
        url: 'https://github.com/acme/shop/pull/12',
        atMs: at('2026-11-12T10:00:00Z'),
      };
      const green: CiActivity = {
        kind: 'green-again',
        streakKey: 'github:acme/shop:CI:main',
        generation: 1,
        repository: 'acme/shop',
        workflow: 'CI',
        branch: 'main',
        failingSinceMs: start - 1,
        atMs: start,
      };
      await log.recordActivity(opened(start - 1, 1));
      await log.recordActivity(fix);
      await log.recordActivity(green);
      await log.recordActivity(opened(end, 3));
      await log.recordActivity(opened(end - 1, 2));

      const listed = await log.activityBetween(start, end);

      expect(listed).toEqual([green, fix, opened(end - 1, 2)]);
    });

    it('lists a range that spans two months', async () => {
      const log = await makeLog();
      await log.recordActivity(opened(at('2026-11-30T23:00:00Z'), 1));
      await log.recordActivity(opened(at('2026-12-01T01:00:00Z'), 2));

      const listed = await log.activityBetween(at('2026-11-30T00:00:00Z'), at('2026-12-07T00:00:00Z'));

      expect(listed.map((activity) => activity.atMs)).toEqual([
        at('2026-11-30T23:00:00Z'),
        at('2026-12-01T01:00:00Z'),
      ]);
    });
  });
}
