import { parseArgs } from 'node:util';
import { createCloudClient } from 'jira.js';
import { createClient } from 'jira.js/core';
import * as z from 'zod/mini';
import { createDynamoReconcileLedger } from '#shared/adapters/dynamo-reconcile-ledger.ts';
import { createJiraIncidentSource } from '#shared/adapters/jira-incident-source.ts';
import { withRequestTimeout } from '#shared/adapters/jira-request-timeout.ts';
import { formatDuration } from '#shared/domain/durations.ts';
import { plural } from '#shared/domain/plural.ts';
import { customFieldsOf, readingOf } from '#shared/jira/jira-webhook.ts';
import { OUTBOUND_TIMEOUTS } from '#shared/outbound-timeouts.ts';
import type { Log } from '#shared/ports.ts';
import type { Settings } from '#shared/settings.ts';
import { backfillIncidents } from '#shared/use-cases/backfill-incidents.ts';
import { reconcileIncidents } from '#shared/use-cases/reconcile-incidents.ts';
import { refreshIncident } from '#shared/use-cases/refresh-incident.ts';
import type { ReconcileDeps, SweepProgress } from '#shared/use-cases/sweep-issues.ts';
import type { LocalStoreOptions } from './local-store.ts';
import { openTable } from './local-wiring.ts';

/** The Jira account the commands read with; never printed. */
const jiraEnvSchema = z.object({
  JIRA_SITE: z
    .string()
    .check(z.regex(/^https?:\/\/[^/\s]+\/?$/, 'your Jira site, e.g. https://your-team.atlassian.net')),
  JIRA_EMAIL: z.string().check(z.minLength(1, 'the email of the Jira account to read with')),
  JIRA_API_TOKEN: z.string().check(z.minLength(1, 'an API token of that account (id.atlassian.com)')),
});

export interface CommandContext {
  readonly settings: Settings;
  readonly local: LocalStoreOptions;
  readonly env: Record<string, string | undefined>;
  readonly out: (text: string) => void;
  /** True when `out` is a terminal: the progress bar redraws one line instead of printing many. */
  readonly interactive: boolean;
}

function jiraSource(env: Record<string, string | undefined>, settings: Settings, onRequest: () => void) {
  const parsed = jiraEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new Error(`Set the Jira account to read with:\n${z.prettifyError(parsed.error)}`);
  const transport = createClient({
    host: parsed.data.JIRA_SITE.replace(/\/$/, ''),
    auth: { type: 'basic', email: parsed.data.JIRA_EMAIL, apiToken: parsed.data.JIRA_API_TOKEN },
  });
  const client = createCloudClient(withRequestTimeout(transport, OUTBOUND_TIMEOUTS.jiraRequestMs));
  return createJiraIncidentSource(client, {
    extraFields: customFieldsOf(readingOf(settings)),
    onRequest,
  });
}

/**
 * The store a command writes to: the local one (through the DynamoDB port of the server holding
 * DATA_DIR, or DATA_DIR opened here), or with `--table` the deployed table on AWS (credentials from the usual places).
 * Locally there is no stream, so each repaired incident is folded here; on AWS the stream does it.
 */
async function openTarget(table: string | undefined, context: CommandContext, command: string) {
  // An import may be the first thing a DATA_DIR holds.
  const target = await openTable(table, context.local, { command, create: true, note: context.out });
  const { store } = target;
  return {
    store,
    ledger: createDynamoReconcileLedger(target.client, target.tableName),
    afterStore: target.isLocal
      ? async (issue: { readonly id: string; readonly key: string }, added: number) => {
          if (added === 0 && (await store.getStateByKey(issue.key)) !== null) return;
          await refreshIncident(issue.id, { store, settings: context.settings, nowMs: Date.now });
        }
      : undefined,
    close: target.close,
  };
}

