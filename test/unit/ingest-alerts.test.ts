import { describe, expect, it } from 'vitest';
import { alertPolicyOf, alertsSchema } from '#shared/alert-settings.ts';
import type { Alert, AlertDelivery } from '#shared/domain/alert.ts';
import { ALERT_INCIDENT_LABEL, alertLabel } from '#shared/domain/alert-incident.ts';
import type { IncidentState } from '#shared/domain/timeline.ts';
import { type IngestAlertsDeps, ingestAlerts } from '#shared/use-cases/ingest-alerts.ts';
import { createInMemoryAlertStore } from '../fakes/in-memory-alert-store.ts';
import { createManualClock } from '../fakes/manual-clock.ts';
import { createRecordingIncidentOpener } from '../fakes/recording-incident-opener.ts';

const T0 = Date.UTC(2026, 11, 8, 10);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function alert(fingerprint: string, overrides: Partial<Alert> = {}): Alert {
  return {
    tool: 'alertmanager',
    fingerprint,
    groupKey: `group-${fingerprint}`,
    status: 'firing',
    name: `Alert ${fingerprint}`,
    summary: `Summary of ${fingerprint}`,
    labels: { alertname: `Alert ${fingerprint}`, severity: 'critical', service: 'checkout' },
    annotations: { runbook_url: 'https://runbooks.example.com/latency' },
    startsAtMs: T0 - 5 * MINUTE,
    endsAtMs: null,
    links: [{ kind: 'runbook', url: 'https://runbooks.example.com/latency' }],
    ...overrides,
  };
}

const delivery = (...alerts: Alert[]): AlertDelivery => ({
  tool: 'alertmanager',
  groupKey: alerts[0]?.groupKey ?? 'g',
  alerts,
});

function world(settings: Record<string, unknown> = {}) {
  const clock = createManualClock(T0);
  const alerts = createInMemoryAlertStore();
  const opener = createRecordingIncidentOpener();
  const resolved = new Map<string, number>();
  const deps: IngestAlertsDeps = {
    alerts,
    opener,
    incidents: {
      async getStateByKey(key) {
        const at = resolved.get(key);
        return at === undefined ? null : ({ key, resolvedAtMs: at, deleted: false } as IncidentState);
      },
    },
    policy: alertPolicyOf(
      alertsSchema.parse({
        catchAll: { project: 'OPS' },
        routes: [{ name: 'synthetics', match: { team: 'synthetics' }, ignore: true }],
        ...settings,
      }),
    ),
    priorities: { Highest: 'SEV1', High: 'SEV2', Medium: 'SEV3', Low: 'SEV4' },
    timeZone: 'Europe/Berlin',
    reopenStatus: 'Investigating',
    detectedStatus: 'Detected',
    nowMs: clock.nowMs,
  };
  let deliveries = 0;
  const ingest = (...sent: AlertDelivery[]) => {
    deliveries += 1;
    return ingestAlerts(sent, `delivery-${deliveries}`, deps);
  };
  return { clock, alerts, opener, resolved, ingest };
}

