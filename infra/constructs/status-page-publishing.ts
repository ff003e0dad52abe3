import { type CfnElement, CfnOutput, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { SqsSendMessage } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, STATUS_SITE_REBUILD_REASONS, TABLE } from '#shared/deployment-names.ts';
import type { Settings } from '#shared/settings.ts';
import { FUNCTION_SIZING } from '../function-sizing.ts';
import { deadLetterQueue } from './dead-letter-queue.ts';
import { type EventTable, TABLE_ACCESS } from './event-table.ts';
import { IncidentFunction } from './incident-function.ts';
import { StatusPageHosting } from './status-page-hosting.ts';
import { StatusPageSubscriptions } from './status-page-subscriptions.ts';

const [INCIDENT_CHANGED, DAILY] = STATUS_SITE_REBUILD_REASONS;

/** Lambda's guidance for an SQS source: the queue's visibility timeout at least six times the function's. */
const VISIBILITY_TIMEOUT_FACTOR = 6;

/** A rebuild failing this many times in a row (S3 refusing, the table unreadable) waits in the dead-letter queue. */
export const STATUS_SITE_MAX_RECEIVE_COUNT = 5;

/** One message group: the writer's batches run one after another, never two rebuilds at once. */
export const STATUS_SITE_MESSAGE_GROUP = 'status-site';

/** When the history bars move on: just after midnight in the team's time zone. */
export const STATUS_SITE_DAILY_CRON = '5 0 * * ? *';

export interface StatusPagePublishingProps {
  readonly events: EventTable;
  readonly settings: Settings;
  /** The HTTP API, its stage and URL (ending in a slash), where the page's form posts. */
  readonly ingest: { readonly api: HttpApi; readonly stage: HttpStage; readonly apiUrl: string };
  /** The keep-satisfied topic, which the form subscribes readers to. */
  readonly subscribeTopic: ITopic;
}

/**
 * The public status page on AWS: its hosting (a private bucket behind CloudFront), a FIFO queue of
 * rebuild requests, the status-page-writer function that consumes it one batch at a time, an
 * EventBridge pipe that puts a request on the queue whenever the processor saves a changed incident
 * state (read from the table's stream, so nothing is added to the processor's path), and a daily
 * schedule that rebuilds the history bars.
 */
