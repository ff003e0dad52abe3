import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { containedPath } from '#shared/adapters/contained-path.ts';
import { createDynamoAlertStore } from '#shared/adapters/dynamo-alert-store.ts';
import { createDynamoCiActivityLog } from '#shared/adapters/dynamo-ci-activity-log.ts';
import { createDynamoCiStore } from '#shared/adapters/dynamo-ci-store.ts';
import { createDynamoDeploymentStore } from '#shared/adapters/dynamo-deployment-store.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { ensureEventTable } from '#shared/adapters/dynamo-table.ts';
import { createLocalDynamoClient, startLocalDynamo } from '#shared/adapters/local-dynamo.ts';
import { createLocalJiraIssues, type LocalJira } from '#shared/adapters/local-jira-issues.ts';
import { createOutboxNotifier, readOutbox } from '#shared/adapters/outbox-notifier.ts';
import type { Directory } from '#shared/domain/stakeholder-directory.ts';
import { AppError } from '#shared/errors.ts';
import { isIssueKey } from '#shared/jira/issue-key.ts';
import { jiraWebhookSchema, readingOf } from '#shared/jira/jira-webhook.ts';
import { decodePathSegment, type HttpResult, json, MAX_BODY_BYTES } from '#shared/lambda/http.ts';
import type { WebhookSecrets } from '#shared/lambda/webhook-signature.ts';
import type { Log, Notifier, Subscriptions } from '#shared/ports.ts';
import type { Settings } from '#shared/settings.ts';
import { ingestJiraWebhook } from '#shared/use-cases/ingest-jira-webhook.ts';
import { ALERT_TOOLS, makeAlertIntakeHandler } from '../functions/alert-intake/alert-intake.ts';
import { makeDeploymentWebhookHandler } from '../functions/deployment-webhook/deployment-webhook.ts';
import { makeIncidentApiHandler } from '../functions/incident-api/incident-api.ts';
import { makeIncidentProcessorHandler } from '../functions/incident-processor/incident-processor.ts';
import { makeJiraWebhookHandler } from '../functions/jira-webhook/jira-webhook.ts';
import { refuseBrowserWrite } from './browser-guard.ts';
import { acquireDataDirLock, DataDirHeldError, type DataDirLock, describeHolder } from './data-dir-lock.ts';
import { closing, localContext, readBody, sendResult, toApiGatewayEvent } from './lambda-http.ts';
import { type LocalClock, systemClock } from './local-clock.ts';
import { createLocalStream } from './local-stream.ts';
import {
  createLocalPostmortemRequests,
  LOCAL_TABLE_NAME,
  makeLocalCiWebhookHandler,
} from './local-wiring.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { statusPageResult } from './status-page-route.ts';
import { LOCAL_SUBSCRIBE_ACTION, SUBSCRIBE_PATH, subscribeResult } from './status-subscribe-route.ts';
import { startWeeklyEmails } from './weekly-email.ts';

