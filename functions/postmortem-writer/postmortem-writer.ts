import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { postmortemRequestSchema } from '#shared/adapters/sqs-postmortem-requests.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { type PublishPostmortemDeps, publishPostmortem } from '#shared/use-cases/publish-postmortem.ts';

/**
 * Writes the postmortem of each incident its queue names, and links it from Jira. A Notion or Jira
 * outage fails the message, and SQS brings it back after the visibility timeout (the retry); after a
 * few tries it waits in the dead-letter queue, with an alarm. Its concurrency is capped at one, which
 * keeps it within Notion's pace.
 */
export function makePostmortemWriterHandler(deps: PublishPostmortemDeps) {
  return middy<SQSEvent, SQSBatchResponse>(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      const handle = async (record: SQSRecord): Promise<void> => {
        const { issueId } = postmortemRequestSchema.parse(JSON.parse(record.body));
        const events = await deps.store.loadEvents(issueId);
        const state = foldIncident(events, deps.settings);
        if (state) await publishPostmortem(state, events, deps);
      };
      return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      });
    },
  );
}
