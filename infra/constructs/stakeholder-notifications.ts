import { ArnFormat, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Subscription, SubscriptionFilter, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '#shared/deployment-names.ts';
import { SEVERITIES, type Severity } from '#shared/domain/lifecycle.ts';
import { GROUPS, type Group } from '#shared/domain/notification-policy.ts';
import type { Directory, Member } from '#shared/domain/stakeholder-directory.ts';
import type { Settings } from '#shared/settings.ts';
import { FUNCTION_SIZING } from '../function-sizing.ts';
import { deadLetterQueue } from './dead-letter-queue.ts';
import { type EventTable, TABLE_ACCESS } from './event-table.ts';
import { IncidentFunction } from './incident-function.ts';

/** The groups told through a topic of their own; monitor reads the weekly report and Jira instead. */
export const NOTIFYING_GROUPS = GROUPS.filter(
  (group): group is Exclude<Group, 'monitor'> => group !== 'monitor',
);
export type NotifyingGroup = (typeof NOTIFYING_GROUPS)[number];

/** The message attribute the notifier sets on every publish; SMS filter policies match on it. */
export const SEVERITY_ATTRIBUTE = 'severity';

/** Lambda's guidance for an SQS source: the queue's visibility timeout at least six times the function's. */
const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface StakeholderNotificationsProps {
  readonly events: EventTable;
  readonly settings: Settings;
  /** Read from the deployer's file at synth (deployment option directoryFile); subscribes its members. */
  readonly directory?: Directory;
}

/** The severities a member who wants SMS only from `minimum` up is texted about: that one and worse. */
export function severitiesFrom(minimum: Severity): Severity[] {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(minimum) + 1);
}

/**
 * Stakeholder notifications: one encrypted topic per notifying group with the directory's members
 * subscribed by email and SMS, the recheck queue that brings an incident back when a held-back update
 * or an escalation falls due, and the incident-recheck function that consumes it. `connect` lets a
 * function notify.
 */
export class StakeholderNotifications extends Construct {
  readonly topics: Readonly<Record<NotifyingGroup, Topic>>;
  readonly recheckQueue: Queue;
  readonly deadLetterQueue: Queue;
  /** Where SNS puts what it could not deliver to a subscribed member; only when the directory subscribes someone. */
  readonly subscriptionDeadLetterQueue: Queue | undefined;
  readonly recheckFunction: IncidentFunction;
  private readonly directorySecret: ISecret | undefined;
  private readonly directoryParameterArn: string | undefined;

  constructor(scope: Construct, id: string, props: StakeholderNotificationsProps) {
    super(scope, id);

    const source = props.settings.notifications.directory;
    if (source && 'file' in source) {
      throw new Error(
        'notifications.directory: on AWS use {"ssmParameter"} or {"secretArn"} (a file is read only locally)',
      );
    }
    this.directorySecret =
      source && 'secretArn' in source
        ? Secret.fromSecretCompleteArn(this, 'DirectorySecret', source.secretArn)
        : undefined;
    this.directoryParameterArn =
      source && 'ssmParameter' in source ? this.parameterArn(source.ssmParameter) : undefined;

    const key = new Key(this, 'TopicKey', {
      description: 'Incident Flow: encrypts the stakeholder notification topics',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
    });
    // No display name: SNS puts it before every SMS sent through the topic, eating the one segment.
    const topics = {} as Record<NotifyingGroup, Topic>;
    for (const group of NOTIFYING_GROUPS) {
      topics[group] = new Topic(this, `Topic-${group}`, { masterKey: key, enforceSSL: true });
    }
    this.topics = topics;
    const members = props.directory?.members ?? [];
    this.subscriptionDeadLetterQueue = members.some((member) =>
      member.groups.some((group) => group !== 'monitor'),
    )
      ? deadLetterQueue(this, 'SubscriptionDeadLetters', 'of the group subscriptions')
      : undefined;
    const subscribed = new Set<string>();
    for (const member of members) this.subscribe(member, subscribed);

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters', 'of the recheck queue');

    const sizing = FUNCTION_SIZING['incident-recheck'];
    this.recheckQueue = new Queue(this, 'Rechecks', {
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * sizing.timeoutSeconds),
      // A recheck that fails three times would fail a fourth; the dead-letter alarm tells ops.
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
    });

