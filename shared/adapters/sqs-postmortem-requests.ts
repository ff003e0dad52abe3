import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import type { PostmortemRequests } from '../ports.ts';

/** What a postmortem request carries: the incident; the function reads everything else from the store. */
export const postmortemRequestSchema = z.object({ issueId: z.string().check(z.minLength(1)) });

/** Postmortem requests as SQS messages to the postmortem function's queue. */
export function createSqsPostmortemRequests(client: SQSClient, queueUrl: string): PostmortemRequests {
  return {
    async request(issueId) {
      await client.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ issueId }) }),
      );
    },
  };
}

/**
 * Delays the next delivery of a message that failed: its visibility timeout set to the wait, from now,
 * so SQS's redelivery (the retry) comes after a backoff rather than after the queue's fixed timeout.
 */
export function createSqsRetryDelay(client: SQSClient, queueUrl: string) {
  return async (receiptHandle: string, seconds: number): Promise<void> => {
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  };
}
