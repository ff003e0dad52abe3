import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createOutboxNotifier } from '#shared/adapters/outbox-notifier.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { notifierContract } from '../contract/notifier-contract.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-outbox-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
let outboxes = 0;

notifierContract('the outbox notifier', async () => {
  outboxes += 1;
  return createOutboxNotifier(join(dataDir, `outbox-${outboxes}.jsonl`), {
    directory: DEMO_DIRECTORY,
    nowMs: () => 0,
    announce: () => {},
  });
});
