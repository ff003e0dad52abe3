import { formatDuration } from '#shared/domain/durations.ts';
import { plural } from '#shared/domain/plural.ts';
import { sendDemoAlert } from './demo-alert.ts';
import { runCiDemo } from './demo-ci.ts';
import { demoLifecycle } from './demo-lifecycle.ts';

interface IncidentJson {
  key: string;
  summary: string;
  severity: string | null;
  status: string | null;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  reopenCount: number;
  timeToAcknowledgeMs: number | null;
  timeToResolveMs: number | null;
  stageDurationsMs: Record<string, number>;
  visits: { stage: string; status: string; enteredAt: string; leftAt: string | null }[];
}

const clock = (iso: string | null): string => (iso === null ? '(now)' : iso.slice(0, 19).replace('T', ' '));

/** The incident's timeline as a table for a terminal. */
export function timelineTable(incident: IncidentJson): string {
  const rows = incident.visits.map((visit) => {
    const durationMs = visit.leftAt === null ? null : Date.parse(visit.leftAt) - Date.parse(visit.enteredAt);
    return [
      visit.stage,
      visit.status,
      clock(visit.enteredAt),
      clock(visit.leftAt),
      durationMs === null ? 'open' : formatDuration(durationMs),
    ];
  });
  const header = ['stage', 'status', 'entered (UTC)', 'left (UTC)', 'time'];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  const totals = Object.entries(incident.stageDurationsMs).map(
    ([stage, ms]) => `${stage} ${formatDuration(ms)}`,
  );
  const orNone = (ms: number | null) => (ms === null ? 'not yet' : formatDuration(ms));
  return [
    `${incident.key}  ${incident.summary}  [${incident.severity ?? 'no severity'}, ${incident.status}]`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `time to acknowledge  ${orNone(incident.timeToAcknowledgeMs)}`,
    `time to resolve      ${orNone(incident.timeToResolveMs)}`,
    `reopened             ${plural(incident.reopenCount, 'time')}`,
    `time per stage       ${totals.join(', ')}`,
  ].join('\n');
}

/** Throws one line naming the address tried and how to start a server, when none answers there. */
async function ensureServerAt(baseUrl: string): Promise<void> {
  try {
    await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new Error(
      `no incident-flow server answers at ${baseUrl} (${cause}); start one with \`npm start\` in another terminal, or set PORT to the port yours listens on`,
    );
  }
}

/**
 * Sends a signed incident lifecycle to a running local server and prints the resulting timeline, then
 * an alert that opens an incident of its own.
 */
export async function runDemo(
  baseUrl: string,
  secret: string | undefined,
  write: (text: string) => void,
): Promise<boolean> {
  await ensureServerAt(baseUrl);
  const nowMs = Date.now();
  const number = 1000 + (Math.floor(nowMs / 1000) % 9000);
  const incident = {
    issueId: String(Math.floor(nowMs / 1000)),
    key: `INC-${number}`,
    openedAtMs: nowMs - 3 * 3_600_000,
  };
  write(`Sending ${incident.key}'s lifecycle to ${baseUrl}/webhooks/jira${secret ? ' (signed)' : ''}\n`);
  let ok = true;
  for (const delivery of demoLifecycle(incident, secret)) {
    const response = await fetch(`${baseUrl}/webhooks/jira`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    const answer = await response.text();
    write(`  ${String(response.status).padEnd(4)} ${delivery.label.padEnd(44)} ${answer}\n`);
    if (response.status === 401) {
      write('\nThe server checks signatures: run the demo with the same WEBHOOK_SECRET as the server.\n');
      return false;
    }
    if (response.status >= 400) ok = false;
  }
  const response = await fetch(`${baseUrl}/incidents/${incident.key}`);
  if (!response.ok) {
    write(`\nGET /incidents/${incident.key} answered ${response.status}: ${await response.text()}\n`);
    return false;
  }
  write(`\n${timelineTable((await response.json()) as IncidentJson)}\n`);
  write(`\nThe same as JSON: curl ${baseUrl}/incidents/${incident.key}\n`);
  const alert = await sendDemoAlert(baseUrl, secret, write);
  return (await runCiDemo(baseUrl, secret, write, nowMs)) && ok && alert.ok;
}
