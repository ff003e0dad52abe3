import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { UpstreamUnavailableError } from '../errors.ts';
import type { ReportPublisher } from '../ports.ts';

const RETRYABLE = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'InternalError',
  'ServiceUnavailable',
]);

/** Publishes a report to an SNS topic whose email subscribers receive it. */
export function createSnsReportPublisher(client: SNSClient, topicArn: string): ReportPublisher {
  return {
    async publish(subject, body) {
      try {
        const result = await client.send(
          new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: body }),
        );
        return { messageId: result.MessageId ?? '' };
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (RETRYABLE.has(name))
          throw new UpstreamUnavailableError(`SNS refused to publish now (${name})`, null, { cause: error });
        throw error;
      }
    },
  };
}
