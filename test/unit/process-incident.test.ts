import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { postmortemDueSinceMs } from '#shared/domain/postmortem-policy.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { foldIncident, reachedStageSinceMs } from '#shared/domain/timeline.ts';
import type { PostmortemWriter } from '#shared/ports.ts';
import { processIncident } from '#shared/use-cases/process-incident.ts';
import { postmortemPropertiesFingerprint } from '#shared/use-cases/write-postmortem.ts';
import {
  createInProcessPostmortemRequests,
  POSTMORTEM_RETRY_MS,
} from '#shared/use-cases/write-postmortem-in-process.ts';
import { incident, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';
import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { createRecordingNotifier } from '../fakes/recording-notifier.ts';
import { createRecordingPostmortemRequests } from '../fakes/recording-postmortem-requests.ts';
import { createRecordingPostmortemWriter } from '../fakes/recording-postmortem-writer.ts';
import { createRecordingRecheckScheduler } from '../fakes/recording-recheck-scheduler.ts';

const NOW = T0 + 4 * 3_600_000;

function setup(writer: PostmortemWriter) {
  const store = createInMemoryEventStore();
  const recheck = createRecordingRecheckScheduler();
  const notifier = createRecordingNotifier({ nowMs: () => NOW });
  const { sent } = notifier;
  const deps = (postmortemWriter: PostmortemWriter) => {
    const base = {
      store,
      settings: settingsWith(),
      nowMs: () => NOW,
      log: silentLog,
      recheck,
    };
    return {
      ...base,
      notifications: { notifier, directory: async () => DEMO_DIRECTORY },
      postmortemRequests: createInProcessPostmortemRequests({
        ...base,
        writer: postmortemWriter,
        ownAccountId: null,
      }),
    };
  };
  return { store, sent, rechecks: recheck.rechecks, deps: deps(writer), depsWith: deps };
}

const notionDown: PostmortemWriter = {
  write: async () => {
    throw new Error('Notion refused the page: share the postmortem database with the integration');
  },
  refreshProperties: async () => {},
};

describe('processing an incident while Notion refuses', () => {
  it('still notifies, records why the postmortem is pending, and tries again later', async () => {
    const { store, sent, rechecks, deps } = setup(notionDown);
    await store.append(reopenedLifecycle());

    await processIncident('10001', deps);

    expect(sent.length).toBeGreaterThan(0);
    expect(await store.postmortemFailureOf('10001')).toEqual({
      error: expect.stringMatching(/share the postmortem database/),
      atMs: NOW,
    });
    expect(rechecks.map((each) => each.atMs)).toContain(NOW + POSTMORTEM_RETRY_MS);
  });

  it('writes the postmortem on the retry once Notion is back, and sends nothing twice', async () => {
    const { store, sent, deps, depsWith } = setup(notionDown);
    await store.append(reopenedLifecycle());
    await processIncident('10001', deps);
    const before = sent.length;

    await processIncident('10001', depsWith(createRecordingPostmortemWriter()));

    expect(await store.postmortemOf('10001')).toEqual({
      id: 'p1',
      url: 'https://notion.so/INC-1',
      created: true,
    });
    expect(sent).toHaveLength(before);
  });
});

/** The reopened incident stored, with the processor asking a recorded queue for postmortems. */
async function awsSetup() {
  const store = createInMemoryEventStore();
  await store.append(reopenedLifecycle());
  const postmortemRequests = createRecordingPostmortemRequests();
  const deps = {
    store,
    settings: settingsWith(),
    nowMs: () => NOW,
    log: silentLog,
    postmortemRequests,
  };
  return { store, requested: postmortemRequests.requested, deps };
}

/** What the writer function records: the page, and the properties it wrote for the incident as it is. */
async function recordAsTheWriterDoes(store: ReturnType<typeof createInMemoryEventStore>) {
  await store.recordPostmortem('10001', { id: 'p1', url: 'https://notion.so/p1', created: true });
  const [written] = await store.listStates();
  if (!written) throw new Error('no state');
  await store.recordPostmortemProperties('10001', postmortemPropertiesFingerprint(written));
}

describe('processing an incident on AWS, where a function of its own writes postmortems', () => {
  it('asks for the postmortem of a resolved incident until one is recorded', async () => {
    const { store, requested, deps } = await awsSetup();

    await processIncident('10001', deps);
    await recordAsTheWriterDoes(store);
    await processIncident('10001', deps);

    expect(requested).toEqual(['10001']);
  });

  it('asks again after a reopen and a new resolution, for the page’s properties to follow', async () => {
    const { store, requested, deps } = await awsSetup();
    await processIncident('10001', deps);
    await recordAsTheWriterDoes(store);
    const inc = incident('10001');

    await store.append([inc.move(11, 160, 'Postmortem', 'Investigating')]);
    await processIncident('10001', deps);
    await store.append([inc.move(12, 200, 'Investigating', 'Resolved')]);
    await processIncident('10001', deps);

    // Once at first, not while reopened (nothing to write), once after the new resolution.
    expect(requested).toEqual(['10001', '10001']);
  });
});

describe('the postmortem trigger', () => {
  it('waits for postmortem.triggerStage when a team sets one: written on entering it, not on resolution', async () => {
    const store = createInMemoryEventStore();
    const writer = createRecordingPostmortemWriter();
    const { written } = writer;
    const base = {
      store,
      settings: settingsWith({ postmortem: { triggerStage: 'analysis' } }),
      nowMs: () => NOW,
      log: silentLog,
    };
    const deps = {
      ...base,
      postmortemRequests: createInProcessPostmortemRequests({
        ...base,
        writer,
        ownAccountId: null,
      }),
    };
    const inc = incident('10001');
    await store.append([
      inc.created(),
      inc.move(1, 4, 'Detected', 'Declared'),
      inc.move(2, 58, 'Declared', 'Resolved'),
    ]);

    await processIncident('10001', deps);
    const whenResolved = [...written];
    await store.append([inc.move(3, 150, 'Resolved', 'Postmortem')]);
    await processIncident('10001', deps);

    expect(whenResolved).toEqual([]);
    expect(written).toEqual(['INC-1']);
  });

  it('is due since the incident last reached the stage, and not after going back before it', () => {
    const settings = settingsWith();
    const inc = incident('10001');
    const reopened = foldIncident(reopenedLifecycle(), settings);
    const stillOpen = foldIncident([inc.created(), inc.move(1, 4, 'Detected', 'Declared')], settings);
    if (!reopened || !stillOpen) throw new Error('no state');

    expect(postmortemDueSinceMs(reopened, settings)).toBe(reopened.resolvedAtMs);
    expect(postmortemDueSinceMs(stillOpen, settings)).toBeNull();
    expect(reachedStageSinceMs(reopened, 'mitigation')).toBe(T0 + 95 * 60_000);
  });
});