    this.recheckFunction = new IncidentFunction(this, 'IncidentRecheck', {
      job: 'incident-recheck',
      settings: props.settings,
    });
    const fn = this.recheckFunction.function;
    props.events.connect(fn, TABLE_ACCESS.processing);
    this.connect(fn);
    fn.addEventSource(
      new SqsEventSource(this.recheckQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    const redrivenByTheQueue =
      "Invoked only by the recheck queue's event source, which takes no on-failure destination for SQS; a message failing three times goes to the queue's dead-letter queue.";
    Validations.of(this.recheckFunction).acknowledge(
      { id: 'Serverless-LambdaDLQ', reason: redrivenByTheQueue },
      { id: 'Serverless-LambdaEventSourceMappingDestination', reason: redrivenByTheQueue },
    );

    for (const group of NOTIFYING_GROUPS) {
      const outputKey = `NotifyTopicArn${group
        .split('-')
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join('')}`;
      new CfnOutput(this, outputKey, {
        key: outputKey,
        description: `The ${group} topic: aws sns subscribe --topic-arn <this> --protocol email|sms --notification-endpoint <address or E.164 number>`,
        value: this.topics[group].topicArn,
      });
    }
  }

  /**
   * Lets the function notify: publish to the group topics, page a phone number directly after checking
   * it has not opted out, schedule rechecks, and read the directory; names the topics and the queue.
   */
  connect(fn: LambdaFunction): void {
    for (const topic of Object.values(this.topics)) topic.grantPublish(fn);
    // A direct SMS is published to a phone number, which has no ARN to scope the grant to.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sns:CheckIfPhoneNumberIsOptedOut', 'sns:Publish'], resources: ['*'] }),
    );
    this.recheckQueue.grantSendMessages(fn);
    this.directorySecret?.grantRead(fn);
    if (this.directoryParameterArn) {
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [this.directoryParameterArn] }),
      );
    }
    if (fn.role) {
      Validations.of(fn.role).acknowledge(
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'sns:Publish to a phone number (a direct SMS page) and sns:CheckIfPhoneNumberIsOptedOut have no resource to scope to: phone numbers have no ARN.',
        },
        {
          id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
          reason:
            "Publishing to a KMS-encrypted topic needs GenerateDataKey and its variants, on the topics' own key only.",
        },
      );
    }
    fn.addEnvironment(
      ENV.notifyTopicArns,
      Stack.of(this).toJsonString(
        Object.fromEntries(NOTIFYING_GROUPS.map((group) => [group, this.topics[group].topicArn])),
      ),
    );
    fn.addEnvironment(ENV.recheckQueueUrl, this.recheckQueue.queueUrl);
  }

  /** Lets the function email one group through its topic, and nothing else (no SMS, no rechecks). */
  connectGroup(fn: LambdaFunction, group: NotifyingGroup): void {
    this.topics[group].grantPublish(fn);
    if (fn.role) {
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          "Publishing to a KMS-encrypted topic needs GenerateDataKey and its variants, on the topics' own key only.",
      });
    }
    fn.addEnvironment(
      ENV.notifyTopicArns,
      Stack.of(this).toJsonString({ [group]: this.topics[group].topicArn }),
    );
  }

  private subscribe(member: Member, subscribed: Set<string>): void {
    // A second subscription of one address to one topic would only repeat every message.
    const isNew = (group: Group, address: string): boolean =>
      !subscribed.has(`${group} ${address}`) && Boolean(subscribed.add(`${group} ${address}`));
    for (const group of member.groups) {
      if (group === 'monitor') continue;
      const topic = this.topics[group];
      const deadLetterQueue = this.subscriptionDeadLetterQueue;
      if (member.email && isNew(group, member.email.toLowerCase()))
        topic.addSubscription(new EmailSubscription(member.email, { deadLetterQueue }));
      if (member.phone && isNew(group, member.phone)) {
        // Not SmsSubscription: it drops the deadLetterQueue prop (aws-cdk-lib 2.276).
        // An id by position, not the number: construct paths show up in synth errors and deploy events.
        new Subscription(topic, `Sms${subscribed.size}`, {
          topic,
          protocol: SubscriptionProtocol.SMS,
          endpoint: member.phone,
          deadLetterQueue,
          filterPolicy: member.smsMinSeverity
            ? {
                [SEVERITY_ATTRIBUTE]: SubscriptionFilter.stringFilter({
                  allowlist: severitiesFrom(member.smsMinSeverity),
                }),
              }
            : undefined,
        });
      }
    }
  }

  /** An SSM parameter's ARN from its name (with or without the leading slash) or its ARN. */
  private parameterArn(nameOrArn: string): string {
    if (nameOrArn.startsWith('arn:')) return nameOrArn;
    return Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: nameOrArn.replace(/^\//, ''),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}
