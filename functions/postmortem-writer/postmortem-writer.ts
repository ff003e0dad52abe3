import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { postmortemRequestSchema } from '#shared/adapters/sqs-postmortem-requests.ts';
import { retryDelaySeconds } from '#shared/domain/retry-backoff.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import type { EventHistory } from '#shared/ports.ts';
import { type PublishPostmortemDeps, publishPostmortem } from '#shared/use-cases/publish-postmortem.ts';

export interface PostmortemWriterDeps extends PublishPostmortemDeps {
  readonly store: PublishPostmortemDeps['store'] & EventHistory;
  /** Sets when a failed message comes back (its visibility timeout, in seconds from now). */
  readonly delayRetry: (receiptHandle: string, seconds: number) => Promise<void>;
}

/**
 * Writes the postmortem of each incident its queue names, and links it from Jira. A Notion or Jira
 * failure fails the message, and SQS brings it back (the retry) after a backoff that doubles with each
 * attempt (1, 2, 4, 8 minutes…, at least any Retry-After asked for), set on the message before the
 * failure is reported; after a few tries it waits in the dead-letter queue, with an alarm. Its
 * concurrency is capped at one, which keeps it within Notion's pace.
 */
export function makePostmortemWriterHandler(deps: PostmortemWriterDeps) {
  return middy<SQSEvent, SQSBatchResponse>(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      const write = async (record: SQSRecord): Promise<void> => {
        const { issueId } = postmortemRequestSchema.parse(JSON.parse(record.body));
        const events = await deps.store.loadEvents(issueId);
        const state = foldIncident(events, deps.settings);
        if (state) await publishPostmortem(state, events, deps);
      };
      const handle = async (record: SQSRecord): Promise<void> => {
        try {
          await write(record);
        } catch (error) {
          const attempts = Number(record.attributes.ApproximateReceiveCount) || 1;
          const retryAfterMs = error instanceof UpstreamUnavailableError ? error.retryAfterMs : null;
          const seconds = retryDelaySeconds(attempts, retryAfterMs);
          try {
            await deps.delayRetry(record.receiptHandle, seconds);
            deps.log.warn('postmortem retried later', { attempts, retryInSeconds: seconds });
          } catch (delayError) {
            // The queue's own visibility timeout still brings the message back.
            deps.log.warn('could not delay the retry', { error: (delayError as Error).message });
          }
          throw error;
        }
      };
      return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      });
    },
  );
}
