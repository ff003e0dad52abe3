import { describe, expect, it } from 'vitest';
import type { Alert, AlertDelivery } from '#shared/domain/alert.ts';
import { type AlertMemory, planAlertDelivery } from '#shared/domain/alert-plan.ts';
import { type AlertPolicy, alertIdentity, routeAlert } from '#shared/domain/alert-routing.ts';

const NOW = Date.UTC(2026, 11, 8, 10);
const MINUTE = 60_000;

const policy: AlertPolicy = {
  identity: 'fingerprint',
  routes: [
    { name: 'synthetic checks', match: { team: ['synthetics'] }, ignore: true },
    {
      name: 'payments',
      match: { service: ['checkout', 'payments'] },
      ignore: false,
      project: 'PAY',
      component: 'checkout-api',
      owner: 'mia',
    },
    {
      name: 'database pages',
      match: { service: ['db'], severity: ['critical'] },
      ignore: false,
      project: 'OPS',
      severity: 'SEV1',
    },
  ],
  catchAll: { ignore: false, project: 'OPS' },
  severityLabel: 'severity',
  severities: { critical: 'SEV1', warning: 'SEV3', info: 'SEV4' },
  defaultSeverity: 'SEV3',
  commentEveryMinutes: 30,
  onClearMoveTo: null,
  reopenWithinHours: 24,
  reopen: false,
  maxNewIncidentsPerMinute: 3,
};

function alert(
  fingerprint: string,
  labels: Record<string, string>,
  status: Alert['status'] = 'firing',
): Alert {
  return {
    tool: 'alertmanager',
    fingerprint,
    groupKey: 'group-1',
    status,
    name: labels.alertname ?? fingerprint,
    summary: fingerprint,
    labels,
    annotations: {},
    startsAtMs: NOW - 5 * MINUTE,
    endsAtMs: null,
    links: [],
  };
}

const delivery = (...alerts: Alert[]): AlertDelivery => ({
  tool: 'alertmanager',
  groupKey: 'group-1',
  alerts,
});

const remembered = (
  entries: Omit<AlertMemory, 'identity'> & { fingerprint: string },
): [string, AlertMemory] => {
  const identity = alertIdentity(alert(entries.fingerprint, {}), policy);
  return [
    identity,
    {
      identity,
      incidentKey: entries.incidentKey,
      incidentResolvedAtMs: entries.incidentResolvedAtMs,
      lastCommentAtMs: entries.lastCommentAtMs,
    },
  ];
};

const plan = (alerts: Alert[], memory: [string, AlertMemory][] = [], openedInLastMinute = 0) =>
  planAlertDelivery({
    delivery: delivery(...alerts),
    policy,
    memory: new Map(memory),
    openedInLastMinute,
    stormIncidentKey: null,
    nowMs: NOW,
  });

describe('routing alerts by their labels', () => {
  it('takes the first route whose labels all match, with its project, component and owner', () => {
    expect(routeAlert(alert('a', { service: 'payments', severity: 'warning' }), policy)).toEqual({
      kind: 'incident',
      route: 'payments',
      project: 'PAY',
      component: 'checkout-api',
      severity: 'SEV3',
      owner: 'mia',
    });
  });

  it("gives the route's severity before the severity label's", () => {
    expect(routeAlert(alert('a', { service: 'db', severity: 'critical' }), policy)).toMatchObject({
      severity: 'SEV1',
    });
    expect(routeAlert(alert('a', { service: 'web', severity: 'Critical' }), policy)).toMatchObject({
      route: 'catch-all',
      severity: 'SEV1',
    });
    expect(routeAlert(alert('a', { service: 'web' }), policy)).toMatchObject({ severity: 'SEV3' });
  });

  it('calls an ignored route noise, and an alert with no route and no catch-all project unrouted', () => {
    const noCatchAll = { ...policy, catchAll: { ignore: false } };

    expect(routeAlert(alert('a', { team: 'synthetics' }), policy)).toEqual({
      kind: 'ignore',
      route: 'synthetic checks',
    });
    expect(routeAlert(alert('a', { service: 'web' }), noCatchAll)).toEqual({ kind: 'unrouted' });
  });
});

