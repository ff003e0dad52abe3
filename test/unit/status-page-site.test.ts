import { describe, expect, it } from 'vitest';
import { renderStatusSite } from '#shared/domain/status-page-site.ts';
import { settingsWith } from '../builders.ts';
import {
  SAMPLE_BASE_URL,
  type SampleName,
  SECRETS,
  samplePage,
  sampleSettings,
} from '../status-page-sample.ts';

const SAMPLES: readonly SampleName[] = ['all-operational', 'sev1-in-progress', 'resolved'];
const siteOf = (name: SampleName) => renderStatusSite(samplePage(name), SAMPLE_BASE_URL);
const fileOf = (name: SampleName, path: string) => {
  const file = siteOf(name).find((each) => each.path === path);
  if (!file) throw new Error(`no ${path}`);
  return file.body;
};

describe('the status site', () => {
  it.each(SAMPLES)(
    'never leaks a summary, a name, an internal comment, a Jira link or an internal incident (%s)',
    (name) => {
      const site = siteOf(name);

      const leaks = site.flatMap((file) =>
        SECRETS.filter((secret) => file.body.toLowerCase().includes(secret.toLowerCase())).map(
          (secret) => `${file.path}: ${secret}`,
        ),
      );

      expect(site.length).toBeGreaterThan(8);
      expect(leaks).toEqual([]);
    },
  );

  it('publishes the public comment’s words, without its mention and its link', () => {
    const page = fileOf('sev1-in-progress', 'incidents/ops-301.html');

    expect(page).toContain('Some card payments fail; we are moving traffic to the standby.');
    expect(page).toContain('notes in the runbook');
  });

  it.each(SAMPLES)(
    'keeps every page under 50 KB before compression, and asks nothing of another origin (%s)',
    (name) => {
      const pages = siteOf(name).filter((file) => file.path.endsWith('.html'));

      for (const file of pages) {
        expect(Buffer.byteLength(file.body), file.path).toBeLessThan(50 * 1024);
        expect(file.body, file.path).not.toMatch(/(src|href)="(https?:)?\/\//);
        expect(file.body, file.path).not.toMatch(/<script>|<style|style="|\son[a-z]+="/);
      }
    },
  );

  it('stays under 50 KB with twelve components of 90 days each, every one with incidents', () => {
    const components = Array.from({ length: 12 }, (_, i) => ({
      name: `Component number ${i + 1}`,
      jiraComponents: ['checkout-api', 'payments', 'search-api', 'web', 'gateway'],
    }));
    const settings = settingsWith({
      timeZone: 'Europe/Berlin',
      statusPage: { ...sampleSettings.statusPage, components },
    });

    const index = renderStatusSite(samplePage('sev1-in-progress', settings), SAMPLE_BASE_URL).find(
      (file) => file.path === 'index.html',
    );

    expect(Buffer.byteLength(index?.body ?? '')).toBeLessThan(50 * 1024);
  });

  it('says the page’s language, and has a banner, a main and a footer landmark', () => {
    const index = fileOf('all-operational', 'index.html');

    expect(index).toContain('<html lang="en">');
    expect(index).toMatch(/<header[^>]*>[\s\S]*<main id="main"[\s\S]*<footer/);
    expect(index).toContain('All systems operational');
  });

  it('writes each state in words beside its colour', () => {
    const index = fileOf('sev1-in-progress', 'index.html');

    expect(index).toMatch(/<h1 class="banner b-major-outage">.*Major outage: 1 component affected<\/h1>/);
    expect(index).toMatch(/<h3>Checkout<\/h3><span class="state s-major-outage">.*Major outage<\/span>/);
    expect(index).toContain('Nov 6, 2026: Partial outage. Service disruption affecting Search');
  });

  it('answers /api/v2/summary.json in Statuspage’s shape', () => {
    const summary = JSON.parse(fileOf('sev1-in-progress', 'api/v2/summary.json'));

    expect(summary.page).toMatchObject({ id: 'incident-flow', name: 'Acme status', url: SAMPLE_BASE_URL });
    expect(summary.status).toEqual({ indicator: 'critical', description: 'Major outage' });
    expect(summary.components.map((c: { name: string; status: string }) => `${c.name}: ${c.status}`)).toEqual(
      ['Checkout: major_outage', 'Search: operational', 'Website: operational', 'Public API: operational'],
    );
    expect(summary.incidents).toHaveLength(1);
    expect(summary.incidents[0]).toMatchObject({
      id: 'ops-301',
      name: 'Service disruption affecting Checkout',
      status: 'identified',
      impact: 'critical',
      shortlink: `${SAMPLE_BASE_URL}/incidents/ops-301.html`,
    });
    expect(summary.incidents[0].incident_updates[0].status).toBe('identified');
    expect(summary.scheduled_maintenances).toEqual([]);
  });

  it('answers "none: All Systems Operational" when nothing is wrong', () => {
    const summary = JSON.parse(fileOf('all-operational', 'api/v2/summary.json'));

    expect(summary.status).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect(summary.incidents).toEqual([]);
  });

  it('feeds each incident as an Atom entry with its updates, newest first', () => {
    const feed = fileOf('resolved', 'history.atom');

    expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(feed).toContain(`<id>${SAMPLE_BASE_URL}/incidents/ops-301.html</id>`);
    expect(feed).toContain('Service disruption affecting Checkout (Resolved)');
    expect(feed.match(/<entry>/g)).toHaveLength(4);
  });

  it.each([
    ['all-operational', 'status: operational', '#1a7f37'],
    ['sev1-in-progress', 'status: major outage', '#b42318'],
  ] as const)('draws the %s badge with its state in words', (name, words, fill) => {
    const badge = fileOf(name, 'badge.svg');

    expect(badge).toContain(`aria-label="${words}"`);
    expect(badge).toContain(`fill="${fill}"`);
  });
});
