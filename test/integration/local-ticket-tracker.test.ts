import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createLocalTicketTracker } from '#shared/adapters/local-ticket-tracker.ts';
import { ticketTrackerContract } from '../contract/ticket-tracker-contract.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-tickets-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
let files = 0;

ticketTrackerContract('the local ticket tracker', async () => {
  files += 1;
  return createLocalTicketTracker(join(dataDir, `local-tickets-${files}.json`), () => 0);
});
