import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createLocalIssueTracker } from '#shared/adapters/local-issue-tracker.ts';
import { issueTrackerContract } from '../contract/issue-tracker-contract.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-jira-outbox-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
let files = 0;

issueTrackerContract('the local issue tracker', async () => {
  files += 1;
  return createLocalIssueTracker(join(dataDir, `jira-outbox-${files}.jsonl`), () => 0);
});
