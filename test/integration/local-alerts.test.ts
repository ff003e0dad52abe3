import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { localJiraCommand } from '../../bin/local-jira-command.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';
import { alertFixture } from '../fixtures/load.ts';

const SECRET = 'alert-intake-secret-0123456789';
const bearer = { authorization: `Bearer ${SECRET}` };
const basic = { authorization: `Basic ${Buffer.from(`grafana:${SECRET}`).toString('base64')}` };
const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-alerts-'));
const settings = settingsWith({ alerts: { catchAll: { project: 'OPS' }, maxNewIncidentsPerMinute: 5 } });

interface Answer {
  alerts: { name: string; status: string; outcome: { kind: string; step?: string; incidentKey?: string } }[];
  error?: string;
  problems?: { path: string }[];
}

const generic = (fingerprint: string, status = 'firing') => ({
  title: `Synthetic check ${fingerprint} failing`,
  status,
  fingerprint,
  severity: 'warning',
  service: 'checkout',
  startsAt: '2026-12-08T09:58:00Z',
  links: ['https://monitoring.example.com/checks/1'],
});

describe('alerts through the local server, with its Jira stand-in', () => {
  let server: LocalServer;

  const post = async (tool: string, body: unknown, headers: Record<string, string> = bearer) => {
    const response = await fetch(`${server.url}/webhooks/alerts/${tool}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, answer: (await response.json()) as Answer };
  };
  const issue = (key: string) => server.jira.issues().find((each) => each.key === key);

  beforeAll(async () => {
    server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      dataDir: join(dataDir, 'dynamo'),
      localJiraPath: join(dataDir, 'jira-issues.json'),
      postmortemsDir: join(dataDir, 'postmortems'),
      settings,
      webhookSecrets: { current: SECRET, previous: 'the-previous-secret-0123' },
      log: silentLog,
    });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses an unauthenticated delivery with 401 and stores nothing', async () => {
    const none = await post('alertmanager', alertFixture('alertmanager-webhook-firing-1'), {});
    const wrong = await post('generic', generic('x'), { authorization: 'Bearer not-the-secret-at-all' });

    expect([none.status, wrong.status]).toEqual([401, 401]);
    expect(server.jira.issues()).toEqual([]);
    expect(await (await fetch(`${server.url}/incidents`)).json()).toEqual({ incidents: [] });
  });

  it('opens OPS-1 for an Alertmanager group of two alerts, in Detected, listed by GET /incidents', async () => {
    const { status, answer } = await post('alertmanager', alertFixture('alertmanager-webhook-firing-1'));

    expect(status).toBe(200);
    expect(answer.alerts.map((alert) => alert.outcome)).toEqual([
      { kind: 'incident', step: 'open', incidentKey: 'OPS-1' },
      { kind: 'incident', step: 'open', incidentKey: 'OPS-1' },
    ]);
    expect(issue('OPS-1')).toMatchObject({ status: 'Detected', issueType: 'Incident', priority: 'Highest' });
    const listed = (await (await fetch(`${server.url}/incidents`)).json()) as { incidents: unknown[] };
    expect(listed.incidents).toEqual([
      expect.objectContaining({
        key: 'OPS-1',
        status: 'Detected',
        severity: 'SEV1',
        stage: 'detection',
        source: 'alert',
      }),
    ]);
  });

  it('shows where OPS-1 came from: the tool, the alert, its links, its start and the time to detect', async () => {
    const incident = (await (await fetch(`${server.url}/incidents/OPS-1`)).json()) as {
      source: { kind: string; links: { url: string }[]; alertStartedAt: string; timeToDetectMs: number };
    };

    expect(incident.source).toMatchObject({
      kind: 'alert',
      tool: 'alertmanager',
      alertName: 'High CPU Temperature',
    });
    expect(incident.source.links.length).toBeGreaterThan(0);
    expect(Date.parse(incident.source.alertStartedAt)).toBeLessThan(Date.now());
    expect(incident.source.timeToDetectMs).toBeGreaterThan(0);
  });

  it('comments once when the same group is delivered again, then not again within commentEveryMinutes', async () => {
    const again = await post('alertmanager', alertFixture('alertmanager-webhook-firing-1'));
    await post('alertmanager', alertFixture('alertmanager-webhook-firing-1'));

    expect(again.answer.alerts[0]?.outcome).toEqual({
      kind: 'incident',
      step: 'fired-again',
      incidentKey: 'OPS-1',
    });
    expect(issue('OPS-1')?.comments.map((comment) => comment.body)).toEqual([
      expect.stringContaining('Alert High CPU Temperature fired again (2 alerts)'),
    ]);
    expect(server.jira.issues()).toHaveLength(1);
  });

  it('comments "alert cleared at" when the group resolves, and leaves the incident open', async () => {
    const body = alertFixture('alertmanager-webhook-firing-1') as {
      status: string;
      alerts: { status: string; endsAt: string }[];
    };
    body.status = 'resolved';
    for (const alert of body.alerts) {
      alert.status = 'resolved';
      alert.endsAt = '2026-12-08T10:15:00Z';
    }

    const { answer } = await post('alertmanager', body);

    expect(answer.alerts[0]?.outcome).toEqual({ kind: 'incident', step: 'cleared', incidentKey: 'OPS-1' });
    expect(issue('OPS-1')?.comments.at(-1)?.body).toBe(
      'Alert High CPU Temperature cleared at 2026-12-08 10:15 (UTC).',
    );
    expect(issue('OPS-1')?.status).toBe('Detected');
  });

  it('opens one incident each from Grafana (basic auth), both CloudWatch SNS shapes and the generic shape', async () => {
    const grafana = await post('grafana', alertFixture('grafana-alerting-firing-1'), basic);
    const http = await post('cloudwatch', alertFixture('cloudwatch-alarm-sns-http-alarm-1'));
    const lambda = await post('cloudwatch', alertFixture('cloudwatch-alarm-sns-lambda-alarm-1'));
    const one = await post('generic', generic('check-1'), {
      authorization: 'Bearer the-previous-secret-0123',
    });

    const keys = [grafana, http, lambda, one].map((each) => each.answer.alerts[0]?.outcome.incidentKey);
    expect(keys).toEqual(['OPS-2', 'OPS-3', 'OPS-4', 'OPS-5']);
    expect(issue('OPS-3')?.summary).toBe('bucket bytes size exceeded');
    expect(issue('OPS-5')).toMatchObject({
      priority: 'Medium',
      startedAtMs: Date.parse('2026-12-08T09:58:00Z'),
    });
  });

  it('gathers alerts past five new incidents a minute into one "alert storm" incident', async () => {
    const first = await post('generic', generic('storm-1'));
    const second = await post('generic', generic('storm-2'));

    expect(first.answer.alerts[0]?.outcome).toEqual({
      kind: 'incident',
      step: 'storm',
      incidentKey: 'OPS-6',
    });
    expect(second.answer.alerts[0]?.outcome).toEqual({
      kind: 'incident',
      step: 'storm',
      incidentKey: 'OPS-6',
    });
    expect(issue('OPS-6')?.summary).toContain('Alert storm');
    expect(issue('OPS-6')?.comments).toHaveLength(1);
    expect(server.jira.issues()).toHaveLength(6);
  });

  it("answers 400 naming the field of a body that is not the route's shape", async () => {
    const { status, answer } = await post('generic', { title: 'no fingerprint', status: 'firing' });
    const notJson = await post('alertmanager', '{"version": "4", ');

    expect(status).toBe(400);
    expect(answer.problems?.map((problem) => problem.path)).toContain('fingerprint');
    expect(notJson.status).toBe(400);
  });

  const printed: string[] = [];
  const commandContext = () => ({
    settings,
    dataDir,
    baseUrl: server.url,
    secret: SECRET,
    out: (text: string) => {
      printed.push(text);
    },
  });

  it("plays a person's moves on OPS-1 with `move` and `comment`, through the signed Jira webhook", async () => {
    const context = commandContext();

    await localJiraCommand('move', ['OPS-1', 'Declared'], context);
    await localJiraCommand('comment', ['OPS-1', 'Rolling back the deploy'], context);
    await localJiraCommand('move', ['OPS-1', 'Investigating'], context);

    const incident = (await (await fetch(`${server.url}/incidents/OPS-1`)).json()) as Record<string, unknown>;
    expect(incident).toMatchObject({ status: 'Investigating', stage: 'diagnosis' });
    expect(incident.acknowledgedAt).not.toBeNull();
    expect(printed.join('')).toContain('OPS-1 is now Investigating');
  });

  it('writes the postmortem once resolved, its timeline starting with "alert fired" and holding "alert cleared"', async () => {
    await localJiraCommand('move', ['OPS-1', 'Resolved'], commandContext());

    const response = await fetch(`${server.url}/incidents/OPS-1/postmortem`);

    expect(response.status).toBe(200);
    const timeline = (await response.text()).split('## Timeline')[1] ?? '';
    const lines = timeline.split('\n').filter((line) => line.startsWith('- '));
    expect(lines[0]).toContain('Alert fired: High CPU Temperature (alertmanager)');
    expect(timeline).toContain('Alert cleared: High CPU Temperature (alertmanager)');
  });

  it('refuses a move to a status the board does not have, or of an issue the stand-in does not hold', async () => {
    const context = commandContext();

    const moves = [
      localJiraCommand('move', ['OPS-1', 'Nowhere'], context),
      localJiraCommand('move', ['OPS-99', 'Declared'], context),
    ];

    await expect(moves[0]).rejects.toThrow('not a status of the board');
    await expect(moves[1]).rejects.toThrow('no local issue OPS-99');
  });

  it("moves an incident that came in as Jira webhooks (the demo's) the same way", async () => {
    const [created] = demoLifecycle(
      { issueId: '424242', key: 'INC-42', openedAtMs: Date.now() - 60_000 },
      SECRET,
    );
    if (!created) throw new Error('the demo lifecycle is empty');
    await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: created.headers,
      body: created.body,
    });

    await localJiraCommand('move', ['INC-42', 'Declared'], commandContext());

    const incident = (await (await fetch(`${server.url}/incidents/INC-42`)).json()) as Record<
      string,
      unknown
    >;
    expect(incident).toMatchObject({ status: 'Declared', stage: 'declaration' });
  });
});
