import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import axe from 'axe-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { renderReportHtml } from '#shared/domain/weekly-report-html.ts';
import { sampleCharts, sampleReport } from '../weekly-email-sample.ts';
import { launchChromium } from './chromium.ts';

/** The part of the page's document the test reads (the test's own types have no DOM). */
type BrowserDocument = { documentElement: { scrollWidth: number; clientWidth: number } };

const chromiumPath = inject('chromiumPath');
const artifacts = resolve(import.meta.dirname, '../.artifacts');
const html = renderReportHtml(sampleReport(), {
  jiraBaseUrl: 'https://acme.atlassian.net',
  charts: sampleCharts(),
});

describe.runIf(chromiumPath !== '')('the weekly HTML email in a headless Chromium', () => {
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium(chromiumPath);
    page = await browser.context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    await page.setViewportSize({ width: 600, height: 900 });
    await page.setContent(html, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('fits a 600 px column without scrolling sideways, as the screenshot kept in test/.artifacts shows', async () => {
    mkdirSync(artifacts, { recursive: true });

    await page.screenshot({ path: resolve(artifacts, 'weekly-email-600.png'), fullPage: true });
    const widths = await page.evaluate(() => {
      const { documentElement } = (globalThis as unknown as { document: BrowserDocument }).document;
      return { scroll: documentElement.scrollWidth, client: documentElement.clientWidth };
    });

    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  });

  it('loads nothing from outside: no image, font, script or stylesheet request', () => {
    expect(requests).toEqual([]);
  });

  it('names each chart in words for screen readers: the trend of incidents, MTTA, MTTR, and the board’s statuses', async () => {
    const names = await page
      .getByRole('img')
      .evaluateAll((charts) => charts.map((chart) => chart.getAttribute('aria-label') ?? ''));

    expect(names).toHaveLength(4);
    expect(names[0]).toMatch(/^Incidents opened per week, by severity, this week last\. W40: 3 \(1 SEV2/);
    expect(names[1]).toMatch(/^Median time to acknowledge per week/);
    expect(names[2]).toMatch(/^Median time to resolve per week/);
    expect(names[3]).toMatch(/^Median time in each status, in board order: Detected \(detection\) 18m, /);
  });

  it('shows the CI and deployments section with its deployments by day and its merged fix, linked to the PR', async () => {
    const section = page.getByRole('heading', { name: 'CI and deployments', level: 2 });
    const fix = page.getByRole('link', { name: /^Retry the payment provider/ });

    await expect(section.count()).resolves.toBe(1);
    await expect(page.getByRole('row', { name: /^search 0 1 0 1 0 0 0 2$/ }).count()).resolves.toBe(1);
    await expect(fix.getAttribute('href')).resolves.toBe('https://github.com/acme/storefront/pull/812');
  });

  it('passes the axe-core WCAG 2.1 AA checks', async () => {
    await page.addScriptTag({ content: axe.source });

    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: typeof axe }).axe.run('html', {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        // A mail client shows the email inside its own page, whose landmarks hold it (the email is an article).
        rules: { region: { enabled: false }, 'landmark-one-main': { enabled: false } },
      });
      return result.violations.map(
        (violation) => `${violation.id}: ${violation.nodes.length} node(s), ${violation.help}`,
      );
    });

    expect(violations).toEqual([]);
  });
});
