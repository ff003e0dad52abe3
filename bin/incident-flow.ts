#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import { createConsoleLog } from '#shared/adapters/console-log.ts';
import { readDirectoryFile } from '#shared/adapters/directory-file.ts';
import { createDynamoAlertStore } from '#shared/adapters/dynamo-alert-store.ts';
import { createDynamoCiActivityLog } from '#shared/adapters/dynamo-ci-activity-log.ts';
import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { createOutboxSubscriptions } from '#shared/adapters/outbox-subscriptions.ts';
import { cdkContextLayer, configFileLayer, settingsFrom } from '#shared/adapters/settings-files.ts';
import { createSnsNotifier } from '#shared/adapters/sns-notifier.ts';
import { createSnsSubscriptions } from '#shared/adapters/sns-subscriptions.ts';
import { ENV } from '#shared/deployment-names.ts';
import {
  formatIsoWeek,
  type IsoWeek,
  isoWeekOf,
  parseIsoWeek,
  shiftWeeks,
  weekLabel,
} from '#shared/domain/iso-weeks.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { renderReportMarkdown, renderReportText, reportSubject } from '#shared/domain/weekly-report-text.ts';
import { AppError } from '#shared/errors.ts';
import { parseTopicArns } from '#shared/lambda/topic-arns.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { settingsJsonSchema } from '#shared/settings.ts';
import { buildWeeklyReport } from '#shared/use-cases/build-weekly-report.ts';
import { incidentSummaryView, incidentView } from '../functions/incident-api/incident-view.ts';
import { backfillCommand, type CommandContext, reconcileCommand } from './backfill.ts';
import { holderOf } from './data-dir-lock.ts';
import { runDemo } from './demo.ts';
import { LOCAL_JIRA_FILE, localJiraCommand } from './local-jira-command.ts';
import { PortInUseError, startLocalServer } from './local-server.ts';
import { DYNAMO_SUBDIR, openLocalStore } from './local-store.ts';
import { localStoreOf, openTable } from './local-wiring.ts';
import { statusPageCommand } from './status-page-command.ts';
import { syncCommand } from './sync.ts';
import { reportEmailOutput } from './weekly-email.ts';

const projectDir = resolve(import.meta.dirname, '..');
const port = z.pipe(z.string().check(z.regex(/^\d{1,5}$/, 'a port number')), z.transform(Number));

const localEnvSchema = z.object({
  PORT: z._default(port, 3000),
  DYNAMODB_PORT: z._default(port, 8000),
  DATA_DIR: z._default(z.string().check(z.minLength(1)), resolve(projectDir, '.data')),
  WEBHOOK_SECRET: z.optional(z.string().check(z.minLength(16, 'at least 16 characters'))),
  WEBHOOK_SECRET_PREVIOUS: z.optional(z.string()),
  PROCESSOR_BATCH_WINDOW_MS: z.optional(
    z.pipe(z.string().check(z.regex(/^\d{1,6}$/, 'milliseconds, such as 0 or 250')), z.transform(Number)),
  ),
});

