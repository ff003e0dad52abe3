import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { recheckMessageSchema } from '#shared/adapters/sqs-recheck-scheduler.ts';
import type { RecheckScheduler } from '#shared/ports.ts';
import { type ProcessIncidentDeps, processIncident } from '#shared/use-cases/process-incident.ts';

export type IncidentRecheckDeps = ProcessIncidentDeps & { readonly recheck: RecheckScheduler };

/**
 * Brings an incident back to the processor when a held-back update or an escalation falls due.
 * A message that arrives early (SQS delays 15 minutes at most) is passed on for the rest of the wait.
 * Rechecks of one incident due together share one refold, as the stream processor's records do: the
 * batch processor runs records concurrently, and two refolds would race to send the same update.
 */
export function makeIncidentRecheckHandler(deps: IncidentRecheckDeps) {
  return middy<SQSEvent, SQSBatchResponse>(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      const refolds = new Map<string, Promise<void>>();
      const handle = async (record: SQSRecord): Promise<void> => {
        const message = recheckMessageSchema.parse(JSON.parse(record.body));
        if (message.atMs - deps.nowMs() > 1000) return deps.recheck.recheckAt(message.issueId, message.atMs);
        let refold = refolds.get(message.issueId);
        if (!refold) {
          refold = processIncident(message.issueId, deps);
          refolds.set(message.issueId, refold);
        }
        await refold;
      };
      return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      });
    },
  );
}