export interface LocalServerOptions {
  readonly port: number;
  readonly host?: string;
  /** Where the embedded DynamoDB listens; 0 picks a free port. */
  readonly dynamoPort: number;
  /** Where its data lives on disk; undefined keeps it in memory (tests). */
  readonly dataDir?: string | undefined;
  /**
   * The DATA_DIR this server holds: its lock file names the server (pid, ports, start time) until it
   * closes, so that a second server refuses it and the CLI commands find this one's DynamoDB port.
   */
  readonly lockDir?: string | undefined;
  readonly settings: Settings;
  readonly webhookSecrets: WebhookSecrets | null;
  readonly log: Log;
  /** What time it is and when held-back updates are looked at again; the system clock by default. */
  readonly clock?: LocalClock;
  /**
   * How long an event stored while the processor is idle waits for others before it is folded, as
   * `maxBatchingWindow` on AWS; 0 by default: at once. Under load batches form by themselves.
   */
  readonly processorBatchWindowMs?: number;
  /**
   * Where the incidents stored but not folded yet are named, so that a crash between a webhook's
   * answer and its fold loses nothing: the next start folds them first. Absent, they live in memory.
   */
  readonly processorJournalPath?: string | undefined;
  /** Where postmortems are written as Markdown (no Notion locally); absent, none is written. */
  readonly postmortemsDir?: string | undefined;
  /** Where each week's report email is written as `<week>.eml` once the week is over; absent, none is. */
  readonly weeklyEmailDir?: string | undefined;
  /**
   * Where the Jira stand-in keeps the issues alerts open (DATA_DIR/jira-issues.json); absent, they
   * live in memory for the server's life.
   */
  readonly localJiraPath?: string | undefined;
  /** Where the comments Incident Flow would post on Jira are written (no Jira locally). */
  readonly jiraOutboxPath?: string | undefined;
  /**
   * The local tickets file (LOCAL-n, shared with `incident-flow sync`): CI premortems and the incidents
   * a failed production deploy opens go there; absent, POST /webhooks/github and /gitlab are not served.
   */
  readonly localTicketsPath?: string | undefined;
  /** Who hears about incidents; messages go to a JSON-lines outbox instead of SNS. */
  readonly notifications?: {
    readonly directory: Directory;
    readonly outboxPath: string;
    /** The real SNS notifier when the deployer pointed the local server at its topics; else the outbox. */
    readonly notifier?: Notifier;
  };
  /**
   * Who gets the keep-satisfied updates by email: with it, the status page has its "get updates by
   * email" form and POST /status/subscribe is served; without, neither.
   */
  readonly subscriptions?: Subscriptions | undefined;
}

/** How many subscriptions one client may ask for in a minute: enough for typos, too few to mail-bomb. */
const SUBSCRIPTIONS_PER_MINUTE = 5;

export interface LocalServer {
  readonly url: string;
  readonly dynamoEndpoint: string;
  /** The Jira stand-in holding the issues alerts opened. */
  readonly jira: LocalJira;
  /** Resolves once the processor is done with everything stored so far; says how many records failed. */
  drain(): Promise<number>;
  /** Resolves when the processor has caught up by itself, without hurrying it as a read does. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** A port the server was told to listen on is taken; `which` says whose. */
export class PortInUseError extends Error {
  readonly which: 'http' | 'dynamodb';
  readonly port: number;
  constructor(which: 'http' | 'dynamodb', port: number, options?: ErrorOptions) {
    super(`${which === 'http' ? 'port' : 'DynamoDB port'} ${port} is in use`, options);
    this.which = which;
    this.port = port;
    this.name = 'PortInUseError';
  }
}

function listenOrSay(which: 'http' | 'dynamodb', port: number) {
  return (error: unknown): never => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new PortInUseError(which, port, { cause: error });
    throw error;
  };
}

