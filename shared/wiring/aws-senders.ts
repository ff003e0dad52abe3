import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createSnsNotifier } from '../adapters/sns-notifier.ts';
import { createSqsPostmortemRequests } from '../adapters/sqs-postmortem-requests.ts';
import { createSqsRecheckScheduler } from '../adapters/sqs-recheck-scheduler.ts';
import type { GROUPS } from '../domain/notification-policy.ts';
import { awsClientConfig } from '../outbound-timeouts.ts';
import type { Notifier, PostmortemRequests, RecheckScheduler } from '../ports.ts';

export { createParameterDirectory } from '../adapters/parameter-directory.ts';

/** Where a deployed function sends: each group's topic and the recheck queue. */
export interface AwsNotificationTargets {
  readonly topicArns: Partial<Record<(typeof GROUPS)[number], string>>;
  readonly recheckQueueUrl: string;
}

/**
 * The SNS notifier and the SQS recheck scheduler, with their clients. Deployed, this module (with the
 * directory reader and the postmortem requests) is a file of its own beside the handler's, loaded on
 * first use, so its clients are not compiled on a cold start (see aws-senders-loader.ts).
 */
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

/** Postmortem requests to the postmortem function's queue, with their own SQS client. */
export function createAwsPostmortemRequests(queueUrl: string): PostmortemRequests {
  return createSqsPostmortemRequests(new SQSClient(awsClientConfig()), queueUrl);
}
