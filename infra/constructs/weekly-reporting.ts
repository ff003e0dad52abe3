import { ArnFormat, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ENV } from '#shared/deployment-names.ts';
import type { Settings } from '#shared/settings.ts';
import { type EventTable, TABLE_ACCESS } from './event-table.ts';
import { ScheduledJob } from './scheduled-job.ts';

export interface WeeklyReportingProps {
  readonly events: EventTable;
  readonly settings: Settings;
  /** Subscribed to the report by email at deploy time (each must confirm); never committed. */
  readonly emails: readonly string[];
  /** 1 keeps two runs from sending twice; undefined where the account cannot reserve concurrency. */
  readonly reservedConcurrency: number | undefined;
}

/** The SES identity the report's sender belongs to: the one named, else the sender's domain. */
export function reportIdentity(email: {
  readonly from: string;
  readonly identity?: string | undefined;
}): string {
  return email.identity ?? email.from.slice(email.from.lastIndexOf('@') + 1);
}

/** Mondays at 09:00 in the team's time zone. */
export const WEEKLY_REPORT_CRON = '0 9 ? * MON *';

/**
 * The Monday email: the weekly-report function on its schedule, the topic its readers subscribe to,
 * and, where settings.report.email is set, the right to send the HTML email as that SES identity.
 */
export class WeeklyReporting extends Construct {
  readonly topic: Topic;
  readonly job: ScheduledJob;

  constructor(scope: Construct, id: string, props: WeeklyReportingProps) {
    super(scope, id);

    const key = new Key(this, 'TopicKey', {
      description: 'Incident Flow: encrypts the weekly report topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
    });
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Incident Flow weekly report',
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));

    this.job = new ScheduledJob(this, 'Job', {
      job: 'weekly-report',
      settings: props.settings,
      cron: WEEKLY_REPORT_CRON,
      description: "Incident Flow: last week's incident metrics to the weekly-report topic",
      reservedConcurrency: props.reservedConcurrency,
    });
    const fn = this.job.jobFunction.function;
    props.events.connect(fn, TABLE_ACCESS.reporting);
    this.topic.grantPublish(fn);
    Validations.of(this.job.jobFunction).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        "Publishing to a KMS-encrypted topic needs GenerateDataKey and its variants, on the topic's own key only.",
    });
    fn.addEnvironment(ENV.reportTopicArn, this.topic.topicArn);
    // The sender and readers travel in the settings JSON the function already reads; only the grant is new.
    const email = props.settings.report.email;
    if (email) {
      fn.addToRolePolicy(
        new PolicyStatement({
          // SES v2 SendEmail with raw content is authorized as both actions, on the sending identity only.
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [
            Stack.of(this).formatArn({
              service: 'ses',
              resource: 'identity',
              resourceName: reportIdentity(email),
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          ],
        }),
      );
    }

    new CfnOutput(this, 'WeeklyReportTopicArn', {
      key: 'WeeklyReportTopicArn',
      description:
        'Subscribe readers: aws sns subscribe --topic-arn <this> --protocol email --notification-endpoint <address>',
      value: this.topic.topicArn,
    });
  }
}