/**
 * The embedded default: dynalite as the store, the Lambda handlers behind a plain HTTP server, and
 * the processor run on what each webhook stored right after the store answered (a local stream);
 * every read waits for the processor to be done with what was stored before it. With `lockDir`, it
 * holds that DATA_DIR first (DataDirHeldError when another process does).
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { lockDir } = options;
  if (lockDir === undefined) return serve(options, null);
  const taken = acquireDataDirLock(lockDir, {
    command: 'start',
    port: options.port,
    dynamoPort: options.dynamoPort,
  });
  if (taken.kind === 'held') throw new DataDirHeldError(lockDir, taken.holder);
  if (taken.tookOverFrom)
    options.log.warn(
      `took over the lock of ${describeHolder(taken.tookOverFrom)}, which is no longer running`,
    );
  try {
    return await serve(options, taken.lock);
  } catch (error) {
    taken.lock.release();
    throw error;
  }
}

async function serve(options: LocalServerOptions, lock: DataDirLock | null): Promise<LocalServer> {
  const dynamo = await startLocalDynamo({ port: options.dynamoPort, dataDir: options.dataDir }).catch(
    listenOrSay('dynamodb', options.dynamoPort),
  );
  const client = createLocalDynamoClient(dynamo.endpoint);
  await ensureEventTable(client, LOCAL_TABLE_NAME);
  const store = createDynamoEventStore(client, LOCAL_TABLE_NAME);
  const { settings, log } = options;

  const clock = options.clock ?? systemClock;
  const timers = new Set<() => void>();
  // Locally a timer stands in for the recheck queue of AWS.
  const recheck = {
    async recheckAt(issueId: string, atMs: number) {
      const cancel = clock.at(atMs, () => {
        timers.delete(cancel);
        stream
          .recheck(issueId)
          .catch((error: unknown) => log.error('recheck failed', { issueId, error: String(error) }));
      });
      timers.add(cancel);
    },
  };
  const directory = options.notifications?.directory;
  const notifications =
    options.notifications && directory
      ? {
          directory: async () => directory,
          notifier:
            options.notifications.notifier ??
            createOutboxNotifier(options.notifications.outboxPath, {
              directory: options.notifications.directory,
              nowMs: clock.nowMs,
              announce: (line) => log.info(line),
            }),
        }
      : undefined;
  // One server holds a DATA_DIR at a time: a claim another run left unfinished, that run died with.
  const runId = randomUUID();
  const alertStore = createDynamoAlertStore(client, LOCAL_TABLE_NAME);
  const processor = makeIncidentProcessorHandler({
    store,
    settings,
    nowMs: clock.nowMs,
    log,
    notifications,
    sender: { ownerId: runId, isAbandoned: (intent) => intent.ownerId !== runId },
    recheck,
    postmortemRequests: createLocalPostmortemRequests({
      store,
      settings,
      nowMs: clock.nowMs,
      log,
      recheck,
      retryAt: (atMs, retry) => {
        const cancel = clock.at(atMs, () => {
          timers.delete(cancel);
          retry().catch((error: unknown) => log.error('postmortem retry failed', { error: String(error) }));
        });
        timers.add(cancel);
      },
      postmortemsDir: options.postmortemsDir,
      jiraOutboxPath: options.jiraOutboxPath,
      fixes: createDynamoCiStore(client, LOCAL_TABLE_NAME),
      alertSources: alertStore,
    }),
  });
  const stream = createLocalStream(store, (event) => processor(event, localContext('incident-processor')), {
    log,
    ...(options.processorBatchWindowMs === undefined
      ? {}
      : { batchWindowMs: options.processorBatchWindowMs }),
    ...(options.processorJournalPath === undefined ? {} : { journalPath: options.processorJournalPath }),
  });
  // What the last run answered for but had not folded when it stopped comes first.
  const recovered = await stream.recover();
  if (recovered > 0) log.info('folded the incidents the last run stored but had not folded', { recovered });
  const webhook = makeJiraWebhookHandler({
    store: stream.store,
    settings,
    secrets: async () => options.webhookSecrets,
    log,
  });
  const ingestDeps = { store: stream.store, reading: readingOf(settings), incidents: settings.incidents };
  // The stand-in's webhooks go through the same ingest as Jira's own, into the same stream.
  const jira = createLocalJiraIssues({
    path: options.localJiraPath,
    issueType: settings.incidents.issueTypes[0] ?? 'Incident',
    statuses: settings.board.statuses.map((status) => status.name),
    startField: settings.incidents.startField,
    nowMs: clock.nowMs,
    emit: async (payload) => {
      const outcome = await ingestJiraWebhook(jiraWebhookSchema.parse(payload), ingestDeps);
      if (outcome.kind === 'invalid' || outcome.kind === 'ignored')
        log.warn('the Jira stand-in emitted a webhook the pipeline did not keep', { outcome: outcome.kind });
    },
  });
  const alertIntake = makeAlertIntakeHandler({
    alerts: alertStore,
    opener: jira,
    incidents: store,
    settings,
    secrets: async () => options.webhookSecrets,
    log,
    nowMs: clock.nowMs,
    newDeliveryId: randomUUID,
  });
  const followUps = createDynamoFollowUpStore(client, LOCAL_TABLE_NAME, options.settings.timeZone);
  const api = makeIncidentApiHandler({
    store,
    nowMs: clock.nowMs,
    log,
    followUps,
    timeZone: options.settings.timeZone,
    fixes: createDynamoCiStore(client, LOCAL_TABLE_NAME),
    alertSources: alertStore,
  });
  const deploymentStore = createDynamoDeploymentStore(client, LOCAL_TABLE_NAME);
  const weeklyEmails = options.weeklyEmailDir
    ? startWeeklyEmails(options.weeklyEmailDir, {
        store,
        deployments: deploymentStore,
        alerts: alertStore,
        ciActivity: createDynamoCiActivityLog(client, LOCAL_TABLE_NAME),
        followUps,
        settings,
        nowMs: Date.now,
        log,
      })
    : undefined;
  const deployments = makeDeploymentWebhookHandler({
    deployments: deploymentStore,
    secrets: async () => options.webhookSecrets,
    log,
  });

  const ciWebhook = options.localTicketsPath
    ? makeLocalCiWebhookHandler({
        client,
        tableName: LOCAL_TABLE_NAME,
        ticketsPath: options.localTicketsPath,
        settings,
        incidentStates: store,
        deployments: deploymentStore,
        secrets: async () => options.webhookSecrets,
        nowMs: clock.nowMs,
        log,
      })
    : undefined;

  /** The Markdown postmortem of an incident, when local mode wrote one, and only from its folder. */
  async function localPostmortem(key: string): Promise<string | null> {
    const state = await store.getStateByKey(key);
    const written = state ? await store.postmortemOf(state.issueId) : null;
    if (!options.postmortemsDir || !written?.url.startsWith('file:')) return null;
    const path = containedPath(options.postmortemsDir, fileURLToPath(written.url));
    return readFile(path, 'utf8').catch(() => null);
  }

  type Lambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;
  /**
   * A webhook route: a browser's write refused when nothing is signed, the body read up to the limit,
   * then the function as API Gateway calls it. A refusal drains the body and closes the connection.
   */
  async function postTo(lambda: Lambda, name: string, request: IncomingMessage): Promise<HttpResult> {
    const refusal = options.webhookSecrets === null ? refuseBrowserWrite(request.headers) : null;
    if (refusal !== null) {
      await readBody(request, 0);
      return closing(refusal);
    }
    const body = await readBody(request);
    if (body === null)
      return closing(json(413, { error: `the body is larger than ${MAX_BODY_BYTES} bytes` }));
    return lambda(toApiGatewayEvent(request, body), localContext(name));
  }

  // The CI webhook reads incident states (is the key a PR names an incident?): as every local read,
  // it waits for the processor to fold what was stored before it.
  const ciAfterFolds: Lambda | undefined = ciWebhook
    ? async (event, context) => {
        await stream.drain();
        return ciWebhook(event, context);
      }
    : undefined;
  const ciRoutes: [string, [Lambda, string]][] = ciAfterFolds
    ? [
        ['/webhooks/github', [ciAfterFolds, 'ci-webhook']],
        ['/webhooks/gitlab', [ciAfterFolds, 'ci-webhook']],
      ]
    : [];
  const webhookRoutes = new Map<string, [Lambda, string]>([
    // Answered once stored, as on AWS; the processor is already running on what was stored, and
    // every read below waits for it, so what a client reads next includes this delivery.
    ['/webhooks/jira', [webhook, 'jira-webhook']],
    ['/webhooks/jira/automation', [webhook, 'jira-webhook']],
    ['/webhooks/deployment', [deployments, 'deployment-webhook']],
    ...ciRoutes,
    ...ALERT_TOOLS.map((tool): [string, [Lambda, string]] => [
      `/webhooks/alerts/${tool}`,
      [alertIntake, 'alert-intake'],
    ]),
  ]);

  const { subscriptions } = options;
  const subscribeLimiter = createRateLimiter({
    limit: SUBSCRIPTIONS_PER_MINUTE,
    windowMs: 60_000,
    nowMs: clock.nowMs,
  });

  const server: Server = createServer(async (request, response) => {
    try {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (subscriptions !== undefined && path === SUBSCRIBE_PATH) {
        if (request.method === 'POST')
          sendResult(
            response,
            await subscribeResult(request, {
              subscriptions,
              limiter: subscribeLimiter,
              siteTitle: settings.statusPage.title,
              log,
            }),
          );
        else {
          await readBody(request, 0);
          const notAllowed = json(405, { error: `${path} takes POST only, not ${request.method}` });
          sendResult(response, closing({ ...notAllowed, headers: { ...notAllowed.headers, allow: 'POST' } }));
        }
        return;
      }
      const webhookRoute = webhookRoutes.get(path);
      if (webhookRoute !== undefined) {
        const [lambda, name] = webhookRoute;
        if (request.method === 'POST') sendResult(response, await postTo(lambda, name, request));
        else {
          await readBody(request, 0);
          const notAllowed = json(405, { error: `${path} takes POST only, not ${request.method}` });
          sendResult(response, closing({ ...notAllowed, headers: { ...notAllowed.headers, allow: 'POST' } }));
        }
        return;
      }
      const postmortemKey = /^\/incidents\/([^/]+)\/postmortem$/.exec(path)?.[1];
      if (request.method === 'GET' && postmortemKey !== undefined) {
        const key = decodePathSegment(postmortemKey);
        if (!isIssueKey(key)) {
          sendResult(response, json(400, { error: `${key} is not an issue key such as OPS-42` }));
          return;
        }
        await stream.drain();
        const markdown = await localPostmortem(key);
        if (markdown === null)
          sendResult(response, json(404, { error: `no postmortem of ${postmortemKey} yet` }));
        else
          sendResult(response, {
            statusCode: 200,
            headers: { 'content-type': 'text/markdown; charset=utf-8' },
            body: markdown,
          });
        return;
      }
      if (request.method === 'GET' && (path === '/incidents' || path.startsWith('/incidents/'))) {
        await stream.drain();
        sendResult(
          response,
          await api(toApiGatewayEvent(request, Buffer.alloc(0)), localContext('incident-api')),
        );
        return;
      }
      if (request.method === 'GET' && path === '/notifications') {
        await stream.drain();
        const incident =
          new URL(request.url ?? '/', 'http://localhost').searchParams.get('incident') ?? undefined;
        const outbox = options.notifications ? readOutbox(options.notifications.outboxPath, incident) : [];
        sendResult(response, json(200, { notifications: outbox }));
        return;
      }
      if (request.method === 'GET') {
        const statusPage = await statusPageResult(path, request.headers.host, {
          incidents: store,
          settings,
          nowMs: clock.nowMs,
          baseUrl: settings.statusPage.baseUrl,
          beforeRead: () => stream.drain(),
          subscribeAction: subscriptions === undefined ? undefined : LOCAL_SUBSCRIBE_ACTION,
        });
        if (statusPage !== null) {
          sendResult(response, statusPage);
          return;
        }
      }
      if (request.method === 'GET' && path === '/health') {
        sendResult(response, json(200, { ok: true }));
        return;
      }
      sendResult(
        response,
        json(404, {
          error: `no route ${request.method} ${path}; try POST /webhooks/jira, POST /webhooks/jira/automation, POST /webhooks/deployment, POST /webhooks/github, POST /webhooks/gitlab, POST /webhooks/alerts/{alertmanager,grafana,cloudwatch,generic}, GET /incidents or GET /status`,
        }),
      );
    } catch (error) {
      // The sender's fault (a malformed path) is told as the Lambda's middleware tells it.
      if (error instanceof AppError && error.code === 'bad_request' && !response.headersSent) {
        sendResult(response, json(400, { error: error.message }));
        return;
      }
      log.error('local server failed a request', { error: (error as Error).message });
      if (!response.headersSent) sendResult(response, json(500, { error: 'internal error' }));
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
    }).catch(listenOrSay('http', options.port));
  } catch (error) {
    await stream.close();
    for (const cancel of timers) cancel();
    client.destroy();
    await dynamo.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  lock?.recordPorts({ port, dynamoPort: Number(new URL(dynamo.endpoint).port) });

  await weeklyEmails?.tick();

  return {
    url: `http://127.0.0.1:${port}`,
    dynamoEndpoint: dynamo.endpoint,
    jira,
    drain: () => stream.drain(),
    idle: () => stream.idle(),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await weeklyEmails?.stop();
      // The last fold may set a recheck timer: the timers are cleared after it.
      const failed = await stream.close();
      for (const cancel of timers) cancel();
      if (failed > 0)
        log.warn(
          'stopped with records the processor failed; the next delivery of those incidents folds them',
          { pending: failed },
        );
      client.destroy();
      await dynamo.close();
      lock?.release();
    },
  };
}
