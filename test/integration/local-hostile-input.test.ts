import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';

const root = mkdtempSync(join(tmpdir(), 'incident-flow-hostile-'));
const dataDir = join(root, 'data');
const openedAtMs = Date.parse('2026-11-23T08:00:00.000Z');
const JSON_HEADERS = { 'content-type': 'application/json' };
const WEBHOOK_ROUTES = ['/webhooks/jira', '/webhooks/jira/automation', '/webhooks/deployment'];

/** Every file under a directory, as paths relative to it. */
const filesUnder = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

/** A raw HTTP exchange through `agent`, so a test sees what a keep-alive client sees. */
function exchange(
  agent: Agent,
  url: string,
  options: { method: string; path: string; body?: Buffer; headers?: Record<string, string> },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { agent, hostname, port, method: options.method, path: options.path, headers: options.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('the local server without WEBHOOK_SECRET, given what an attacker sends', () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      dataDir: join(dataDir, 'dynamodb'),
      settings: settingsWith(),
      webhookSecrets: null,
      log: silentLog,
      postmortemsDir: join(dataDir, 'postmortems'),
      jiraOutboxPath: join(dataDir, 'jira-outbox.jsonl'),
    });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(['../../../../x', 'OPS-1/../../x', 'OPS-1\u0000', 'OPS-1\r\nX: y', `${'A'.repeat(296)}-123`])(
    'refuses every delivery of an incident keyed %j with 400 and writes nothing outside DATA_DIR',
    async (key) => {
      const statuses: number[] = [];
      const before = readdirSync(root);

      for (const delivery of demoLifecycle({ issueId: '313131', key, openedAtMs })) {
        const response = await fetch(`${server.url}/webhooks/jira`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
        });
        statuses.push(response.status);
        expect(await response.json()).toMatchObject({ problems: [{ path: 'issue.key' }] });
      }
      await server.idle();

      expect(new Set(statuses)).toEqual(new Set([400]));
      expect(readdirSync(root)).toEqual(before);
      expect(filesUnder(dataDir).filter((file) => file.endsWith('.md'))).toEqual([]);
      expect(
        ((await (await fetch(`${server.url}/incidents`)).json()) as { incidents: unknown[] }).incidents,
      ).toEqual([]);
    },
  );

  it.each(['/incidents/%E0%A4%A', '/incidents/%E0%A4%A/postmortem', '/incidents/%E0%A4%A/follow-ups'])(
    'answers 400, not 500, to the malformed percent-encoding of %s',
    async (path) => {
      const response = await fetch(`${server.url}${path}`);

      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/percent-encoding/);
    },
  );

  it('answers 400 to a postmortem path whose key is a path', async () => {
    const response = await fetch(`${server.url}/incidents/..%2F..%2F..%2Fetc%2Fpasswd/postmortem`);

    expect(response.status).toBe(400);
  });

  it.each(WEBHOOK_ROUTES)(
    'refuses %s from a browser page (an Origin header) with 403 saying how to send it',
    async (route) => {
      const [delivery] = demoLifecycle({ issueId: '323232', key: 'INC-32', openedAtMs });

      const response = await fetch(`${server.url}${route}`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, origin: 'https://evil.example' },
        body: delivery?.body,
      });

      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: string }).error).toMatch(/WEBHOOK_SECRET/);
      expect((await fetch(`${server.url}/incidents/INC-32`)).status).toBe(404);
    },
  );

  it.each(WEBHOOK_ROUTES)(
    'refuses a text/plain POST to %s, which needs no CORS preflight, with 415',
    async (route) => {
      const [delivery] = demoLifecycle({ issueId: '333333', key: 'INC-33', openedAtMs });

      const response = await fetch(`${server.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: delivery?.body,
      });

      expect(response.status).toBe(415);
      expect(((await response.json()) as { error: string }).error).toMatch(/content-type: application\/json/);
      expect((await fetch(`${server.url}/incidents/INC-33`)).status).toBe(404);
    },
  );

  it('still takes JSON from a client that is not a browser, as curl sends it', async () => {
    const [delivery] = demoLifecycle({ issueId: '343434', key: 'INC-34', openedAtMs });

    const response = await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: delivery?.body,
    });

    expect(response.status).toBe(202);
  });

  it.each(WEBHOOK_ROUTES)('answers 405 with Allow: POST to a GET of %s', async (route) => {
    const response = await fetch(`${server.url}${route}`);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('answers 413 with Connection: close, and a keep-alive client goes on with its next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const oversize = Buffer.alloc(2 * 1024 * 1024, 'x');

    const refused = await exchange(agent, server.url, {
      method: 'POST',
      path: '/webhooks/jira',
      body: oversize,
      headers: { ...JSON_HEADERS, 'content-length': String(oversize.length) },
    });
    const next = await exchange(agent, server.url, { method: 'GET', path: '/health' });
    agent.destroy();

    expect(refused.status).toBe(413);
    expect(refused.headers.connection).toBe('close');
    expect(next.status).toBe(200);
  });

  it("stores a 500,000-character summary cut to Jira's 255, and a 10,000-deep description is a 400", async () => {
    const [created] = demoLifecycle({ issueId: '353535', key: 'INC-35', openedAtMs });
    const payload = JSON.parse(created?.body ?? '{}');
    payload.issue.fields.summary = 's'.repeat(500_000);
    const deep = JSON.parse(created?.body ?? '{}');
    deep.issue.key = 'INC-36';
    deep.issue.fields.description = 'placeholder';
    const nested = `${'{"type":"paragraph","content":['.repeat(10_000)}{"type":"text","text":"x"}${']}'.repeat(10_000)}`;

    const long = await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(payload),
    });
    const deepResponse = await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(deep).replace('"placeholder"', `{"type":"doc","version":1,"content":[${nested}]}`),
    });
    const incident = (await (await fetch(`${server.url}/incidents/INC-35`)).json()) as { summary: string };

    expect(long.status).toBe(202);
    expect(incident.summary).toHaveLength(255);
    expect(deepResponse.status).toBe(400);
    expect(((await deepResponse.json()) as { problems: unknown[] }).problems).toEqual([
      expect.objectContaining({ path: 'issue.fields.description' }),
    ]);
  });
});
