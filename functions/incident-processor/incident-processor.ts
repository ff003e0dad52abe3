import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type ProcessIncidentDeps, processIncident } from '#shared/use-cases/process-incident.ts';

export type IncidentProcessorDeps = ProcessIncidentDeps;

const INCIDENT_PREFIX = 'INCIDENT#';

/** The incident a stream record belongs to, from the item's partition key. */
export function incidentOf(record: DynamoDBRecord): string {
  const pk = record.dynamodb?.Keys?.pk?.S;
  if (!pk?.startsWith(INCIDENT_PREFIX))
    throw new Error(`stream record ${record.eventID} has no incident key`);
  return pk.slice(INCIDENT_PREFIX.length);
}

/**
 * New events → each incident's state refolded from all of its events. Records of one incident in a
 * batch share one refold (it reads every event, so once is enough); a failure fails just its records.
 */
export function makeIncidentProcessorHandler(deps: IncidentProcessorDeps) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(
    async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
      const refreshes = new Map<string, Promise<unknown>>();
      const refresh = async (record: DynamoDBRecord): Promise<void> => {
        const issueId = incidentOf(record);
        let pending = refreshes.get(issueId);
        if (!pending) {
          pending = processIncident(issueId, deps).catch((error: unknown) => {
            deps.log.error('could not fold incident', {
              issueId,
              error: error instanceof Error ? error.message : String(error),
            });
            throw error;
          });
          refreshes.set(issueId, pending);
        }
        await pending;
      };
      const response = await processPartialResponse(
        event,
        refresh,
        new BatchProcessor(EventType.DynamoDBStreams),
        {
          context,
          throwOnFullBatchFailure: false,
        },
      );
      if (response.batchItemFailures.length > 0) {
        deps.log.warn('records will be retried', {
          failed: response.batchItemFailures.length,
          of: event.Records.length,
        });
      }
      return response;
    },
  );
}