function localEnv() {
  const parsed = localEnvSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function loadSettings() {
  return settingsFrom([cdkContextLayer(projectDir), ...configFileLayer(process.env)]);
}

async function start(): Promise<void> {
  // Caught from the first moment, so that a signal sent as soon as the banner shows (or before) still
  // stops the server cleanly once it is up. Ctrl-C in a terminal reaches this process twice (from the
  // terminal, and forwarded by npm): the first signal stops, later ones wait for it.
  let stopRequested = false;
  let stop = () => {
    stopRequested = true;
  };
  process.on('SIGINT', () => stop());
  process.on('SIGTERM', () => stop());
  const env = localEnv();
  const settings = loadSettings();
  const secrets = env.WEBHOOK_SECRET
    ? { current: env.WEBHOOK_SECRET, previous: env.WEBHOOK_SECRET_PREVIOUS }
    : null;
  const source = settings.notifications.directory;
  if (source && !('file' in source)) {
    throw new Error(
      'notifications.directory: locally only {"file": "<path>"} is read; SSM and Secrets Manager are for AWS',
    );
  }
  const directory = source ? readDirectoryFile(resolve(source.file)) : DEMO_DIRECTORY;
  const outboxPath = resolve(env.DATA_DIR, 'outbox.jsonl');
  // With topics named (and AWS credentials in the usual places), messages go out through SNS for real.
  const topicArns = process.env[ENV.notifyTopicArns];
  const topics = topicArns ? parseTopicArns(topicArns) : undefined;
  const sns = topics ? new SNSClient(awsClientConfig()) : undefined;
  const notifier = sns && topics ? createSnsNotifier(sns, { topicArns: topics, nowMs: Date.now }) : undefined;
  const log = createConsoleLog();
  // The page's email form subscribes to the keep-satisfied topic when one is named, else to the outbox.
  const keepSatisfiedTopic = topics?.['keep-satisfied'];
  const subscriptions =
    sns && keepSatisfiedTopic
      ? createSnsSubscriptions(sns, keepSatisfiedTopic)
      : createOutboxSubscriptions(outboxPath, {
          directory,
          nowMs: Date.now,
          announce: (line) => log.info(line),
        });
  const dataDir = resolve(env.DATA_DIR);
  const server = await startLocalServer({
    port: env.PORT,
    dynamoPort: env.DYNAMODB_PORT,
    dataDir: resolve(dataDir, DYNAMO_SUBDIR),
    lockDir: dataDir,
    settings,
    webhookSecrets: secrets,
    log,
    notifications: { directory, outboxPath, notifier },
    subscriptions,
    postmortemsDir: resolve(env.DATA_DIR, 'postmortems'),
    weeklyEmailDir: resolve(env.DATA_DIR, 'outbox'),
    jiraOutboxPath: resolve(env.DATA_DIR, 'jira-outbox.jsonl'),
    localTicketsPath: resolve(env.DATA_DIR, 'local-tickets.json'),
    localJiraPath: resolve(env.DATA_DIR, LOCAL_JIRA_FILE),
    processorJournalPath: resolve(env.DATA_DIR, 'unfolded-incidents.txt'),
    processorBatchWindowMs: env.PROCESSOR_BATCH_WINDOW_MS,
  }).catch((error: unknown) => {
    if (!(error instanceof PortInUseError)) throw error;
    const name = error.which === 'http' ? 'PORT' : 'DYNAMODB_PORT';
    throw new Error(
      `${error.message} (another incident-flow server? \`${name}=${error.port + 1} npm start\`)`,
    );
  });
  process.stdout.write(
    [
      `Incident Flow (local) is listening on ${server.url}`,
      `  POST ${server.url}/webhooks/jira   signature check ${secrets ? 'on' : 'off (set WEBHOOK_SECRET to turn it on)'}`,
      `  POST ${server.url}/webhooks/alerts/{alertmanager,grafana,cloudwatch,generic}   alerts open incidents (${settings.alerts.catchAll.project ? `catch-all project ${settings.alerts.catchAll.project}` : `${settings.alerts.routes.length} route(s), no catch-all project`}) in a local Jira stand-in: ${resolve(env.DATA_DIR, LOCAL_JIRA_FILE)}`,
      `  GET  ${server.url}/incidents  and  /incidents/:key`,
      `  GET  ${server.url}/status   the public status page (feed, /status/api/v2/summary.json, badge)`,
      `  POST ${server.url}/status/subscribe   the page's "get updates by email" form (${keepSatisfiedTopic && sns ? 'SNS keep-satisfied topic' : `confirmations go to ${outboxPath}`})`,
      notifier
        ? `  notifications go out through SNS to the topics in ${ENV.notifyTopicArns}`
        : `  GET  ${server.url}/notifications?incident=KEY   messages go to ${outboxPath}, not SNS`,
      `  each week's report email is written to ${resolve(env.DATA_DIR, 'outbox')}/<week>.eml once the week is over`,
      `  postmortems are written as Markdown to ${resolve(env.DATA_DIR, 'postmortems')} (Notion comes with a token)`,
      `  stakeholders: ${source ? `the directory in ${source.file}` : 'a fictional demo directory (example.com, +1 555 01xx); set notifications.directory.file for yours'}`,
      `  DynamoDB (dynalite) at ${server.dynamoEndpoint}, data in ${env.DATA_DIR}`,
      `  board: ${settings.board.statuses.map((status) => status.name).join(' → ')}; time zone ${settings.timeZone}`,
      'Try it: npm run demo   (Ctrl-C stops the server)',
      '',
    ].join('\n'),
  );
  let stopping = false;
  stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      process.stderr.write('the server did not stop within 10 s; leaving anyway\n');
      process.exit(1);
    }, 10_000).unref();
    server.close().then(
      () => {
        process.stdout.write(`Incident Flow stopped; data kept in ${dataDir}\n`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`stopping failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  if (stopRequested) stop();
}

async function demo(): Promise<void> {
  const env = localEnv();
  // Without PORT, the server of DATA_DIR is found by the port it recorded.
  const recorded = process.env.PORT === undefined ? holderOf(resolve(env.DATA_DIR))?.port : undefined;
  const ok = await runDemo(`http://127.0.0.1:${recorded ?? env.PORT}`, env.WEBHOOK_SECRET, (text) =>
    process.stdout.write(text),
  );
  if (!ok) process.exitCode = 1;
}

/** Reads the local store: through the DynamoDB port of the server holding DATA_DIR, or by opening it. */
async function incidents(key: string | undefined): Promise<void> {
  const env = localEnv();
  const local = await openLocalStore(localStoreOf(env.DATA_DIR), {
    command: 'incidents',
    create: false,
    note: (line) => process.stderr.write(line),
  });
  try {
    if (key === undefined) {
      const states = await local.store.listStates();
      process.stdout.write(`${JSON.stringify({ incidents: states.map(incidentSummaryView) }, null, 2)}\n`);
      return;
    }
    const state = await local.store.getStateByKey(key);
    if (!state) throw new Error(`no incident ${key} in ${env.DATA_DIR}`);
    process.stdout.write(`${JSON.stringify(incidentView(state, Date.now()), null, 2)}\n`);
  } finally {
    await local.close();
  }
}

/**
 * The week `--week` names: an ISO week, `current` (the week so far), or by default the last complete
 * week, with a first line saying so.
 */
function chosenWeek(
  value: string | undefined,
  nowMs: number,
  timeZone: string,
): { week: IsoWeek; note: string | null } {
  const thisWeek = isoWeekOf(nowMs, timeZone);
  if (value === undefined) {
    const week = shiftWeeks(thisWeek, -1);
    const note = `The last complete week, ${weekLabel(week)}, ${formatIsoWeek(week)} (--week current: this week so far).`;
    return { week, note };
  }
  const week = value === 'current' ? thisWeek : parseIsoWeek(value);
  if (!week) throw new Error(`--week ${value}: expected an ISO week such as 2026-W47, or current`);
  return { week, note: null };
}

/**
 * The weekly report, exactly as the email's body (text) or as Markdown or JSON: from the local store,
 * or with `--table` from the deployed table (AWS credentials and region from the usual places).
 */
async function report(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      week: { type: 'string' },
      format: { type: 'string', default: 'text' },
      table: { type: 'string' },
    },
  });
  const env = localEnv();
  const settings = loadSettings();
  const nowMs = Date.now();
  const { week, note } = chosenWeek(values.week, nowMs, settings.timeZone);
  if (!['text', 'markdown', 'json', 'html', 'eml'].includes(values.format ?? ''))
    throw new Error(`--format ${values.format}: expected text, markdown, json, html or eml`);
  const source = await openTable(values.table, localStoreOf(env.DATA_DIR), {
    command: 'report',
    create: false,
    note: (line) => process.stderr.write(line),
  });
  try {
    const deps = {
      store: source.store,
      deployments: source.deployments,
      alerts: createDynamoAlertStore(source.client, source.tableName),
      ciActivity: createDynamoCiActivityLog(source.client, source.tableName),
      settings,
      nowMs: () => nowMs,
      // Locally follow-ups come from `npm run sync`; on AWS they exist where postmortems go to Notion.
      ...(source.isLocal || settings.postmortem.notion
        ? { followUps: createDynamoFollowUpStore(source.client, source.tableName, settings.timeZone) }
        : {}),
    };
    const built = await buildWeeklyReport(week, deps);
    if (values.format === 'html' || values.format === 'eml') {
      process.stdout.write(await reportEmailOutput(built, values.format, deps, nowMs));
      return;
    }
    const output =
      values.format === 'json'
        ? JSON.stringify(built, null, 2)
        : values.format === 'markdown'
          ? renderReportMarkdown(built, settings.report)
          : `${reportSubject(built)}\n\n${renderReportText(built, settings.report)}`;
    // JSON stays parseable: there the note goes to stderr.
    if (note && values.format === 'json') process.stderr.write(`${note}\n`);
    const first = note && values.format !== 'json' ? `${note}\n\n` : '';
    process.stdout.write(`${first}${output}\n`);
  } finally {
    await source.close();
  }
}

