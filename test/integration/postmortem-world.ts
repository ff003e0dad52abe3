import type { Client } from '@notionhq/client';
import { createNotionPostmortemWriter } from '#shared/adapters/notion-postmortem-writer.ts';
import { postmortemOutline } from '#shared/domain/postmortem-outline.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { descriptionOf } from '#shared/jira/jira-text.ts';
import type { Settings } from '#shared/settings.ts';
import { weeksOf } from '#shared/use-cases/refresh-incident.ts';
import { incident } from '../builders.ts';
import { freshDynamoStore } from './dynamo.ts';

/**
 * INC-1, declared and resolved with Lee Park assigned, stored and folded on a fresh dynalite table,
 * and its postmortem written through the Notion client and recorded: where the follow-up sync starts.
 */
export async function resolvedIncidentWithPostmortem(
  notionClient: Client,
  databaseId: string,
  options: { readonly site: string; readonly settings: Settings },
) {
  const inc = incident('10001', {
    key: 'INC-1',
    assignee: { accountId: 'acc-lee', displayName: 'Lee Park' },
  });
  const events = [
    inc.created(),
    inc.move(1, 4, 'Detected', 'Declared'),
    inc.move(2, 70, 'Declared', 'Resolved'),
  ];
  const state = foldIncident(events, options.settings);
  if (!state) throw new Error('no state');
  const { client, tableName, store } = await freshDynamoStore();
  await store.append(events);
  await store.saveState(state, weeksOf(state, options.settings.timeZone));
  const postmortem = await createNotionPostmortemWriter(notionClient, {
    databaseId,
    template: { kind: 'built-in' },
  }).write({
    incidentKey: 'INC-1',
    title: 'INC-1: Checkout failing',
    jiraUrl: `${options.site}/browse/INC-1`,
    severity: state.severity,
    incidentStartMs: state.openedAtMs,
    resolvedAtMs: state.resolvedAtMs,
    timeToResolve: null,
    timeToAcknowledge: null,
    ownerEmail: null,
    blocks: postmortemOutline(state, events, {
      timeZone: 'UTC',
      description: descriptionOf(events),
      jiraUrl: null,
      ownAccountId: null,
    }),
  });
  await store.recordPostmortem('10001', postmortem);
  return { client, tableName, store, state, postmortem };
}
