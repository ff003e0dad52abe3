import { describe, expect, it } from 'vitest';
import { alertTimeMs } from '#shared/alerts/alert-times.ts';
import { alertmanagerBodySchema, alertmanagerDelivery } from '#shared/alerts/alertmanager.ts';
import { cloudwatchDeliveries } from '#shared/alerts/cloudwatch.ts';
import { genericAlertSchema, genericDelivery } from '#shared/alerts/generic-alert.ts';
import { BadRequestError } from '#shared/errors.ts';
import { alertFixture } from '../fixtures/load.ts';

describe('Alertmanager and Grafana payloads', () => {
  it('reads each alert of an Alertmanager group by its own fingerprint, still firing while endsAt is Go zero time', () => {
    const body = alertmanagerBodySchema.parse(alertFixture('alertmanager-webhook-firing-1'));

    const delivery = alertmanagerDelivery(body, 'alertmanager');

    expect(delivery.groupKey).toBe('{}/{}:{}');
    expect(delivery.alerts.map((alert) => alert.fingerprint)).toEqual([
      'a1bc48475b20e73d',
      'c2ea85182f28cbd9',
    ]);
    expect(delivery.alerts[0]).toMatchObject({
      status: 'firing',
      name: 'High CPU Temperature',
      summary: 'High CPU core temperature',
      description: 'CPU core temperature is 34.75C',
      startsAtMs: Date.UTC(2020, 1, 6, 0, 17, 58, 432),
      endsAtMs: null,
      labels: { severity: 'critical', host: 'andromeda' },
    });
    expect(delivery.alerts[0]?.links[0]).toMatchObject({ kind: 'source' });
  });

  it("reads Grafana's contact point with its dashboard, panel and silence links", () => {
    const body = alertmanagerBodySchema.parse(alertFixture('grafana-alerting-firing-1'));

    const [alert] = alertmanagerDelivery(body, 'grafana').alerts;

    expect(alert).toMatchObject({ tool: 'grafana', fingerprint: 'e6349a25f5ef0e9e', name: 'Memory (copy)' });
    expect(alert?.links.map((link) => link.kind)).toEqual(['source', 'dashboard', 'panel', 'silence']);
    expect(alert?.startsAtMs).toBe(Date.UTC(2024, 2, 1, 2, 9));
  });

  it('names the missing field of a body that is not an Alertmanager group', () => {
    const body = alertFixture('alertmanager-webhook-firing-1') as Record<string, unknown>;
    const { alerts, ...withoutAlerts } = body;

    const parsed = alertmanagerBodySchema.safeParse(withoutAlerts);

    expect(alerts).toBeDefined();
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['alerts']);
  });
});

describe('CloudWatch alarms through SNS', () => {
  it('parses the alarm out of the Lambda SNS record, keyed by account, region and name when it has no ARN', () => {
    const [delivery] = cloudwatchDeliveries(alertFixture('cloudwatch-alarm-sns-lambda-alarm-1'));

    expect(delivery?.alerts[0]).toMatchObject({
      tool: 'cloudwatch',
      fingerprint: 'cloudwatch:123456789123:US West - Oregon:awsrds-app-High-DB-Connections',
      status: 'firing',
      name: 'awsrds-app-High-DB-Connections',
      startsAtMs: Date.UTC(2016, 6, 24, 22, 5, 19, 737),
      labels: { namespace: 'AWS/RDS', metric: 'DatabaseConnections', DBInstanceIdentifier: 'app' },
    });
  });

  it("parses SNS's HTTP notification, INSUFFICIENT_DATA to ALARM firing, with the description as summary", () => {
    const [delivery] = cloudwatchDeliveries(alertFixture('cloudwatch-alarm-sns-http-alarm-1'));

    expect(delivery?.alerts[0]).toMatchObject({
      status: 'firing',
      summary: 'bucket bytes size exceeded',
      labels: { BucketName: 'try.alerta.io', StorageType: 'StandardStorage' },
    });
  });

  it('takes the bare alarm JSON too, and an OK state as resolved at its change time', () => {
    const record = alertFixture('cloudwatch-alarm-sns-lambda-alarm-1') as {
      Records: { Sns: { Message: string } }[];
    };
    const alarm = JSON.parse(record.Records[0]?.Sns.Message ?? '{}');
    const ok = {
      ...alarm,
      NewStateValue: 'OK',
      AlarmArn: 'arn:aws:cloudwatch:us-west-2:123456789123:alarm:awsrds-app-High-DB-Connections',
    };

    const [delivery] = cloudwatchDeliveries(ok);

    expect(delivery?.alerts[0]).toMatchObject({
      fingerprint: ok.AlarmArn,
      status: 'resolved',
      endsAtMs: Date.UTC(2016, 6, 24, 22, 5, 19, 737),
    });
    expect(delivery?.alerts[0]?.links[0]?.url).toContain('us-west-2.console.aws.amazon.com');
  });

  it('says which field of the SNS Message is wrong', () => {
    const body = {
      Type: 'Notification',
      Message: JSON.stringify({ AlarmName: 'x', NewStateValue: 'MAYBE' }),
    };

    const failure = (() => {
      try {
        cloudwatchDeliveries(body);
        return null;
      } catch (error) {
        return error;
      }
    })();

    expect(failure).toBeInstanceOf(BadRequestError);
    expect((failure as BadRequestError).problems.map((problem) => problem.path)).toEqual(
      expect.arrayContaining(['Message.NewStateValue', 'Message.AWSAccountId', 'Message.StateChangeTime']),
    );
  });
});

describe('the generic alert', () => {
  it("is what the documented Datadog template makes of Datadog's variables", () => {
    const datadog = alertFixture('datadog-webhook-triggered-1') as Record<string, string>;
    const templated = {
      title: datadog.title,
      status: datadog.alert_transition,
      fingerprint: datadog.event_id,
      severity: 'P2',
      service: 'dock',
      startsAt: datadog.date,
      links: [datadog.link],
    };

    const [alert] = genericDelivery(genericAlertSchema.parse(templated)).alerts;

    expect(alert).toMatchObject({
      status: 'firing',
      fingerprint: '3089904566766935419',
      startsAtMs: 1448435530000,
      labels: { severity: 'P2', service: 'dock' },
    });
  });

  it("refuses Datadog's untemplated body, naming the fields the generic shape needs", () => {
    const parsed = genericAlertSchema.safeParse(alertFixture('datadog-webhook-triggered-1'));

    expect(parsed.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'fingerprint',
      'status',
    ]);
  });

  it('reads Recovered as resolved and refuses a status it does not know', () => {
    const base = { title: 'Disk full', fingerprint: 'disk-1' };

    const recovered = genericAlertSchema.parse({ ...base, status: 'Recovered' });
    const unknown = genericAlertSchema.safeParse({ ...base, status: 'sleepy' });

    expect(recovered.status).toBe('resolved');
    expect(unknown.error?.issues[0]?.message).toContain('expected firing or resolved');
  });
});

describe('alert times', () => {
  it('reads nanoseconds, a colonless offset and epoch strings, and Go zero time as no time', () => {
    expect(alertTimeMs('2020-02-06T00:17:58.432911368Z')).toBe(Date.UTC(2020, 1, 6, 0, 17, 58, 432));
    expect(alertTimeMs('2016-07-24T22:05:19.737+0200')).toBe(Date.UTC(2016, 6, 24, 20, 5, 19, 737));
    expect(alertTimeMs('1448435530000')).toBe(1448435530000);
    expect(alertTimeMs('0001-01-01T00:00:00Z')).toBeNull();
    expect(alertTimeMs('soon')).toBeNull();
  });
});
