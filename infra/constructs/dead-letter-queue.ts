import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue as every one of ours is: encrypted, refusing plain HTTP, keeping what failed for
 * 14 days; `what` says whose failures it holds, for the acknowledgement that it has no DLQ of its own.
 */
export function deadLetterQueue(scope: Construct, id: string, what: string): Queue {
  const queue = new Queue(scope, id, {
    enforceSSL: true,
    encryption: QueueEncryption.SQS_MANAGED,
    retentionPeriod: Duration.days(14),
  });
  const isTheDeadLetterQueue = `This queue is the dead-letter queue ${what}; a dead-letter queue of its own would only move the problem.`;
  Validations.of(queue).acknowledge(
    { id: 'AwsSolutions-SQS3', reason: isTheDeadLetterQueue },
    { id: 'Serverless-SQSRedrivePolicy', reason: isTheDeadLetterQueue },
  );
  return queue;
}
