import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createEmlReportMailer } from '#shared/adapters/eml-report-mailer.ts';
import { reportMailerContract } from '../contract/report-mailer-contract.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-outbox-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
let dirs = 0;

// SES has no simulator in test/simulators, so the SES adapter is not run against this contract.
reportMailerContract('the .eml mailer', async () => {
  dirs += 1;
  return createEmlReportMailer(join(dataDir, `outbox-${dirs}`), () => Date.parse('2026-11-23T09:00:00Z'));
});
