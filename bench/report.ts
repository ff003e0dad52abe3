import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDeploymentStore } from '#shared/adapters/dynamo-deployment-store.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { ensureEventTable } from '#shared/adapters/dynamo-table.ts';
import { createLocalDynamoClient, startLocalDynamo } from '#shared/adapters/local-dynamo.ts';
import type { IncidentEvent } from '#shared/domain/events.ts';
import { formatIsoWeek, type IsoWeek, shiftWeeks, weekBounds } from '#shared/domain/iso-weeks.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { resolveSettings, type Settings } from '#shared/settings.ts';
import { buildWeeklyReport } from '#shared/use-cases/build-weekly-report.ts';
import { weeksOf } from '#shared/use-cases/refresh-incident.ts';

const WEEKS_OF_HISTORY = 104;
/** The report's week and the seven before it (whose summaries the trend reads) hold the same incidents at every size. */
const WINDOW_WEEKS = 8;
/** Incidents opened in each week of that window, whatever the history around it. */
export const WINDOW_INCIDENTS_PER_WEEK = 40;
const MINUTE = 60_000;
const STATUSES = ['Detected', 'Declared', 'Triaged', 'Investigating', 'Mitigating', 'Resolved'] as const;

export interface ReportScaleFigures {
  readonly storedIncidents: number;
  readonly weekIncidents: number;
  readonly coldItemsRead: number;
  readonly coldMs: number;
  readonly warmItemsRead: number;
  readonly warmMs: number;
}

/** Counts the items every Query, GetItem and BatchGetItem answer carries. */
function countItemsRead(client: DynamoDBClient): { read: () => number; reset: () => void } {
  let items = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as {
        Count?: number;
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
      };
      items +=
        output.Count ??
        (output.Item ? 1 : 0) +
          Object.values(output.Responses ?? {}).reduce((sum, list) => sum + list.length, 0);
      return result;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  return { read: () => items, reset: () => (items = 0) };
}

/** A short resolved lifecycle, opened at `openedAtMs`, as Jira's events would fold into it. */
function lifecycle(n: number, openedAtMs: number): IncidentEvent[] {
  const issueId = String(100_000 + n);
  const issue = {
    key: `INC-${n}`,
    summary: `Incident ${n}`,
    issueType: 'Incident',
    priority: ['Highest', 'High', 'Medium', 'Low'][n % 4],
    createdMs: openedAtMs,
  };
  const gaps = [3 + (n % 7), 5, 9 + (n % 13), 20 + (n % 50), 15 + (n % 40)];
  let atMs = openedAtMs;
  const events: IncidentEvent[] = [
    {
      issueId,
      atMs,
      seq: 0,
      actor: null,
      issue: { ...issue, status: { id: null, name: 'Detected' } },
      kind: 'issue-created',
      eventId: `issue#${issueId}#created`,
    },
  ];
  STATUSES.slice(1).forEach((to, i) => {
    atMs += (gaps[i] ?? 5) * MINUTE;
    const from = STATUSES[i] ?? 'Detected';
    events.push({
      issueId,
      atMs,
      seq: i + 1,
      actor: null,
      issue: { ...issue, updatedMs: atMs },
      kind: 'status-changed',
      eventId: `changelog#${n}${i}#status`,
      from: { id: null, name: from },
      to: { id: null, name: to },
    });
  });
  return events;
}

/**
 * The same incidents in the report's week and the seven before it at every size (numbered first,
 * so they are identical), and the rest of `count` spread over the weeks of history before them.
 */
async function seed(
  store: ReturnType<typeof createDynamoEventStore>,
  settings: Settings,
  count: number,
  lastWeek: IsoWeek,
): Promise<void> {
  const windowStartMs = weekBounds(shiftWeeks(lastWeek, -(WINDOW_WEEKS - 1)), settings.timeZone).startMs;
  const { endMs } = weekBounds(lastWeek, settings.timeZone);
  const windowCount = WINDOW_WEEKS * WINDOW_INCIDENTS_PER_WEEK;
  if (count < windowCount)
    throw new Error(`a history of ${count} cannot hold the ${windowCount} incidents of the window`);
  const windowSpacingMs = (endMs - windowStartMs - 6 * 3_600_000) / windowCount;
  const historyStartMs = weekBounds(shiftWeeks(lastWeek, -(WEEKS_OF_HISTORY - 1)), settings.timeZone).startMs;
  const historySpacingMs =
    (windowStartMs - historyStartMs - 6 * 3_600_000) / Math.max(1, count - windowCount);
  const openedAtMs = (n: number) =>
    n < windowCount
      ? windowStartMs + n * windowSpacingMs
      : historyStartMs + (n - windowCount) * historySpacingMs;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const state = foldIncident(lifecycle(n, Math.round(openedAtMs(n))), settings);
      if (state) await store.saveState(state, weeksOf(state, settings.timeZone));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/**
 * The weekly report's cost as history grows around the same weeks: the report's week and the seven
 * before it hold the same incidents at every size, the rest of two years fills up; the report runs
 * once with no stored summaries (cold) and once with them (warm).
 */
export async function measureReportScale(sizes: readonly number[]): Promise<ReportScaleFigures[]> {
  const resolved = resolveSettings([]);
  if (!resolved.ok) throw new Error(resolved.message);
  const settings = resolved.settings;
  const figures: ReportScaleFigures[] = [];
  for (const size of sizes) {
    const dynamo = await startLocalDynamo({ port: 0 });
    const client = createLocalDynamoClient(dynamo.endpoint);
    try {
      const counter = countItemsRead(client);
      await ensureEventTable(client, 'report-bench');
      const store = createDynamoEventStore(client, 'report-bench');
      const week: IsoWeek = { year: 2026, week: 47 };
      await seed(store, settings, size, week);
      const deps = {
        store,
        deployments: createDynamoDeploymentStore(client, 'report-bench'),
        settings,
        nowMs: () => weekBounds(week, settings.timeZone).endMs + 9 * 3_600_000,
      };
      counter.reset();
      let started = performance.now();
      const report = await buildWeeklyReport(week, deps);
      const coldMs = performance.now() - started;
      const coldItemsRead = counter.read();
      counter.reset();
      started = performance.now();
      await buildWeeklyReport(week, deps);
      figures.push({
        storedIncidents: size,
        weekIncidents: report.metrics.incidents.length,
        coldItemsRead,
        coldMs,
        warmItemsRead: counter.read(),
        warmMs: performance.now() - started,
      });
      if (formatIsoWeek(report.week) !== '2026-W47') throw new Error('the report covered the wrong week');
    } finally {
      client.destroy();
      await dynamo.close();
    }
  }
  return figures;
}
