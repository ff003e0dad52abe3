import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Directory } from '#shared/domain/stakeholder-directory.ts';
import type { EventStore, Log, Notifier } from '#shared/ports.ts';
import type { Settings } from '#shared/settings.ts';
import { notifyStakeholders } from '#shared/use-cases/notify-stakeholders.ts';
import { refreshIncident } from '#shared/use-cases/refresh-incident.ts';

export interface IncidentProcessorDeps {
  readonly store: EventStore;
  readonly settings: Settings;
  readonly nowMs: () => number;
  readonly log: Log;
  /** Who hears about incidents and how; absent, the processor only keeps the timeline. */
  readonly notifications?: { readonly notifier: Notifier; readonly directory: Directory };
  /** Called when held-back updates of an incident (a burst) should be looked at again. */
  readonly recheckAt?: (issueId: string, atMs: number) => void;
}

/** Refolds one incident, then sends what its events call for. */
async function processIncident(issueId: string, deps: IncidentProcessorDeps): Promise<void> {
  const refreshed = await refreshIncident(issueId, deps);
  if (!refreshed || !deps.notifications) return;
  const outcome = await notifyStakeholders(refreshed.state, refreshed.events, {
    ...deps,
    ...deps.notifications,
  });
  if (outcome.sent > 0) deps.log.info('notified', { issueKey: refreshed.state.key, messages: outcome.sent });
  if (outcome.holdUntilMs !== null) deps.recheckAt?.(issueId, outcome.holdUntilMs);
}

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
