import type { IncidentEvent } from '#shared/domain/events.ts';
import { buildStatusPage, type StatusPage } from '#shared/domain/status-page-model.ts';
import type { Settings } from '#shared/settings.ts';
import { incident, MINUTE, settingsWith } from './builders.ts';
import { recordOf } from './status-page-builders.ts';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The team's settings of the samples: three public components over five Jira components, Berlin time. */
export const sampleSettings: Settings = settingsWith({
  timeZone: 'Europe/Berlin',
  statusPage: {
    title: 'Acme status',
    components: [
      {
        name: 'Checkout',
        jiraComponents: ['checkout-api', 'payments'],
        description: 'Cart, payment and orders',
      },
      { name: 'Search', jiraComponents: ['search-api'] },
      { name: 'Website', jiraComponents: ['web'] },
      { name: 'Public API', jiraComponents: ['gateway'] },
    ],
  },
});

/** Now, in the samples: a Wednesday afternoon in Berlin. */
export const SAMPLE_NOW_MS = Date.parse('2026-11-18T14:00:00Z');

/** Things nobody outside the team may ever read, planted in the samples' incidents. */
export const SECRETS = [
  'Primary DB failover',
  'ACME-internal',
  'Mia Commander',
  '5b10a2844c20165700ede21g',
  'atlassian.net',
  'notion.so',
  'DB primary at 100% CPU',
  'Secret migration',
  'ops-77',
  'OPS-77',
  'customfield',
] as const;

/** An incident moved along the board from `startMs`, a status every `stepMinutes`, with comments. */
function walk(
  issueId: string,
  key: string,
  startMs: number,
  statuses: readonly string[],
  options: { priority: string; components: string[]; labels?: string[]; stepMinutes?: number },
): IncidentEvent[] {
  const step = (options.stepMinutes ?? 20) * MINUTE;
  const inc = incident(issueId, {
    key,
    summary: `Primary DB failover broke ${options.components.join(' and ')} (ACME-internal)`,
    priority: options.priority,
    components: options.components,
    labels: ['incident', ...(options.labels ?? [])],
    createdMs: startMs,
    assignee: { accountId: '5b10a2844c20165700ede21g', displayName: 'Mia Commander' },
  });
  const created = inc.created();
  const events: IncidentEvent[] = [{ ...created, atMs: startMs }];
  statuses.slice(1).forEach((status, i) => {
    const move = inc.move(Number(issueId) * 100 + i, 0, statuses[i] ?? '', status);
    events.push({
      ...move,
      atMs: startMs + (i + 1) * step,
      issue: { ...move.issue, updatedMs: startMs + (i + 1) * step },
    });
  });
  const comment = (id: number, atMs: number, body: string): IncidentEvent => {
    const written = inc.comment(id, 0, body);
    if (written.kind !== 'comment-written') throw new Error('not a comment');
    return { ...written, atMs, createdMs: atMs, updatedMs: atMs, eventId: `comment#${id}#${atMs}` };
  };
  events.push(
    comment(
      Number(issueId) * 10 + 1,
      startMs + step + MINUTE,
      'Mia Commander: DB primary at 100% CPU, see https://acme.atlassian.net/browse/OPS-9',
    ),
    comment(
      Number(issueId) * 10 + 2,
      startMs + 2 * step + MINUTE,
      'Status update: Some card payments fail; we are moving traffic to the standby. [~accountid:5b10a2844c20165700ede21g] notes in [the runbook|https://acme.notion.so/runbook]',
    ),
  );
  return events;
}

const BOARD = ['Detected', 'Declared', 'Triaged', 'Investigating', 'Mitigating', 'Resolved', 'Postmortem'];

/** Past incidents of the last weeks, all resolved, and one the team marked internal. */
function history(): IncidentEvent[][] {
  return [
    walk('201', 'OPS-201', SAMPLE_NOW_MS - 12 * DAY, BOARD, { priority: 'High', components: ['search-api'] }),
    walk('202', 'OPS-202', SAMPLE_NOW_MS - 40 * DAY, BOARD.slice(0, 6), {
      priority: 'Medium',
      components: ['web', 'gateway'],
    }),
    walk('203', 'OPS-203', SAMPLE_NOW_MS - 70 * DAY - 3 * HOUR, BOARD.slice(0, 6), {
      priority: 'Highest',
      components: ['payments'],
      stepMinutes: 45,
    }),
    walk('77', 'OPS-77', SAMPLE_NOW_MS - 5 * DAY, BOARD, {
      priority: 'Highest',
      components: ['checkout-api'],
      labels: ['internal'],
    }),
  ];
}

export type SampleName = 'all-operational' | 'sev1-in-progress' | 'resolved';

/** The page of a sample: all operational; a SEV1 on Checkout being mitigated; that SEV1 resolved. */
export function samplePage(name: SampleName, settings: Settings = sampleSettings): StatusPage {
  const events = history();
  if (name !== 'all-operational') {
    const statuses = name === 'resolved' ? BOARD.slice(0, 6) : BOARD.slice(0, 5);
    events.push(
      walk('301', 'OPS-301', SAMPLE_NOW_MS - 2 * HOUR, statuses, {
        priority: 'Highest',
        components: ['checkout-api', 'payments'],
      }),
    );
  }
  return buildStatusPage({
    incidents: events.map((each) => recordOf(each, settings)),
    options: settings.statusPage,
    board: settings.board,
    timeZone: settings.timeZone,
    nowMs: SAMPLE_NOW_MS,
  });
}

/** Where the samples say the page is served. */
export const SAMPLE_BASE_URL = 'https://status.example.com';
