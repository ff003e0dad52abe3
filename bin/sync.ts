import { resolve } from 'node:path';
import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { createLocalTicketTracker } from '#shared/adapters/local-ticket-tracker.ts';
import { createMarkdownPostmortemPages } from '#shared/adapters/markdown-postmortem-pages.ts';
import { plural } from '#shared/domain/plural.ts';
import type { Log } from '#shared/ports.ts';
import type { Settings } from '#shared/settings.ts';
import { type SyncOutcome, syncFollowUps } from '#shared/use-cases/sync-follow-ups.ts';
import { type LocalStoreOptions, openLocalStore } from './local-store.ts';

export interface SyncContext {
  readonly settings: Settings;
  readonly dataDir: string;
  readonly local: LocalStoreOptions;
  readonly out: (text: string) => void;
}

/** What one sync did, one line per change. */
export function syncReport(outcome: SyncOutcome): string {
  return [
    `Synced the action items of ${plural(outcome.postmortems, 'postmortem')}: ${plural(outcome.created.length, 'follow-up')} created, ${outcome.updated.length} updated, ${outcome.done.length} done, ${plural(outcome.removed.length, 'item')} removed`,
    ...outcome.created.map((key) => `  created ${key}`),
    ...outcome.updated.map((key) => `  updated ${key}`),
    ...outcome.done.map((key) => `  done ${key}`),
    ...outcome.removed.map((key) => `  item removed, ticket kept: ${key}`),
    ...outcome.pending.map((item) => `  pending (${item.incidentKey}) ${item.item}: ${item.error}`),
    '',
  ].join('\n');
}

/**
 * `incident-flow sync` (`npm run sync`): the postmortem sync of local mode. It reads the Markdown
 * postmortems' `- [ ] item @owner YYYY-MM-DD` lines and records follow-ups LOCAL-1, LOCAL-2… in
 * DATA_DIR/local-tickets.json and the local store (through the DynamoDB port of the server holding
 * DATA_DIR, or DATA_DIR opened here); GET /incidents/:key/follow-ups lists them.
 */
export async function syncCommand(context: SyncContext): Promise<void> {
  // Nothing to sync without postmortems, which only a server writes.
  const local = await openLocalStore(context.local, { command: 'sync', create: false, note: context.out });
  const log: Log = {
    info: () => undefined,
    warn: (message, details) => context.out(`warning: ${message} ${JSON.stringify(details ?? {})}\n`),
    error: (message, details) => context.out(`error: ${message} ${JSON.stringify(details ?? {})}\n`),
  };
  try {
    const outcome = await syncFollowUps({
      followUps: createDynamoFollowUpStore(local.client, context.local.tableName, context.settings.timeZone),
      tracker: createLocalTicketTracker(resolve(context.dataDir, 'local-tickets.json')),
      pages: createMarkdownPostmortemPages(resolve(context.dataDir, 'postmortems')),
      settings: context.settings,
      nowMs: Date.now,
      log,
      // Locally an owner is the @name written in the item.
      accountOf: async (owner) => (owner.kind === 'name' ? owner.name : null),
    });
    context.out(syncReport(outcome));
  } finally {
    await local.close();
  }
}
