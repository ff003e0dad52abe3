import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import type { RecheckScheduler } from '../ports.ts';

/** SQS delays a message by 15 minutes at most; a later recheck is passed on again when it arrives. */
export const MAX_DELAY_SECONDS = 900;

/** What a recheck message carries. */
export const recheckMessageSchema = z.object({ issueId: z.string().check(z.minLength(1)), atMs: z.number() });
export type RecheckMessage = z.infer<typeof recheckMessageSchema>;

/** Rechecks as delayed SQS messages to the recheck queue (functions/incident-recheck consumes them). */
export function createSqsRecheckScheduler(
  client: SQSClient,
  queueUrl: string,
  nowMs: () => number,
): RecheckScheduler {
  return {
    async recheckAt(issueId, atMs) {
      const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((atMs - nowMs()) / 1000)));
      const body: RecheckMessage = { issueId, atMs };
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(body),
          DelaySeconds: delaySeconds,
        }),
      );
    },
  };
}