describe('ingesting alerts', () => {
  it('opens one incident for a firing alert, with its priority, labels, start and description', async () => {
    const { opener, ingest } = world();

    const result = await ingest(delivery(alert('a')));

    expect(result.alerts[0]?.outcome).toEqual({ kind: 'incident', step: 'open', incidentKey: 'OPS-1' });
    const draft = opener.issues[0]?.draft;
    expect(draft).toMatchObject({
      project: 'OPS',
      summary: 'Summary of a',
      priority: 'Highest',
      startedAtMs: T0 - 5 * MINUTE,
      labels: [ALERT_INCIDENT_LABEL, alertLabel('alertmanager:a')],
    });
    const text = JSON.stringify(draft?.description);
    expect(text).toContain('https://runbooks.example.com/latency');
    expect(text).toContain('2026-12-08 10:55 (Europe/Berlin)');
  });

  it('moves a new issue to Detected right after creating it, when the create screen put it elsewhere', async () => {
    const { opener, ingest } = world();
    opener.openIn('Triaged');

    await ingest(delivery(alert('a')));

    expect(opener.issues[0]?.status).toBe('Detected');
  });

  it('opens one incident for several alerts of one group and lists them all', async () => {
    const { opener, ingest } = world();

    await ingest(delivery(alert('a', { groupKey: 'g' }), alert('b', { groupKey: 'g' })));

    expect(opener.issues).toHaveLength(1);
    expect(opener.issues[0]?.draft.summary).toBe('Summary of a (and 1 more alert)');
    expect(JSON.stringify(opener.issues[0]?.draft.description)).toContain('Alert b');
  });

  it('comments once when the same alert fires again, and again only after commentEveryMinutes', async () => {
    const { clock, opener, ingest } = world({ commentEveryMinutes: 30 });
    await ingest(delivery(alert('a')));

    clock.advance(MINUTE);
    await ingest(delivery(alert('a')));
    clock.advance(MINUTE);
    const quiet = await ingest(delivery(alert('a')));
    clock.advance(30 * MINUTE);
    await ingest(delivery(alert('a')));

    expect(opener.issues).toHaveLength(1);
    expect(opener.issues[0]?.comments).toHaveLength(2);
    expect(opener.issues[0]?.comments[0]).toContain('fired again');
    expect(quiet.alerts[0]?.outcome).toEqual({ kind: 'incident', step: 'fired-again', incidentKey: 'OPS-1' });
  });

  it('finds the issue a crashed run created by its label instead of creating a second one', async () => {
    const { opener, alerts, ingest } = world();
    opener.failNextAfterOpen();
    await expect(ingest(delivery(alert('a')))).rejects.toThrow('connection dropped');

    const retry = await ingest(delivery(alert('a')));

    expect(opener.issues).toHaveLength(1);
    expect(retry.alerts[0]?.outcome).toMatchObject({ step: 'open', incidentKey: 'OPS-1' });
    expect(alerts.deliveries).toHaveLength(1);
  });

  it('comments "alert cleared at" in the team time zone when the alert resolves, once per end time', async () => {
    const { clock, opener, ingest, alerts } = world();
    await ingest(delivery(alert('a')));
    clock.advance(10 * MINUTE);
    const cleared = alert('a', { status: 'resolved', endsAtMs: T0 + 9 * MINUTE });

    await ingest(delivery(cleared));
    await ingest(delivery(cleared));

    expect(opener.issues[0]?.comments).toEqual([
      'Alert Alert a cleared at 2026-12-08 11:09 (Europe/Berlin).',
    ]);
    expect(opener.issues[0]?.status).toBe('Detected');
    expect((await alerts.sourceOf('OPS-1'))?.clearedAtMs).toBe(T0 + 9 * MINUTE);
  });

  it('moves the incident to onClear.moveTo when its alert clears', async () => {
    const { opener, ingest } = world({ onClear: { moveTo: 'Mitigating' } });
    await ingest(delivery(alert('a')));

    await ingest(delivery(alert('a', { status: 'resolved', endsAtMs: T0 + MINUTE })));

    expect(opener.issues[0]?.status).toBe('Mitigating');
  });

  it('comments on the resolved incident when its alert flaps back within reopenWithinHours, and reopens it by setting', async () => {
    const { clock, opener, resolved, ingest } = world({ reopen: true, reopenWithinHours: 24 });
    await ingest(delivery(alert('a')));
    resolved.set('OPS-1', T0 + HOUR);
    clock.advance(2 * HOUR);

    const result = await ingest(delivery(alert('a')));

    expect(opener.issues).toHaveLength(1);
    expect(result.alerts[0]?.outcome).toMatchObject({ step: 'flapping', incidentKey: 'OPS-1' });
    expect(opener.issues[0]?.status).toBe('Investigating');
    expect(opener.issues[0]?.comments[0]).toContain('flapping. Incident Flow reopened the incident.');
  });

  it('opens a new incident when the alert fires again long after its incident was resolved', async () => {
    const { clock, opener, resolved, ingest } = world({ reopenWithinHours: 1 });
    await ingest(delivery(alert('a')));
    resolved.set('OPS-1', T0 + HOUR);
    clock.advance(5 * HOUR);

    const result = await ingest(delivery(alert('a')));

    expect(opener.issues.map((issue) => issue.key)).toEqual(['OPS-1', 'OPS-2']);
    expect(result.alerts[0]?.outcome).toMatchObject({ step: 'open', incidentKey: 'OPS-2' });
  });

  it('opens one "alert storm" incident past maxNewIncidentsPerMinute, then comments on it', async () => {
    const { clock, opener, ingest, alerts } = world({ maxNewIncidentsPerMinute: 2 });
    const many = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => delivery(alert(`s${from + i}`)));

    for (const each of many(0, 6)) await ingest(each);
    clock.advance(10_000);
    await ingest(...many(6, 2));

    expect(opener.issues).toHaveLength(3);
    const storm = opener.issues[2];
    expect(storm?.draft.summary).toContain('Alert storm');
    expect(storm?.draft.priority).toBe('Highest');
    expect(await alerts.stormIncident()).toBe('OPS-3');
    expect(storm?.comments).toHaveLength(5);
    expect(storm?.comments[4]).toContain('Alert s7');
  });

  it('records noise and unrouted alerts without opening anything', async () => {
    const { opener, alerts, ingest } = world({ catchAll: {} });

    const result = await ingest(delivery(alert('n', { labels: { team: 'synthetics' } }), alert('u')));

    expect(opener.issues).toEqual([]);
    expect(result.alerts.map((each) => each.outcome)).toEqual([
      { kind: 'noise', route: 'synthetics' },
      { kind: 'unrouted' },
    ]);
    expect(alerts.deliveries[0]?.alerts).toHaveLength(2);
  });

  it('records a cleared alert it never opened an incident for', async () => {
    const { opener, ingest } = world();

    const result = await ingest(delivery(alert('z', { status: 'resolved' })));

    expect(opener.issues).toEqual([]);
    expect(result.alerts[0]?.outcome).toEqual({ kind: 'recorded' });
  });
});