/** `[#####-----] 412/1000 issues · 8.3/s · ETA 1m · 2,341 events added` */
export function progressLine(
  progress: SweepProgress,
  total: number | null,
  startedAtMs: number,
  nowMs: number,
  baseline: number,
): string {
  const handled = progress.done + progress.skipped;
  const worked = progress.done;
  const rate = worked / Math.max(0.001, (nowMs - startedAtMs) / 1000);
  const left = total === null ? null : Math.max(0, total - baseline - handled);
  const etaMs = left === null || rate === 0 ? null : Math.round((left / rate) * 1000);
  // Durations are written to the minute; the last minute of a run counts down in seconds.
  const eta = etaMs === null ? '?' : etaMs < 59_500 ? `${Math.round(etaMs / 1000)}s` : formatDuration(etaMs);
  const width = 24;
  const shown =
    total === null || total === 0 ? 0 : Math.min(width, Math.round(((baseline + handled) / total) * width));
  const bar = total === null ? '' : `[${'#'.repeat(shown)}${'-'.repeat(width - shown)}] `;
  const of = total === null ? '' : `/${total}`;
  return `${bar}${baseline + handled}${of} issues · ${rate.toFixed(1)}/s · ETA ${eta} · ${progress.eventsAdded.toLocaleString('en-US')} events added`;
}

function depsFor(
  context: CommandContext,
  target: Awaited<ReturnType<typeof openTarget>>,
  concurrency: number,
  counter: { requests: number },
  log: Log,
): ReconcileDeps {
  return {
    store: target.store,
    ledger: target.ledger,
    readMarks: target.ledger,
    source: jiraSource(context.env, context.settings, () => {
      counter.requests += 1;
    }),
    reading: readingOf(context.settings),
    incidents: context.settings.incidents,
    log,
    nowMs: Date.now,
    concurrency,
    ...(target.afterStore ? { afterStore: target.afterStore } : {}),
  };
}

const concurrencyOf = (value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16)
    throw new Error(`--concurrency ${value}: a whole number from 1 to 16`);
  return n;
};

/** Log lines of the use case, printed between progress redraws. */
function printingLog(context: CommandContext, clearLine: () => void): Log {
  const print = (level: string) => (message: string, details?: Record<string, unknown>) => {
    clearLine();
    context.out(`${level}: ${message}${details ? ` ${JSON.stringify(details)}` : ''}\n`);
  };
  return { info: () => undefined, warn: print('warning'), error: print('error') };
}

/**
 * `incident-flow backfill --since 2025-01-01 [--jql "..."] [--concurrency 4] [--effects-after <time>]
 * [--table <name>]`: imports the team's incident history. Run the same command again to resume.
 */
