import { describe, expect, it } from 'vitest';
import { alertDetection } from '#shared/domain/alert-detection.ts';
import { weeklyReport } from '#shared/domain/weekly-metrics.ts';
import { renderReportHtml } from '#shared/domain/weekly-report-html.ts';
import { detectionLines, renderReportText } from '#shared/domain/weekly-report-text.ts';
import { HAND_WEEKS_BEFORE, handWeekInput } from '../hand-week.ts';

const MIN = 60_000;

const received = [
  { outcome: { kind: 'incident' as const, step: 'open', incidentKey: 'OPS-1' } },
  { outcome: { kind: 'incident' as const, step: 'open', incidentKey: 'OPS-1' } },
  { outcome: { kind: 'incident' as const, step: 'fired-again', incidentKey: 'OPS-1' } },
  { outcome: { kind: 'incident' as const, step: 'storm', incidentKey: 'OPS-9' } },
  { outcome: { kind: 'noise' as const } },
  { outcome: { kind: 'noise' as const } },
  { outcome: { kind: 'unrouted' as const } },
  { outcome: { kind: 'recorded' as const } },
];

const incidents = [
  { key: 'OPS-1', alert: { startsAtMs: 0, openedAtMs: 4 * MIN } },
  { key: 'OPS-2', alert: { startsAtMs: 10 * MIN, openedAtMs: 12 * MIN } },
  { key: 'OPS-9', alert: { startsAtMs: null, openedAtMs: 20 * MIN } },
  { key: 'INC-7', alert: null },
];

describe("the week's detection figures", () => {
  it('counts alerts received, incidents opened once each, noise and unrouted alerts', () => {
    const detection = alertDetection(received, incidents);

    expect(detection).toMatchObject({
      alertsReceived: 8,
      incidentsOpened: 2,
      noiseCount: 2,
      unroutedCount: 1,
    });
  });

  it('splits the incidents by source and takes time to detect over those whose alert gave a start', () => {
    const detection = alertDetection(received, incidents);

    expect(detection.bySource).toEqual({ alert: 3, person: 1 });
    expect(detection.timeToDetect).toEqual({ count: 2, medianMs: 3 * MIN, maxMs: 4 * MIN });
  });

  it('adds a Detection section to the report text only where alerts are read', () => {
    const report = weeklyReport(handWeekInput(), HAND_WEEKS_BEFORE);

    const withAlerts = renderReportText({ ...report, detection: alertDetection(received, incidents) });

    expect(detectionLines(report)).toEqual([]);
    expect(renderReportText(report)).not.toContain('Detection');
    expect(withAlerts).toContain(
      [
        'Detection',
        'Time to detect: median 3m, longest 4m (2 incidents)',
        'Incidents by source: 3 by an alert, 1 by a person',
        'Alerts: 8 received, 2 incidents opened, 2 ignored, 1 unrouted',
      ].join('\n'),
    );
  });

  it('says the same Detection lines in the HTML email, and nothing of it where alerts are not read', () => {
    const report = weeklyReport(handWeekInput(), HAND_WEEKS_BEFORE);
    const withAlerts = { ...report, detection: alertDetection(received, incidents) };

    const html = renderReportHtml(withAlerts);

    expect(renderReportHtml(report)).not.toContain('>Detection<');
    expect(html).toContain('>Detection<');
    for (const line of detectionLines(withAlerts)) expect(html).toContain(line);
  });
});
