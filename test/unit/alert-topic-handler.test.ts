import type { SNSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import type { Log } from '#shared/ports.ts';
import { makeAlertTopicHandler } from '../../functions/alert-intake/alert-intake.ts';
import { settingsWith } from '../builders.ts';
import { createInMemoryAlertStore } from '../fakes/in-memory-alert-store.ts';
import { createRecordingIncidentOpener } from '../fakes/recording-incident-opener.ts';
import { alertFixture } from '../fixtures/load.ts';

function topicWorld(log: Log = silentLog) {
  const alerts = createInMemoryAlertStore();
  const opener = createRecordingIncidentOpener();
  const handle = makeAlertTopicHandler({
    alerts,
    opener,
    incidents: { getStateByKey: async () => null },
    settings: settingsWith({ alerts: { catchAll: { project: 'OPS' } } }),
    log,
    nowMs: () => Date.parse('2026-12-08T10:00:00Z'),
    newDeliveryId: () => 'unused',
  });
  return { alerts, opener, handle };
}

describe('the alarm-intake topic subscription', () => {
  it('opens an incident for the CloudWatch alarm an SNS record carries, keyed by its message id', async () => {
    const { alerts, opener, handle } = topicWorld();
    const event = alertFixture('cloudwatch-alarm-sns-lambda-alarm-1') as SNSEvent;

    await handle(event);

    expect(opener.issues.map((issue) => issue.key)).toEqual(['OPS-1']);
    expect(alerts.deliveries.map((delivery) => delivery.deliveryId)).toEqual([
      event.Records[0]?.Sns.MessageId,
    ]);
  });

  it('logs and skips a record that is not an alarm instead of failing the whole event', async () => {
    const warnings: string[] = [];
    const { opener, handle } = topicWorld({ ...silentLog, warn: (message) => warnings.push(message) });
    const event = alertFixture('cloudwatch-alarm-sns-lambda-alarm-1') as SNSEvent;
    const record = event.Records[0];
    if (!record) throw new Error('the fixture has no record');
    const notAnAlarm = { ...record, Sns: { ...record.Sns, MessageId: 'other', Message: '{"hello":1}' } };

    await handle({ Records: [notAnAlarm, record] });

    expect(warnings).toEqual(['an SNS message on the alarm topic is not a CloudWatch alarm']);
    expect(opener.issues).toHaveLength(1);
  });
});
