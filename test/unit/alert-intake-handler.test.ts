import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { makeAlertIntakeHandler } from '../../functions/alert-intake/alert-intake.ts';
import { settingsWith } from '../builders.ts';
import { createInMemoryAlertStore } from '../fakes/in-memory-alert-store.ts';
import { createRecordingIncidentOpener } from '../fakes/recording-incident-opener.ts';

const SECRET = 'alert-handler-secret-0123';

function intake() {
  const alerts = createInMemoryAlertStore();
  const opener = createRecordingIncidentOpener();
  let ids = 0;
  const handle = makeAlertIntakeHandler({
    alerts,
    opener,
    incidents: { getStateByKey: async () => null },
    settings: settingsWith({ alerts: { catchAll: { project: 'OPS' } } }),
    secrets: async () => ({ current: SECRET }),
    log: silentLog,
    nowMs: () => Date.parse('2026-12-08T10:00:00Z'),
    newDeliveryId: () => `delivery-${++ids}`,
  });
  const post = (body: unknown, authorization = `Bearer ${SECRET}`) =>
    handle(
      {
        rawPath: '/webhooks/alerts/generic',
        headers: { authorization },
        body: JSON.stringify(body),
        isBase64Encoded: false,
        requestContext: { http: { method: 'POST' } },
      } as unknown as APIGatewayProxyEventV2,
      {} as Context,
    );
  return { alerts, opener, post };
}

const alert = {
  title: 'Checkout down',
  status: 'firing',
  fingerprint: 'checkout-down',
  severity: 'critical',
};

describe('the alert intake handler', () => {
  it('opens one incident when the same new alert arrives twice at once', async () => {
    const { opener, post } = intake();

    const answers = await Promise.all([post(alert), post(alert)]);

    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(opener.issues.map((issue) => issue.key)).toEqual(['OPS-1']);
  });

  it('stores nothing for a wrong secret, and names the missing field of a bad body', async () => {
    const { alerts, post } = intake();

    const refused = await post(alert, 'Bearer wrong');
    const bad = await post({ title: 'x', status: 'firing' });

    expect(refused.statusCode).toBe(401);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body ?? '{}').problems).toEqual([expect.objectContaining({ path: 'fingerprint' })]);
    expect(alerts.deliveries).toEqual([]);
  });
});
