import { Aws, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { IncidentFunction } from './incident-function.ts';
import type { IncidentProcessing } from './incident-processing.ts';
import type { ScheduledJob } from './scheduled-job.ts';
import type { WebhookIngest } from './webhook-ingest.ts';

const PERIOD = Duration.minutes(5);
/** New events should be folded within seconds; records are dropped to the dead-letter queue after an hour. */
export const MAX_ITERATOR_AGE = Duration.minutes(5);

export interface OpsMonitoringProps {
  readonly ingest: WebhookIngest;
  readonly processing: IncidentProcessing;
  /** Subscribed to the ops topic by email (it must confirm); none when undefined. */
  readonly opsEmail?: string;
}

/**
 * What operators watch: alarms on every function's errors and throttles, every dead-letter queue's
 * depth and the stream's iterator age, sent to an encrypted ops topic; and a dashboard of webhook rate,
 * processing latency and pending work.
 */
export class OpsMonitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  private readonly pendingWidget: GraphWidget;

  constructor(scope: Construct, id: string, props: OpsMonitoringProps) {
    super(scope, id);

    // CloudWatch can publish to an encrypted topic only when the key lets it: the AWS managed
    // alias/aws/sns key does not, so the topic has a key of its own.
    const key = new Key(this, 'TopicKey', {
      description: 'Incident Flow: encrypts the ops alarm topic',
      enableKeyRotation: true,
      // The key protects messages in flight only; nothing stays encrypted under it after the stack is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Incident Flow ops alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.opsEmail) this.topic.addSubscription(new EmailSubscription(props.opsEmail));

    const webhook = props.ingest.webhookFunction;
    const processor = props.processing.processorFunction;
    this.watchFunction('Webhook', webhook);
    this.watchFunction('DeploymentWebhook', props.ingest.deploymentFunction);
    this.watchFunction('Processor', processor);
    this.watchDeadLetterQueue('Processor', props.processing.deadLetterQueue);
    this.addAlarm(
      'ProcessorIteratorAge',
      processor.function.metric('IteratorAge', { statistic: Stats.MAXIMUM, period: PERIOD }),
      MAX_ITERATOR_AGE.toMilliseconds(),
      `New events waited over ${MAX_ITERATOR_AGE.toHumanString()} to be folded: the processor is failing or stuck.`,
    );

    this.pendingWidget = new GraphWidget({
      title: 'Pending: messages in dead-letter queues',
      left: [this.depthOf(props.processing.deadLetterQueue, 'processor')],
      width: 8,
    });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-${Aws.REGION}`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Webhook rate (requests per 5 minutes)',
        left: [props.ingest.api.metricCount({ statistic: Stats.SUM, period: PERIOD, label: 'requests' })],
        right: [webhook.function.metricErrors({ period: PERIOD, label: 'function errors' })],
        width: 8,
      }),
      new GraphWidget({
        title: 'Processing latency (processor duration, ms)',
        left: [Stats.p(50), Stats.p(99)].map((statistic) =>
          processor.function.metricDuration({ statistic, period: PERIOD, label: statistic }),
        ),
        right: [
          processor.function.metric('IteratorAge', {
            statistic: Stats.MAXIMUM,
            period: PERIOD,
            label: 'iterator age max',
          }),
        ],
        width: 8,
      }),
      this.pendingWidget,
    );
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          'Pending work is what sits in the dead-letter queues: events the processor gave up on, rechecks (held-back updates, escalations) that failed three times, failed scheduled runs. Runbook: docs/operations.md, "Pending work".',
        width: 8,
        height: 4,
      }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 16, height: 4 }),
    );

    new CfnOutput(this, 'DashboardName', {
      key: 'OpsDashboard',
      description: 'The CloudWatch dashboard of webhook rate, processing latency and pending work',
      value: this.dashboard.dashboardName,
    });
    new CfnOutput(this, 'TopicArn', {
      key: 'OpsTopicArn',
      description: 'The SNS topic the alarms go to: subscribe the on-call here',
      value: this.topic.topicArn,
    });
  }

  /** Alarms on a scheduled job's errors, throttles and dead letters, and charts its queue as pending. */
  watchScheduledJob(name: string, job: ScheduledJob): void {
    this.watchFunction(name, job.jobFunction);
    this.watchPendingQueue(name, job.deadLetterQueue);
  }

  /** Alarms on any message in a dead-letter queue, and charts its depth as pending work. */
  watchPendingQueue(name: string, deadLetterQueue: IQueue): void {
    this.watchDeadLetterQueue(name, deadLetterQueue);
    this.pendingWidget.addLeftMetric(this.depthOf(deadLetterQueue, name));
  }

  /** Alarms on any error or throttle of the function. */
  watchFunction(name: string, fn: IncidentFunction): void {
    this.addAlarm(
      `${name}Errors`,
      fn.function.metricErrors({ statistic: Stats.SUM, period: PERIOD }),
      0,
      `The ${name} function failed; see its log group for the error.`,
    );
    this.addAlarm(
      `${name}Throttles`,
      fn.function.metricThrottles({ statistic: Stats.SUM, period: PERIOD }),
      0,
      `The ${name} function was throttled: a flood, or its reserved concurrency is too low.`,
    );
  }

  private watchDeadLetterQueue(name: string, queue: IQueue): void {
    this.addAlarm(
      `${name}DeadLetters`,
      this.depthOf(queue),
      0,
      `Work of the ${name} failed for good and waits in its dead-letter queue; runbook: docs/operations.md, "Pending work".`,
    );
  }

  /** A label turns an alarm's metric into a math expression; only the dashboard's copies get one. */
  private depthOf(queue: IQueue, label?: string): IMetric {
    return queue.metricApproximateNumberOfMessagesVisible({
      statistic: Stats.MAXIMUM,
      period: PERIOD,
      label,
    });
  }

  /** Alarms (to the ops topic) when the metric goes above the threshold in one period. */
  alarmAbove(id: string, metric: IMetric, above: number, description: string): void {
    this.addAlarm(id, metric, above, description);
  }

  private addAlarm(id: string, metric: IMetric, above: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: above,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data means no invocations or an empty queue: nothing is wrong.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
