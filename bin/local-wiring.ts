import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoCiActivityLog } from '#shared/adapters/dynamo-ci-activity-log.ts';
import { createDynamoCiStore } from '#shared/adapters/dynamo-ci-store.ts';
import { createDynamoDeploymentStore } from '#shared/adapters/dynamo-deployment-store.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createLocalIssueTracker } from '#shared/adapters/local-issue-tracker.ts';
import { createLocalTicketTracker } from '#shared/adapters/local-ticket-tracker.ts';
import { createMarkdownPostmortemWriter } from '#shared/adapters/markdown-postmortem-writer.ts';
import { createTicketIncidentOpener } from '#shared/adapters/ticket-incident-opener.ts';
import type { WebhookSecrets } from '#shared/lambda/webhook-signature.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import type {
  AlertStore,
  DeploymentStore,
  EventStore,
  FixLinks,
  IncidentStates,
  Log,
  PostmortemRequests,
  RecheckScheduler,
} from '#shared/ports.ts';
import type { Settings } from '#shared/settings.ts';
import { createInProcessPostmortemRequests } from '#shared/use-cases/write-postmortem-in-process.ts';
import { makeCiWebhookHandler } from '../functions/ci-webhook/ci-webhook.ts';
import { type LocalStoreAccess, type LocalStoreOptions, openLocalStore } from './local-store.ts';

/** The one table of local mode, in dynalite. */
export const LOCAL_TABLE_NAME = 'incident-flow-events';

/** DATA_DIR's store: the files under it and the local table. */
export function localStoreOf(dataDir: string): LocalStoreOptions {
  return { dataDir: resolve(dataDir), tableName: LOCAL_TABLE_NAME };
}

/** The event table a command reads or writes, with the stores over it. */
export interface OpenedTable {
  readonly tableName: string;
  readonly client: DynamoDBClient;
  readonly store: EventStore;
  readonly deployments: DeploymentStore;
  /** The local store has no stream: what a command stores there, it folds itself. */
  readonly isLocal: boolean;
  close(): Promise<void>;
}

/**
 * With `--table`, the deployed event table (the stack's EventsTable output), read with the caller's
 * AWS credentials and never created from here; without, DATA_DIR's store, opened as openLocalStore does.
 */
export async function openTable(
  table: string | undefined,
  local: LocalStoreOptions,
  access: LocalStoreAccess,
): Promise<OpenedTable> {
  if (table !== undefined) {
    const client = new DynamoDBClient(awsClientConfig());
    return {
      tableName: table,
      client,
      store: createDynamoEventStore(client, table),
      deployments: createDynamoDeploymentStore(client, table),
      isLocal: false,
      close: async () => client.destroy(),
    };
  }
  const opened = await openLocalStore(local, access);
  return { ...opened, tableName: local.tableName, isLocal: true };
}

/** What local mode writes postmortems with: Markdown files, and the Jira comment to a JSON-lines outbox. */
export interface LocalPostmortemOptions {
  readonly store: EventStore;
  readonly settings: Settings;
  readonly nowMs: () => number;
  readonly log: Log;
  readonly recheck: RecheckScheduler;
  /** Runs a failed postmortem request again at a time (the local server's clock). */
  readonly retryAt?: ((atMs: number, retry: () => Promise<void>) => void) | undefined;
  /** DATA_DIR/postmortems; absent, no postmortem is written. */
  readonly postmortemsDir?: string | undefined;
  /** Where the link's comment goes (no Jira locally); absent, none is posted. */
  readonly jiraOutboxPath?: string | undefined;
  /** The pull and merge requests naming incidents, for the postmortem's Changes section. */
  readonly fixes?: Pick<FixLinks, 'fixesOf'> | undefined;
  /** Where incidents opened by alerts came from, for the postmortem's timeline. */
  readonly alertSources?: Pick<AlertStore, 'sourceOf'> | undefined;
}

/** The postmortem queue of local mode: the Markdown writer, called in-process on each request. */
export function createLocalPostmortemRequests(
  options: LocalPostmortemOptions,
): PostmortemRequests | undefined {
  if (!options.postmortemsDir) return undefined;
  return createInProcessPostmortemRequests({
    ...options,
    writer: createMarkdownPostmortemWriter(options.postmortemsDir),
    ownAccountId: null,
    tracker: options.jiraOutboxPath
      ? createLocalIssueTracker(options.jiraOutboxPath, options.nowMs)
      : undefined,
  });
}

/** What the CI webhook of local mode is built from. */
export interface LocalCiWebhookOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The LOCAL-n tickets file: premortems, and the incidents failed production deploys open. */
  readonly ticketsPath: string;
  readonly settings: Settings;
  readonly incidentStates: Pick<IncidentStates, 'getStateByKey'>;
  readonly deployments: DeploymentStore;
  readonly secrets: () => Promise<WebhookSecrets | null>;
  readonly nowMs: () => number;
  readonly log: Log;
}

/**
 * The CI webhook of local mode: premortems are LOCAL-n tickets, and so are the incidents a failed
 * production deploy opens (labelled as incidents; no local Jira stand-in turns them into incident
 * events here, so they reach neither the timeline nor the notifications locally).
 */
export function makeLocalCiWebhookHandler(options: LocalCiWebhookOptions) {
  const { settings } = options;
  const tickets = createLocalTicketTracker(options.ticketsPath, options.nowMs);
  const ciStore = createDynamoCiStore(options.client, options.tableName);
  const detectedStatus =
    settings.board.statuses.find((status) => status.stage === 'detection')?.name ?? 'Detected';
  return makeCiWebhookHandler({
    settings: settings.ci,
    streaks: ciStore,
    deliveries: ciStore,
    fixes: ciStore,
    activity: createDynamoCiActivityLog(options.client, options.tableName),
    premortems: tickets,
    incidents: createTicketIncidentOpener(tickets, {
      projectKey: settings.ci.projectKey ?? 'LOCAL',
      detectedStatus,
      labels: settings.incidents.labels,
    }),
    deployments: options.deployments,
    incidentStates: options.incidentStates,
    secrets: options.secrets,
    nowMs: options.nowMs,
    log: options.log,
  });
}
