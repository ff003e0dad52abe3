import * as z from 'zod/mini';
import '../domain/zod-english.ts';
import type { Alert, AlertDelivery, AlertLink, AlertStatus } from '../domain/alert.ts';
import { BadRequestError } from '../errors.ts';
import { formatPath } from '../lambda/http.ts';
import { alertTimeMs } from './alert-times.ts';

/** A CloudWatch alarm's state-change message, as SNS carries it (the fields Incident Flow reads). */
export const cloudwatchAlarmSchema = z.looseObject({
  AlarmName: z.string().check(z.minLength(1)),
  AlarmDescription: z.optional(z.nullable(z.string())),
  AWSAccountId: z.string(),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  NewStateReason: z.optional(z.nullable(z.string())),
  StateChangeTime: z.string(),
  Region: z.optional(z.string()),
  AlarmArn: z.optional(z.string()),
  OldStateValue: z.optional(z.string()),
  Trigger: z.optional(
    z.looseObject({
      MetricName: z.optional(z.nullable(z.string())),
      Namespace: z.optional(z.nullable(z.string())),
      Dimensions: z.optional(z.nullable(z.array(z.looseObject({ name: z.string(), value: z.string() })))),
    }),
  ),
});

export type CloudwatchAlarm = z.infer<typeof cloudwatchAlarmSchema>;

const snsRecordSchema = z.looseObject({
  Records: z
    .array(z.looseObject({ Sns: z.looseObject({ Message: z.string(), MessageId: z.optional(z.string()) }) }))
    .check(z.minLength(1)),
});
const snsHttpSchema = z.looseObject({
  Type: z.literal('Notification'),
  Message: z.string(),
  MessageId: z.optional(z.string()),
});

const problemsOf = (error: z.core.$ZodError, prefix: readonly PropertyKey[]) =>
  error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));

function parseAlarmMessage(message: string, path: readonly PropertyKey[]): CloudwatchAlarm {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch (error) {
    throw new BadRequestError(
      'the SNS Message is not JSON: a CloudWatch alarm is a JSON string in Message',
      [{ path: formatPath(path), message: 'expected a JSON string holding the alarm' }],
      { cause: error },
    );
  }
  const alarm = cloudwatchAlarmSchema.safeParse(value);
  if (!alarm.success)
    throw new BadRequestError('the SNS Message is not a CloudWatch alarm', problemsOf(alarm.error, path));
  return alarm.data;
}

/**
 * The alarms in a body: the Lambda SNS event (Records[].Sns.Message), SNS's HTTP POST (Type
 * Notification, Message) or the bare alarm JSON. The message is a JSON string: parsed twice.
 */
export function cloudwatchAlarmsOf(body: unknown): CloudwatchAlarm[] {
  const records = snsRecordSchema.safeParse(body);
  if (records.success)
    return records.data.Records.map((record, index) =>
      parseAlarmMessage(record.Sns.Message, ['Records', index, 'Sns', 'Message']),
    );
  const http = snsHttpSchema.safeParse(body);
  if (http.success) return [parseAlarmMessage(http.data.Message, ['Message'])];
  const bare = cloudwatchAlarmSchema.safeParse(body);
  if (bare.success) return [bare.data];
  throw new BadRequestError(
    'the body is not a CloudWatch alarm: send the SNS notification (Type Notification with Message), the Lambda SNS event or the alarm JSON',
    problemsOf(bare.error, []),
  );
}

const STATUS: Record<CloudwatchAlarm['NewStateValue'], AlertStatus> = {
  ALARM: 'firing',
  OK: 'resolved',
  INSUFFICIENT_DATA: 'no-data',
};

/** The alarm's region code from its ARN (arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME). */
const regionOfArn = (arn: string | undefined): string | undefined => arn?.split(':')[3] || undefined;

/** One alarm as an alert: its ARN (or account, region and name) is its identity. */
export function cloudwatchAlert(alarm: CloudwatchAlarm): Alert {
  const fingerprint =
    alarm.AlarmArn ?? `cloudwatch:${alarm.AWSAccountId}:${alarm.Region ?? ''}:${alarm.AlarmName}`;
  const labels: Record<string, string> = { alertname: alarm.AlarmName, account: alarm.AWSAccountId };
  if (alarm.Region) labels.region = alarm.Region;
  if (alarm.Trigger?.Namespace) labels.namespace = alarm.Trigger.Namespace;
  if (alarm.Trigger?.MetricName) labels.metric = alarm.Trigger.MetricName;
  for (const dimension of alarm.Trigger?.Dimensions ?? []) labels[dimension.name] ??= dimension.value;
  const annotations: Record<string, string> = {};
  if (alarm.AlarmDescription) annotations.description = alarm.AlarmDescription;
  if (alarm.NewStateReason) annotations.reason = alarm.NewStateReason;
  const status = STATUS[alarm.NewStateValue];
  const atMs = alertTimeMs(alarm.StateChangeTime);
  const region = regionOfArn(alarm.AlarmArn);
  const links: AlertLink[] = region
    ? [
        {
          kind: 'source',
          url: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarm.AlarmName)}`,
        },
      ]
    : [];
  return {
    tool: 'cloudwatch',
    fingerprint,
    groupKey: fingerprint,
    status,
    name: alarm.AlarmName,
    summary: alarm.AlarmDescription || alarm.AlarmName,
    ...(alarm.NewStateReason ? { description: alarm.NewStateReason } : {}),
    labels,
    annotations,
    startsAtMs: status === 'firing' ? atMs : null,
    endsAtMs: status === 'resolved' ? atMs : null,
    links,
  };
}

/** Each alarm of the body as a delivery of its own: alarms are not grouped. */
export function cloudwatchDeliveries(body: unknown): AlertDelivery[] {
  return cloudwatchAlarmsOf(body).map((alarm) => {
    const alert = cloudwatchAlert(alarm);
    return { tool: 'cloudwatch', groupKey: alert.groupKey, alerts: [alert] };
  });
}
