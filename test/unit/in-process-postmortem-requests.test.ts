import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import type { IssueTracker } from '#shared/ports.ts';
import {
  createInProcessPostmortemRequests,
  POSTMORTEM_RETRY_MS,
} from '#shared/use-cases/write-postmortem-in-process.ts';
import { reopenedLifecycle, settingsWith, T0 } from '../builders.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { createRecordingPostmortemWriter } from '../fakes/recording-postmortem-writer.ts';

const NOW = T0 + 4 * 3_600_000;

describe('the postmortem queue of local mode', () => {
  it('runs a request again when the link comment failed after the page was written, as SQS redelivers', async () => {
    const store = createInMemoryEventStore();
    await store.append(reopenedLifecycle());
    let attempts = 0;
    const comments: string[] = [];
    const tracker: IssueTracker = {
      commentOnce: async (issueKey, comment) => {
        attempts += 1;
        if (attempts === 1) throw new Error('the Jira outbox is not writable');
        comments.push(`${issueKey}: ${comment.link?.url}`);
        return { commentId: 'c1', created: true };
      },
    };
    const retries: { atMs: number; retry: () => Promise<void> }[] = [];
    const requests = createInProcessPostmortemRequests({
      store,
      settings: settingsWith(),
      nowMs: () => NOW,
      log: silentLog,
      writer: createRecordingPostmortemWriter(),
      ownAccountId: null,
      tracker,
      retryAt: (atMs, retry) => void retries.push({ atMs, retry }),
    });

    await requests.request('10001');
    const afterFailure = { comments: [...comments], retries: retries.map((entry) => entry.atMs) };
    await retries[0]?.retry();

    expect(afterFailure).toEqual({ comments: [], retries: [NOW + POSTMORTEM_RETRY_MS] });
    expect(await store.postmortemOf('10001')).not.toBeNull();
    expect(comments).toEqual(['INC-1: https://notion.so/INC-1']);
    expect(retries).toHaveLength(1);
  });
});