export async function backfillCommand(args: readonly string[], context: CommandContext): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      since: { type: 'string' },
      jql: { type: 'string' },
      concurrency: { type: 'string' },
      'effects-after': { type: 'string' },
      table: { type: 'string' },
    },
  });
  if (values.since === undefined)
    throw new Error('--since is required: the first day to import, e.g. --since 2025-01-01');
  const effectsAfter = values['effects-after'];
  const effectsFromMs = effectsAfter === undefined ? undefined : Date.parse(effectsAfter);
  if (effectsFromMs !== undefined && Number.isNaN(effectsFromMs))
    throw new Error(`--effects-after ${effectsAfter}: an ISO 8601 time such as 2026-11-24T09:00:00Z`);
  const concurrency = concurrencyOf(values.concurrency, context.settings.reconciler.concurrency);
  const target = await openTarget(values.table, context, 'backfill');
  const counter = { requests: 0 };
  let total: number | null = null;
  let baseline = 0;
  const startedAtMs = Date.now();
  let lastPrintMs = 0;
  let drawn = false;
  const clearLine = () => {
    if (drawn && context.interactive) context.out('\r\x1b[2K');
    drawn = false;
  };
  let lastTenth = -1;
  const draw = (progress: SweepProgress, force = false) => {
    const nowMs = Date.now();
    // In a log (not a terminal) a line every 5 s, and one at each tenth of the way.
    const tenth = total ? Math.floor(((progress.done + progress.skipped) / total) * 10) : -1;
    const due = context.interactive
      ? nowMs - lastPrintMs >= 200
      : nowMs - lastPrintMs >= 5_000 || tenth > lastTenth;
    if (!force && !due) return;
    lastPrintMs = nowMs;
    lastTenth = Math.max(lastTenth, tenth);
    const line = progressLine(progress, total, startedAtMs, nowMs, baseline);
    if (context.interactive) {
      context.out(`\r\x1b[2K${line}`);
      drawn = true;
    } else context.out(`${line}\n`);
  };
  // Ctrl-C leaves at once: what was stored stays, issues under way are not marked finished, and the
  // same command reads them again. Closing the store first would fail the requests still in flight.
  const interrupted = () => {
    clearLine();
    context.out('\nInterrupted: run the same command to resume; finished issues are not read again.\n');
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  try {
    const result = await backfillIncidents(
      depsFor(context, target, concurrency, counter, printingLog(context, clearLine)),
      {
        since: values.since,
        ...(values.jql === undefined ? {} : { jql: values.jql }),
        ...(effectsFromMs === undefined ? {} : { effectsFromMs }),
        onStart: (info) => {
          total = info.total;
          baseline = 0;
          context.out(
            `${info.resumed ? 'Resuming' : 'Starting'} the backfill: about ${info.total ?? '?'} incidents${info.alreadyFinished > 0 ? `, ${info.alreadyFinished} already imported` : ''}\n`,
          );
        },
        onProgress: (progress) => draw(progress),
      },
    );
    draw({ done: result.issuesRead, skipped: result.issuesSkipped, eventsAdded: result.eventsAdded }, true);
    clearLine();
    context.out(
      [
        '',
        `${result.complete ? 'Done' : 'Stopped early (run the same command to resume)'}: ${plural(result.issuesRead, 'issue')} read, ${result.issuesSkipped} already imported, ${result.repaired.length} with new events, ${plural(result.eventsAdded, 'event')} added`,
        `Jira requests: ${counter.requests} (${result.issuesRead > 0 ? (counter.requests / result.issuesRead).toFixed(2) : '0'} per issue read)`,
        `Effects (notifications, postmortems) only for what happened after ${new Date(result.effectsFromMs).toISOString()}`,
        ...result.failed.map((failure) => `  not imported: ${failure.key}: ${failure.error}`),
        '',
      ].join('\n'),
    );
    if (!result.complete) process.exitCode = 1;
  } finally {
    process.removeListener('SIGINT', interrupted);
    await target.close();
  }
}

/** `incident-flow reconcile [--table <name>]`: one reconciler pass, as the scheduled function runs it. */
export async function reconcileCommand(args: readonly string[], context: CommandContext): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: { table: { type: 'string' }, concurrency: { type: 'string' } },
  });
  const target = await openTarget(values.table, context, 'reconcile');
  const counter = { requests: 0 };
  try {
    const run = await reconcileIncidents(
      depsFor(
        context,
        target,
        concurrencyOf(values.concurrency, context.settings.reconciler.concurrency),
        counter,
        printingLog(context, () => undefined),
      ),
      {
        overlapMinutes: context.settings.reconciler.overlapMinutes,
        firstRunLookbackHours: context.settings.reconciler.firstRunLookbackHours,
      },
    );
    context.out(
      [
        `${run.complete ? 'Reconciled' : 'Reconciled in part'}: ${plural(run.issuesRead, 'incident')} read, ${plural(run.eventsAdded, 'event')} added, ${plural(counter.requests, 'Jira request')}`,
        ...run.repaired.map(
          (repair) => `  ${repair.key}: ${plural(repair.added, 'event')} the webhooks missed`,
        ),
        `Watermark: ${run.watermarkMs === null ? 'none' : new Date(run.watermarkMs).toISOString()}`,
        '',
      ].join('\n'),
    );
    if (!run.complete) process.exitCode = 1;
  } finally {
    await target.close();
  }
}