describe('planning a delivery', () => {
  it('opens one incident for the firing alerts of one group and route', () => {
    const steps = plan([alert('a', { service: 'web' }), alert('b', { service: 'web' })]);

    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({
      kind: 'open',
      identities: ['alertmanager:a', 'alertmanager:b'],
      routing: { project: 'OPS' },
    });
  });

  it('joins an alert of the group to the incident another alert of the group already has open', () => {
    const steps = plan(
      [alert('a', { service: 'web' }), alert('c', { service: 'web' })],
      [
        remembered({
          fingerprint: 'a',
          incidentKey: 'OPS-7',
          incidentResolvedAtMs: null,
          lastCommentAtMs: null,
        }),
      ],
    );

    expect(steps).toEqual([
      expect.objectContaining({
        kind: 'fired-again',
        incidentKey: 'OPS-7',
        identities: ['alertmanager:a', 'alertmanager:c'],
        comment: true,
      }),
    ]);
  });

  it('comments a redelivery at most once per commentEveryMinutes', () => {
    const recent = remembered({
      fingerprint: 'a',
      incidentKey: 'OPS-7',
      incidentResolvedAtMs: null,
      lastCommentAtMs: NOW - 29 * MINUTE,
    });
    const older = remembered({
      fingerprint: 'a',
      incidentKey: 'OPS-7',
      incidentResolvedAtMs: null,
      lastCommentAtMs: NOW - 30 * MINUTE,
    });

    expect(plan([alert('a', { service: 'web' })], [recent])[0]).toMatchObject({
      kind: 'fired-again',
      comment: false,
    });
    expect(plan([alert('a', { service: 'web' })], [older])[0]).toMatchObject({
      kind: 'fired-again',
      comment: true,
    });
  });

  it('sends an alert firing again within reopenWithinHours of its resolution to that incident, and opens anew after', () => {
    const flapped = remembered({
      fingerprint: 'a',
      incidentKey: 'OPS-7',
      incidentResolvedAtMs: NOW - 23 * 60 * MINUTE,
      lastCommentAtMs: null,
    });
    const longAgo = remembered({
      fingerprint: 'a',
      incidentKey: 'OPS-7',
      incidentResolvedAtMs: NOW - 25 * 60 * MINUTE,
      lastCommentAtMs: null,
    });

    expect(plan([alert('a', { service: 'web' })], [flapped])[0]).toMatchObject({
      kind: 'flapping',
      incidentKey: 'OPS-7',
      reopen: false,
    });
    expect(plan([alert('a', { service: 'web' })], [longAgo])[0]).toMatchObject({ kind: 'open' });
  });

  it('comments a cleared alert on its open incident and never resolves it', () => {
    const steps = plan(
      [alert('a', { service: 'web' }, 'resolved')],
      [
        remembered({
          fingerprint: 'a',
          incidentKey: 'OPS-7',
          incidentResolvedAtMs: null,
          lastCommentAtMs: null,
        }),
      ],
    );

    expect(steps).toEqual([expect.objectContaining({ kind: 'cleared', incidentKey: 'OPS-7', moveTo: null })]);
  });

  it('hands new incidents past maxNewIncidentsPerMinute to the storm incident', () => {
    const alerts = [
      alert('a', { service: 'web' }),
      alert('b', { service: 'payments' }),
      alert('c', { service: 'db', severity: 'critical' }),
    ];

    const steps = plan(alerts, [], 2);

    expect(steps.map((step) => step.kind)).toEqual(['open', 'storm']);
    expect(steps[1]).toMatchObject({ incidentKey: null, identities: ['alertmanager:b', 'alertmanager:c'] });
  });

  it('keeps noise, unrouted and no-data alerts as steps of their own, so nothing is dropped', () => {
    const noCatchAll = { ...policy, catchAll: { ignore: false } };
    const alerts = [
      alert('n', { team: 'synthetics' }),
      alert('u', { service: 'web' }),
      alert('d', { service: 'payments' }, 'no-data'),
    ];

    const steps = planAlertDelivery({
      delivery: delivery(...alerts),
      policy: noCatchAll,
      memory: new Map(),
      openedInLastMinute: 0,
      stormIncidentKey: null,
      nowMs: NOW,
    });

    expect(steps.map((step) => step.kind)).toEqual(['noise', 'unrouted', 'recorded']);
    expect(
      steps.flatMap((step) => ('alerts' in step ? step.alerts.map((each) => each.fingerprint) : [])),
    ).toEqual(['n', 'u', 'd']);
  });
});
