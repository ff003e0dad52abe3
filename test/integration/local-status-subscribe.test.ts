import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { readOutbox } from '#shared/adapters/outbox-notifier.ts';
import { createOutboxSubscriptions } from '#shared/adapters/outbox-subscriptions.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-subscribe-'));
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function serverWithOutbox(name: string): Promise<{ server: LocalServer; outboxPath: string }> {
  const outboxPath = join(dataDir, `${name}.jsonl`);
  const server = await startLocalServer({
    port: 0,
    dynamoPort: 0,
    settings: settingsWith(),
    webhookSecrets: null,
    log: silentLog,
    subscriptions: createOutboxSubscriptions(outboxPath, { directory: DEMO_DIRECTORY, nowMs: Date.now }),
  });
  return { server, outboxPath };
}

const subscribe = (server: LocalServer, body: string, headers: Record<string, string> = FORM) =>
  fetch(`${server.url}/status/subscribe`, { method: 'POST', headers, body });

describe('getting updates by email on the local server', () => {
  let server: LocalServer;
  let outboxPath: string;

  beforeAll(async () => {
    ({ server, outboxPath } = await serverWithOutbox('outbox'));
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a labelled email form posting to the subscribe endpoint, which the CSP allows as its own origin', async () => {
    const response = await fetch(`${server.url}/status/`);
    const html = await response.text();

    expect(html).toContain('<form class="subscribe" method="post" action="subscribe">');
    expect(html).toMatch(/<label for="subscribe-email">Get updates by email<\/label>/);
    expect(html).toMatch(
      /<input id="subscribe-email" name="email" type="email" autocomplete="email" required/,
    );
    expect(response.headers.get('content-security-policy')).toContain("form-action 'self'");
  });

  it('answers a valid address with the confirmation page and records the confirmation in the outbox', async () => {
    const response = await subscribe(server, 'email=reader%40example.org');
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain('<h1>Check your inbox</h1>');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(readOutbox(outboxPath)).toMatchObject([{ recipient: { address: 'reader@example.org' } }]);
  });

  it('answers an address that is not one with the error page naming the field, and the form again', async () => {
    const response = await subscribe(server, 'email=reader%40example');
    const html = await response.text();

    expect(response.status).toBe(400);
    expect(html).toContain('email: enter an address such as name@example.com');
    expect(html).toContain('<form class="subscribe"');
  });

  it.each([
    ['JSON', { 'content-type': 'application/json' }, '{"email":"reader@example.org"}', 415],
    [
      'a post from another site’s page',
      { ...FORM, origin: 'https://evil.example' },
      'email=a%40example.org',
      403,
    ],
    ['a body over 2 KB', FORM, `email=${'a'.repeat(3000)}`, 413],
  ])('refuses %s before reading it', async (_case, headers, body, status) => {
    const response = await subscribe(server, body, headers);

    expect(response.status).toBe(status);
    expect(response.headers.get('connection')).toBe('close');
  });

  it('takes POST only', async () => {
    const response = await fetch(`${server.url}/status/subscribe`);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('the local subscribe endpoint under a flood', () => {
  let server: LocalServer;

  beforeAll(async () => {
    ({ server } = await serverWithOutbox('flood'));
  });

  afterAll(() => server?.close());

  it('takes five requests a minute from one client and answers the sixth 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await subscribe(server, `email=r${i}%40example.org`)).status);

    const sixth = await subscribe(server, 'email=victim%40example.org');

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await sixth.text()).toContain('Too many requests');
  });
});

describe('a local server without subscriptions', () => {
  it('shows no form, and its page allows no form to be posted', async () => {
    const server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      settings: settingsWith(),
      webhookSecrets: null,
      log: silentLog,
    });

    const response = await fetch(`${server.url}/status/`);
    const html = await response.text();
    await server.close();

    expect(html).not.toContain('<form');
    expect(response.headers.get('content-security-policy')).toContain("form-action 'none'");
  });
});
