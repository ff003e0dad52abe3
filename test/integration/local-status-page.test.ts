import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';
import { freePort, incidentFlow } from '../local-processes.ts';

const HOUR = 3_600_000;
const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-status-'));
const openedAtMs = Date.now() - 5 * HOUR;
// INC-42 walks the whole board; INC-43 stops while its fix is rolling out.
const resolved = demoLifecycle({ issueId: '424242', key: 'INC-42', openedAtMs });
const ongoing = demoLifecycle({ issueId: '434343', key: 'INC-43', openedAtMs: openedAtMs + 3 * HOUR });
const untilMitigating = ongoing.slice(
  0,
  ongoing.findIndex((delivery) => delivery.label.endsWith('→ Mitigating')) + 1,
);

describe('the status page of the local server', () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      dataDir: join(dataDir, 'dynamodb'),
      lockDir: dataDir,
      settings: settingsWith(),
      webhookSecrets: null,
      log: silentLog,
    });
    for (const delivery of [...resolved, ...untilMitigating]) {
      await fetch(`${server.url}/webhooks/jira`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
    }
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends /status on to /status/, where the pages’ relative links resolve', async () => {
    const response = await fetch(`${server.url}/status`, { redirect: 'manual' });

    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/status/');
  });

  it('shows the ongoing incident’s components in trouble, in customer words, with the page’s security headers', async () => {
    const response = await fetch(`${server.url}/status/`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html).toContain('Major outage: 1 component affected');
    expect(html).toMatch(/<h3>checkout-api<\/h3><span class="state s-major-outage">/);
    expect(html).toContain('href="incidents/inc-43.html">Service disruption affecting checkout-api</a>');
    expect(html).toContain('href="incidents/inc-42.html"');
  });

  it('keeps the team’s words, names and links off every file it serves', async () => {
    const paths = [
      '',
      'incidents/inc-42.html',
      'incidents/inc-43.html',
      'history.atom',
      'api/v2/summary.json',
      'api/v2/status.json',
      'badge.svg',
    ];

    const bodies = await Promise.all(
      paths.map(async (path) => (await fetch(`${server.url}/status/${path}`)).text()),
    );

    for (const body of bodies) {
      expect(body).not.toContain('Checkout payments failing');
      expect(body).not.toContain('Mia Commander');
      expect(body).not.toContain('Dana On-call');
      expect(body).not.toContain('Error rate at 30%');
      expect(body).not.toContain('Rolling back deploy');
      expect(body).not.toContain('atlassian.net');
    }
  });

  it('serves the summary JSON, the feed and the badge, each as its type', async () => {
    const summary = await fetch(`${server.url}/status/api/v2/summary.json`);
    const feed = await fetch(`${server.url}/status/history.atom`);
    const badge = await fetch(`${server.url}/status/badge.svg`);

    expect(await summary.json()).toMatchObject({
      status: { indicator: 'critical' },
      incidents: [{ id: 'inc-43', status: 'identified', impact: 'critical' }],
    });
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(await feed.text()).toContain(`<link href="${server.url}/status/incidents/inc-42.html"/>`);
    expect(badge.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(await badge.text()).toContain('status: major outage');
  });

  it('answers 404 for a file the page does not have', async () => {
    expect((await fetch(`${server.url}/status/incidents/inc-99.html`)).status).toBe(404);
  });

  it('writes the same site as files with `incident-flow status-page --out`, beside the running server', async () => {
    const out = mkdtempSync(join(tmpdir(), 'incident-flow-site-'));

    const result = await incidentFlow(
      ['status-page', '--out', out, '--base-url', 'https://status.example.com'],
      {
        DATA_DIR: dataDir,
        DYNAMODB_PORT: String(await freePort()),
      },
    );

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/wrote 10 files of the status page/);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Major outage');
    expect(existsSync(join(out, 'incidents', 'inc-42.html'))).toBe(true);
    expect(readFileSync(join(out, 'api', 'v2', 'summary.json'), 'utf8')).toContain(
      '"url": "https://status.example.com"',
    );
    rmSync(out, { recursive: true, force: true });
  });
});