function commandContext(): CommandContext {
  const env = localEnv();
  return {
    settings: loadSettings(),
    local: localStoreOf(env.DATA_DIR),
    env: process.env,
    out: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
  };
}

const HELP = `incident-flow <command>

  start    serve the Jira webhook and the incident API on localhost (PORT, default 3000),
           with an embedded DynamoDB (dynalite, DYNAMODB_PORT, default 8000) keeping data in DATA_DIR
  demo     send a signed incident lifecycle to the running server and print its timeline
  report [--week 2026-W47|current] [--format text|markdown|json|html|eml] [--table <name>]
           the weekly metrics report (default: the last complete week in the team's time zone;
           current: this week so far), from the local store or, with --table, from the deployed
           table with your AWS credentials; html is the email's HTML part, eml the whole email a
           mail client opens
  incidents [KEY]
           print the incidents (or one) from the local store, with or without a running server
  backfill --since 2025-01-01 [--jql "project = OPS"] [--concurrency 4] [--effects-after <time>] [--table <name>]
           import incident history from Jira (JIRA_SITE, JIRA_EMAIL, JIRA_API_TOKEN) into the local
           store, or with --table into the deployed table; run it again to resume
  sync     create the follow-ups of the local postmortems' action items ("- [ ] item @owner
           YYYY-MM-DD" under "## Action Items") as LOCAL-n tickets; GET /incidents/KEY/follow-ups
  reconcile [--table <name>]
           one reconciler pass: store what webhooks missed since the last pass
  status-page --out <dir> [--base-url https://status.example.com]
           write the public status page (HTML, Atom feed, /api/v2/summary.json, badge) from the
           local store as of now; \`npm start\` serves the same at /status
  move KEY "Status"
           move an issue alerts opened in local mode (OPS-1…), or the demo's, to a status of the
           board, as a person would on Jira: the running server receives the webhook Jira would send
  comment KEY "text"
           comment on such an issue, likewise
  schema   print the settings' JSON Schema
  check    validate the settings (cdk.json context "incidentFlow", then INCIDENT_FLOW_CONFIG)

Commands on the local store use the server that holds DATA_DIR (DATA_DIR/lock.json names it and its
ports), or open DATA_DIR themselves when none runs.
`;

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'start':
      return start();
    case 'demo':
      return demo();
    case 'incidents':
      return incidents(process.argv[3]);
    case 'report':
      return report(process.argv.slice(3));
    case 'backfill':
      return backfillCommand(process.argv.slice(3), commandContext());
    case 'reconcile':
      return reconcileCommand(process.argv.slice(3), commandContext());
    case 'sync': {
      const env = localEnv();
      return syncCommand({
        settings: loadSettings(),
        dataDir: env.DATA_DIR,
        local: localStoreOf(env.DATA_DIR),
        out: (text) => process.stdout.write(text),
      });
    }
    case 'status-page': {
      const env = localEnv();
      return statusPageCommand(process.argv.slice(3), {
        settings: loadSettings(),
        local: localStoreOf(env.DATA_DIR),
        nowMs: Date.now,
        out: (text) => process.stderr.write(text),
      });
    }
    case 'move':
    case 'comment': {
      const env = localEnv();
      const recorded = process.env.PORT === undefined ? holderOf(resolve(env.DATA_DIR))?.port : undefined;
      return localJiraCommand(command, process.argv.slice(3), {
        settings: loadSettings(),
        dataDir: env.DATA_DIR,
        baseUrl: `http://127.0.0.1:${recorded ?? env.PORT}`,
        secret: env.WEBHOOK_SECRET,
        out: (text) => process.stdout.write(text),
      });
    }
    case 'schema':
      process.stdout.write(`${JSON.stringify(settingsJsonSchema(), null, 2)}\n`);
      return;
    case 'check':
      loadSettings();
      process.stdout.write('settings are valid\n');
      return;
    default:
      process.stdout.write(HELP);
      if (command !== undefined && command !== 'help') process.exitCode = 2;
  }
}

main(process.argv[2]).catch((error: unknown) => {
  const message = error instanceof AppError || error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code;
  process.stderr.write(
    code === 'EADDRINUSE'
      ? `A port is already in use (${message}): set PORT or DYNAMODB_PORT.\n`
      : `${message}\n`,
  );
  process.exit(1);
});
