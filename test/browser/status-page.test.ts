import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import axe from 'axe-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { readOutbox } from '#shared/adapters/outbox-notifier.ts';
import { createOutboxSubscriptions } from '#shared/adapters/outbox-subscriptions.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { renderStatusSite, type SiteFile } from '#shared/domain/status-page-site.ts';
import { startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';
import { SAMPLE_BASE_URL, type SampleName, samplePage } from '../status-page-sample.ts';
import { launchChromium } from './chromium.ts';

/** The part of the page's document the test reads (the test's own types have no DOM). */
type BrowserDocument = { documentElement: { scrollWidth: number; clientWidth: number } };

const chromiumPath = inject('chromiumPath');
const artifacts = resolve(import.meta.dirname, '../.artifacts');
const ORIGIN = `${SAMPLE_BASE_URL}/`;

/** The three views the issue asks to see, each the page of one sample. */
const VIEWS: readonly { readonly name: string; readonly sample: SampleName; readonly path: string }[] = [
  { name: 'all-operational', sample: 'all-operational', path: 'index.html' },
  { name: 'sev1-in-progress', sample: 'sev1-in-progress', path: 'index.html' },
  { name: 'resolved-incident', sample: 'resolved', path: 'incidents/ops-301.html' },
];
const WIDTHS = [375, 1280] as const;
const sites = new Map(
  VIEWS.map((view) => [view.sample, renderStatusSite(samplePage(view.sample), SAMPLE_BASE_URL)]),
);

/**
 * Serves a sample's files at the page's own address from memory (the browser is offline): the test
 * sees every request, and anything asked of another origin is a failure.
 */
async function serve(page: Page, files: readonly SiteFile[], outside: string[]): Promise<void> {
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (!url.startsWith(ORIGIN)) {
      outside.push(url);
      await route.abort();
      return;
    }
    const path = url.slice(ORIGIN.length).split(/[?#]/)[0] || 'index.html';
    const file = files.find((each) => each.path === path);
    await route.fulfill(
      file
        ? { status: 200, contentType: file.contentType, body: file.body }
        : { status: 404, contentType: 'text/plain', body: 'not found' },
    );
  });
}

/**
 * Lets the offline browser reach the local server only: its requests are fetched by the test and handed
 * back, and anything asked of another origin is a failure. `withoutCsp` drops the page's CSP, for axe-core,
 * which is injected as the inline script that the CSP rightly refuses.
 */
async function throughLocalServer(
  page: Page,
  serverUrl: string,
  outside: string[],
  options: { readonly withoutCsp?: boolean } = {},
): Promise<void> {
  await page.route('**/*', async (route) => {
    if (!route.request().url().startsWith(`${serverUrl}/`)) {
      outside.push(route.request().url());
      await route.abort();
      return;
    }
    const response = await route.fetch({ maxRedirects: 0 });
    const headers = { ...response.headers() };
    if (options.withoutCsp) delete headers['content-security-policy'];
    await route.fulfill({ response, headers });
  });
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: typeof axe }).axe.run('html', {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.length} node(s), ${violation.help}`);
  });
}

describe.runIf(chromiumPath !== '')('the status page in a headless Chromium', () => {
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let noScript: { context: BrowserContext; close: () => Promise<void> };

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    // A reader in New York, the team in Berlin: the script must move the times to the reader's zone.
    browser = await launchChromium(chromiumPath, { timezoneId: 'America/New_York' });
    noScript = await launchChromium(chromiumPath, { javaScriptEnabled: false });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await noScript?.close();
  });

  describe.each(VIEWS)('$name', (view) => {
    it.each(WIDTHS)(
      'fits %i px without scrolling sideways, passes axe-core with no serious or critical violation, and asks nothing of another origin',
      async (width) => {
        const page = await browser.context.newPage();
        const outside: string[] = [];
        await serve(page, sites.get(view.sample) ?? [], outside);
        await page.setViewportSize({ width, height: 900 });

        await page.goto(`${ORIGIN}${view.path}`, { waitUntil: 'load' });
        await page.screenshot({
          path: resolve(artifacts, `status-${view.name}-${width}.png`),
          fullPage: true,
        });
        const widths = await page.evaluate(() => {
          const { documentElement } = (globalThis as unknown as { document: BrowserDocument }).document;
          return { scroll: documentElement.scrollWidth, client: documentElement.clientWidth };
        });
        const violations = await seriousViolations(page);
        await page.close();

        expect(widths.scroll).toBeLessThanOrEqual(widths.client);
        expect(violations).toEqual([]);
        expect(outside).toEqual([]);
      },
    );
  });

  it('is complete with JavaScript off: state, components, incidents and times in the team’s zone', async () => {
    const page = await noScript.context.newPage();
    await serve(page, sites.get('sev1-in-progress') ?? [], []);

    await page.goto(`${ORIGIN}index.html`, { waitUntil: 'load' });
    const text = await page.locator('main').innerText();
    await page.screenshot({
      path: resolve(artifacts, 'status-sev1-in-progress-no-js-375.png'),
      fullPage: true,
    });
    await page.close();

    expect(text).toContain('Major outage: 1 component affected');
    expect(text).toContain('Service disruption affecting Checkout');
    expect(text).toContain('A fix is being rolled out.');
    expect(text).toMatch(/Checkout\s+✕ Major outage/);
    expect(text).toMatch(/Updated 18 Nov 2026, 15:00 CET/);
  });

  it('with JavaScript on, rewrites the times in the reader’s zone (New York) and says how long ago', async () => {
    const page = await browser.context.newPage();
    await serve(page, sites.get('sev1-in-progress') ?? [], []);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`${ORIGIN}index.html`, { waitUntil: 'load' });
    const updated = await page.locator('.updated time').innerText();
    await page.close();

    expect(errors).toEqual([]);
    expect(updated).toMatch(/^Nov 18, 2026, 09:00 EST \(.+ ago\)$/);
  });

  it('names a day of the history bar in words when it takes the keyboard’s focus', async () => {
    const page = await browser.context.newPage();
    await serve(page, sites.get('sev1-in-progress') ?? [], []);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${ORIGIN}index.html`, { waitUntil: 'load' });

    const day = page.locator('.bar a').first();
    await day.focus();
    const tip = await day.locator('.tip').boundingBox();
    const name = await day.getAttribute('href');
    await page.screenshot({ path: resolve(artifacts, 'status-day-focus-1280.png') });
    await page.close();

    expect(tip?.width ?? 0).toBeGreaterThan(100);
    expect(name).toMatch(/^incidents\/ops-\d+\.html$/);
  });

  describe('getting updates by email from the local server', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-browser-subscribe-'));
    const outboxPath = join(dataDir, 'outbox.jsonl');
    let server: Awaited<ReturnType<typeof startLocalServer>>;

    beforeAll(async () => {
      server = await startLocalServer({
        port: 0,
        dynamoPort: 0,
        settings: settingsWith(),
        webhookSecrets: null,
        log: silentLog,
        subscriptions: createOutboxSubscriptions(outboxPath, { directory: DEMO_DIRECTORY, nowMs: Date.now }),
      });
    });

    afterAll(async () => {
      await server?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('submits the form with JavaScript off under the page’s CSP and shows the confirmation; form and confirmation pass axe-core', async () => {
      const page = await noScript.context.newPage();
      const outside: string[] = [];
      await throughLocalServer(page, server.url, outside);
      await page.setViewportSize({ width: 375, height: 900 });
      await page.goto(`${server.url}/status/`, { waitUntil: 'load' });

      await page.getByLabel('Get updates by email').fill('reader@example.org');
      await Promise.all([
        page.waitForURL(`${server.url}/status/subscribe`),
        page.getByRole('button', { name: 'Subscribe' }).click(),
      ]);
      const heading = await page.locator('h1').textContent();
      await page.screenshot({ path: resolve(artifacts, 'status-subscribed-375.png'), fullPage: true });
      await page.close();
      const withScript = await browser.context.newPage();
      await throughLocalServer(withScript, server.url, outside, { withoutCsp: true });
      await withScript.goto(`${server.url}/status/`, { waitUntil: 'load' });
      await withScript.screenshot({ path: resolve(artifacts, 'status-subscribe-form.png'), fullPage: true });
      const formViolations = await seriousViolations(withScript);
      await withScript.getByLabel('Get updates by email').fill('second.reader@example.org');
      await Promise.all([
        withScript.waitForURL(`${server.url}/status/subscribe`),
        withScript.getByRole('button', { name: 'Subscribe' }).click(),
      ]);
      const confirmationViolations = await seriousViolations(withScript);
      await withScript.close();

      expect(heading).toBe('Check your inbox');
      expect(readOutbox(outboxPath).map((entry) => entry.recipient.address)).toEqual([
        'second.reader@example.org',
        'reader@example.org',
      ]);
      expect(formViolations).toEqual([]);
      expect(confirmationViolations).toEqual([]);
      expect(outside).toEqual([]);
    });
  });
});
