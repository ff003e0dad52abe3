import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createSnsNotifier } from '../adapters/sns-notifier.ts';
import { createSqsRecheckScheduler } from '../adapters/sqs-recheck-scheduler.ts';
import type { GROUPS } from '../domain/notification-policy.ts';
import { awsClientConfig } from '../outbound-timeouts.ts';
import type { Notifier, RecheckScheduler } from '../ports.ts';

/** Where a deployed function sends: each group's topic and the recheck queue. */
export interface AwsNotificationTargets {
  readonly topicArns: Partial<Record<(typeof GROUPS)[number], string>>;
  readonly recheckQueueUrl: string;
}

/** The SNS notifier and the SQS recheck scheduler, with their clients; loaded only once a fold sends. */
export function createAwsNotifications(targets: AwsNotificationTargets): {
  notifier: Notifier;
  recheck: RecheckScheduler;
} {
  return {
    notifier: createSnsNotifier(new SNSClient(awsClientConfig()), {
      topicArns: targets.topicArns,
      nowMs: Date.now,
    }),
    recheck: createSqsRecheckScheduler(new SQSClient(awsClientConfig()), targets.recheckQueueUrl, Date.now),
  };
}
