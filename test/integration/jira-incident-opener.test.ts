import { createCloudClient } from 'jira.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createJiraIncidentOpener } from '#shared/adapters/jira-incident-opener.ts';
import { ALERT_INCIDENT_LABEL, alertLabel } from '#shared/domain/alert-incident.ts';
import type { DocBlock } from '#shared/domain/doc-blocks.ts';
import { UpstreamRefusedError } from '#shared/errors.ts';
import type { IncidentDraft } from '#shared/ports.ts';
import { startJiraSimulator } from '../simulators/jira-simulator.ts';

const CREDENTIALS = { email: 'bot@example.com', apiToken: 'test-token' };
const START_FIELD = 'customfield_10070';
const DESCRIPTION: DocBlock[] = [
  { kind: 'paragraph', runs: [{ text: 'Opened by Incident Flow from an alert.', url: null }] },
  { kind: 'heading', level: 3, runs: [{ text: 'HighLatency (alertmanager, firing)', url: null }] },
  {
    kind: 'bullet',
    runs: [
      { text: 'runbook: ', url: null },
      { text: 'https://runbooks.example.com/x', url: 'https://runbooks.example.com/x' },
    ],
  },
  {
    kind: 'bullet',
    runs: [
      { text: 'severity: ', url: null, marks: { bold: true } },
      { text: 'critical', url: null },
    ],
  },
];
const DRAFT: IncidentDraft = {
  project: 'OPS',
  summary: 'p99 latency above 2 s on checkout',
  description: DESCRIPTION,
  priority: 'Highest',
  component: 'checkout-api',
  labels: [ALERT_INCIDENT_LABEL, alertLabel('alertmanager:abc')],
  startedAtMs: Date.parse('2026-12-08T09:55:00Z'),
  assignee: null,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function openerAgainst(createFields?: readonly string[]) {
  const jira = await startJiraSimulator({
    requestsPerSecond: 10_000,
    burst: 10_000,
    projects: [{ key: 'OPS', ...(createFields ? { createFields } : {}) }],
  });
  closers.push(jira.close);
  const client = createCloudClient({
    host: jira.baseUrl,
    auth: { type: 'basic', ...CREDENTIALS },
    onSchemaMismatch: 'throw',
  });
  const opener = createJiraIncidentOpener(client, {
    issueType: 'Incident',
    startField: START_FIELD,
    initialBackoffMs: 10,
  });
  return { jira, opener };
}

const ALL_FIELDS = ['summary', 'description', 'assignee', 'labels', 'priority', 'components', START_FIELD];

describe('the Jira incident opener', () => {
  it('creates the incident issue with an ADF description, its labels, and finds it again by its label', async () => {
    const { jira, opener } = await openerAgainst(ALL_FIELDS);

    const { key } = await opener.open(DRAFT);

    const [ticket] = jira.tickets();
    expect(ticket?.key).toBe(key);
    expect(ticket?.fields).toMatchObject({
      summary: DRAFT.summary,
      issuetype: { name: 'Incident' },
      labels: [...DRAFT.labels],
      description: { type: 'doc', version: 1 },
    });
    expect(JSON.stringify(ticket?.fields.description)).toContain('"href":"https://runbooks.example.com/x"');
    expect(await opener.findByLabel(alertLabel('alertmanager:abc'))).toBe(key);
    expect(await opener.findByLabel(alertLabel('alertmanager:other'))).toBeNull();
  });

  it('comments and moves the issue by status name, and says when no transition leads there', async () => {
    const { jira, opener } = await openerAgainst(ALL_FIELDS);
    const { key } = await opener.open(DRAFT);

    await opener.comment(key, 'Alert HighLatency cleared at 2026-12-08 10:15 (UTC).');
    const moved = await opener.transition(key, 'Mitigating');
    const nowhere = await opener.transition(key, 'No such status');

    expect(jira.comments(key).map((comment) => comment.text)).toEqual([
      'Alert HighLatency cleared at 2026-12-08 10:15 (UTC).',
    ]);
    expect(moved).toBe('moved');
    expect(nowhere).toBe('unavailable');
    expect(jira.tickets()[0]?.fields.status.name).toBe('Mitigating');
  });

  it('refuses with what to fix when the create screen lacks the start field', async () => {
    const { opener } = await openerAgainst(ALL_FIELDS.filter((field) => field !== START_FIELD));

    const failure = await opener.open(DRAFT).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UpstreamRefusedError);
    expect((failure as Error).message).toContain(START_FIELD);
  });
});