export class StatusPagePublishing extends Construct {
  readonly hosting: StatusPageHosting;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** Where the pipe and the schedule put what they could not deliver to the queue. */
  readonly deliveryFailures: Queue;
  readonly writerFunction: IncidentFunction;
  /** The form's "get updates by email" endpoint on the HTTP API. */
  readonly subscriptions: StatusPageSubscriptions;
  readonly pipe: CfnPipe;
  readonly schedule: Schedule;
  /** The page's https address: the custom domain when one is set, else the distribution's. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: StatusPagePublishingProps) {
    super(scope, id);
    const { settings } = props;
    const customDomain = settings.statusPage.customDomain;

    // The form posts across origins, to the API: the page's CSP names exactly that origin.
    this.hosting = new StatusPageHosting(this, 'Hosting', {
      customDomain,
      formAction: props.ingest.api.apiEndpoint,
    });
    this.url = `https://${customDomain?.domainName ?? this.hosting.distribution.distributionDomainName}`;
    this.subscriptions = new StatusPageSubscriptions(this, 'Subscriptions', {
      ...props.ingest,
      settings,
      topic: props.subscribeTopic,
      siteUrl: this.url,
    });
    new CfnOutput(this, 'Url', {
      description: 'The status page (CloudFront; a change shows within a minute, no invalidation)',
      value: this.url,
    });

    const sizing = FUNCTION_SIZING['status-page-writer'];
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      fifo: true,
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    const isTheDeadLetterQueue =
      'This queue is the dead-letter queue of the status page queue; a dead-letter queue of its own would only move the problem.';
    Validations.of(this.deadLetterQueue).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: isTheDeadLetterQueue },
      { id: 'Serverless-SQSRedrivePolicy', reason: isTheDeadLetterQueue },
    );
    this.queue = new Queue(this, 'Rebuilds', {
      fifo: true,
      // The schedule's daily message needs it; the pipe sets each record's own deduplication id.
      contentBasedDeduplication: true,
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * sizing.timeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: STATUS_SITE_MAX_RECEIVE_COUNT },
    });
    this.deliveryFailures = deadLetterQueue(this, 'DeliveryFailures', 'of the pipe and the schedule');

    this.writerFunction = new IncidentFunction(this, 'Writer', { job: 'status-page-writer', settings });
    const fn = this.writerFunction.function;
    props.events.connect(fn, TABLE_ACCESS.statusPage);
    const bucket = this.hosting.bucket;
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('*')] }),
    );
    // Only incident pages are ever withdrawn (an incident labelled internal after it was published).
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [bucket.arnForObjects('incidents/*')] }),
    );
    fn.addEnvironment(ENV.statusSiteBucket, bucket.bucketName);
    fn.addEnvironment(ENV.statusSiteUrl, this.url);
    fn.addEnvironment(ENV.statusSubscribeUrl, this.subscriptions.url);
    // Ten requests make one rebuild; FIFO with one group keeps rebuilds in order, one at a time.
    fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
    const redrivenByTheQueue = `Invoked only by the status page queue's event source, which takes no on-failure destination for SQS; a rebuild failing ${STATUS_SITE_MAX_RECEIVE_COUNT} times goes to the queue's dead-letter queue.`;
    Validations.of(this.writerFunction).acknowledge(
      { id: 'Serverless-LambdaDLQ', reason: redrivenByTheQueue },
      { id: 'Serverless-LambdaEventSourceMappingDestination', reason: redrivenByTheQueue },
      {
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
        reason: "s3:PutObject on the status page bucket's objects: every file of the site, and nothing else.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>/incidents/*]`,
        reason: 's3:DeleteObject on the incident pages only, to withdraw a page customers may no longer see.',
      },
    );

    this.pipe = this.pipeFromStream(props.events);

    const invoker = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
    });
    this.schedule = new Schedule(this, 'DailyRebuild', {
      description: 'Rebuilds the status page after midnight: the history bars move on a day',
      schedule: ScheduleExpression.expression(
        `cron(${STATUS_SITE_DAILY_CRON})`,
        TimeZone.of(settings.timeZone),
      ),
      timeWindow: TimeWindow.off(),
      target: new SqsSendMessage(this.queue, {
        role: invoker,
        input: ScheduleTargetInput.fromObject({ reason: DAILY }),
        messageGroupId: STATUS_SITE_MESSAGE_GROUP,
        deadLetterQueue: this.deliveryFailures,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });
  }

  /**
   * The table's stream into the queue, keeping only the saves of an incident's folded state: DynamoDB
   * writes no stream record for a save that changes nothing, so every request means a changed incident.
   */
  private pipeFromStream(events: EventTable): CfnPipe {
    const streamArn = events.table.tableStreamArn;
    if (!streamArn) throw new Error('the event table has no stream for the status page pipe to read');
    const role = new Role(this, 'PipeRole', { assumedBy: new ServicePrincipal('pipes.amazonaws.com') });
    events.table.grantStreamRead(role);
    this.queue.grantSendMessages(role);
    this.deliveryFailures.grantSendMessages(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams, granted with the stream read, supports no resource-level permissions.',
    });
    const pipe = new CfnPipe(this, 'IncidentChanges', {
      description: 'Saved incident states → status page rebuild requests',
      roleArn: role.roleArn,
      source: streamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'LATEST',
          batchSize: 10,
          maximumBatchingWindowInSeconds: 1,
          maximumRetryAttempts: 3,
          maximumRecordAgeInSeconds: 3600,
          deadLetterConfig: { arn: this.deliveryFailures.queueArn },
        },
        filterCriteria: {
          filters: [
            {
              pattern: JSON.stringify({
                eventName: ['INSERT', 'MODIFY'],
                dynamodb: { Keys: { [TABLE.sortKey]: { S: [TABLE.stateSortKey] } } },
              }),
            },
          ],
        },
      },
      target: this.queue.queueArn,
      targetParameters: {
        inputTemplate: JSON.stringify({ reason: INCIDENT_CHANGED }),
        sqsQueueParameters: {
          messageGroupId: STATUS_SITE_MESSAGE_GROUP,
          // The stream record's own id: two changes within five minutes are two requests, not one.
          messageDeduplicationId: '$.eventID',
        },
      },
    });
    // The role's policy must exist before the pipe starts reading the stream.
    pipe.node.addDependency(role);
    return pipe;
  }
}
