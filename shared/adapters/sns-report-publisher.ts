import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ReportPublisher } from '../ports.ts';
import { callSns } from './sns-call.ts';

/** Publishes a report to an SNS topic whose email subscribers receive it. */
export function createSnsReportPublisher(client: SNSClient, topicArn: string): ReportPublisher {
  return {
    async publish(subject, body) {
      const result = await callSns(() =>
        client.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: body })),
      );
      return { messageId: result.MessageId ?? '' };
    },
  };
}
