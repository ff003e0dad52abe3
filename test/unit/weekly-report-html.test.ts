import { describe, expect, it } from 'vitest';
import { followUpsByOwner, NO_OWNER } from '#shared/domain/weekly-report-charts.ts';
import { renderReportHtml } from '#shared/domain/weekly-report-html.ts';
import { sampleCharts, sampleFollowUp, sampleReport } from '../weekly-email-sample.ts';

const jira = { jiraBaseUrl: 'https://acme.atlassian.net' };

describe('renderReportHtml', () => {
  it('is a complete document in English with a title, and nothing a mail client strips or fetches', () => {
    const html = renderReportHtml(sampleReport(), { ...jira, charts: sampleCharts() });

    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain(
      '<title>Incidents, week 47 (Nov 16-22): 5 opened, MTTR 14h 23m (4-week average 2h 49m)</title>',
    );
    expect(html).not.toMatch(/<(script|svg|canvas|img|link|style|iframe|object)\b/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
  });

  it("escapes what people type: an incident's summary shows as written", () => {
    const html = renderReportHtml(sampleReport(), { charts: sampleCharts() });

    expect(html).toContain('Nightly export &lt;job&gt; timing out for large &quot;EU&quot; tenants');
    expect(html).not.toContain('<job>');
  });

  it('links each incident and follow-up key to Jira when the site is set, and to nothing otherwise', () => {
    const linked = renderReportHtml(sampleReport(), { ...jira, charts: sampleCharts() });
    const plain = renderReportHtml(sampleReport(), { charts: sampleCharts() });

    expect(linked).toContain('href="https://acme.atlassian.net/browse/INC-105"');
    expect(linked).toContain('href="https://acme.atlassian.net/browse/OPS-88"');
    // The one link left is the merged fix's pull request, which needs no Jira site.
    expect(plain.match(/href="[^"]*"/g)).toEqual(['href="https://github.com/acme/storefront/pull/812"']);
  });

  it('draws the 8-week incidents chart from totals alone when the severity history is not given', () => {
    const html = renderReportHtml(sampleReport());

    const label = /aria-label="(Incidents opened per week[^"]*)"/.exec(html)?.[1];

    expect(label).toBe(
      'Incidents opened per week, this week last. W40: 3; W41: 0; W42: 2; W43: 1; W44: 4; W45: 2; W46: 3; W47: 5.',
    );
  });

  it('stays under the 102 KB at which Gmail clips a message, for a week of 40 incidents', () => {
    const report = sampleReport();
    const first = report.metrics.incidents[0];
    if (!first) throw new Error('the sample week has incidents');
    const busy = {
      ...report,
      metrics: {
        ...report.metrics,
        incidents: Array.from({ length: 40 }, (_, i) => ({
          ...first,
          key: `INC-${i}`,
          summary: 'A summary of about the length people write for an incident',
          severity: 'SEV2' as const,
          openedInWeek: true,
          resolvedInWeek: true,
          timeToResolveMs: 3_600_000,
          reopenCount: 0,
        })),
      },
    };

    const html = renderReportHtml(busy, { ...jira, charts: sampleCharts() });

    expect(new TextEncoder().encode(html).length).toBeLessThan(102 * 1024);
  });
});

describe('followUpsByOwner', () => {
  it('counts opened, done and overdue per owner, the most overdue first, no owner by name', () => {
    const opened = [
      sampleFollowUp('OPS-1', { ownerName: 'Sam' }),
      sampleFollowUp('OPS-2', { ownerName: 'Priya' }),
      sampleFollowUp('OPS-3', { ownerName: null }),
    ];
    const done = [sampleFollowUp('OPS-1', { ownerName: 'Sam' })];
    const overdue = [
      { key: 'OPS-0', incidentKey: 'INC-1', owner: 'Priya', daysOverdue: 3 },
      { key: 'OPS-9', incidentKey: 'INC-2', owner: 'Priya', daysOverdue: 1 },
    ];

    const owners = followUpsByOwner(opened, done, overdue);

    expect(owners).toEqual([
      { owner: 'Priya', openedCount: 1, doneCount: 0, overdueCount: 2 },
      { owner: NO_OWNER, openedCount: 1, doneCount: 0, overdueCount: 0 },
      { owner: 'Sam', openedCount: 1, doneCount: 1, overdueCount: 0 },
    ]);
  });
});
