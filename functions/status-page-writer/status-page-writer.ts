import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { STATUS_SITE_REBUILD_REASONS } from '#shared/deployment-names.ts';
import type { Log, StatusSiteStore } from '#shared/ports.ts';
import { publishStatusSite, type StatusSiteDeps } from '#shared/use-cases/build-status-site.ts';

export interface StatusPageWriterDeps extends StatusSiteDeps {
  readonly site: StatusSiteStore;
  readonly log: Log;
  /** Where the site is served (no trailing slash), for the feed's and the JSON's absolute links. */
  readonly baseUrl: string;
  /** The subscribe endpoint's absolute address, for the front page's form; none, no form. */
  readonly subscribeAction?: string;
}

const rebuildRequestSchema = z.object({ reason: z.enum(STATUS_SITE_REBUILD_REASONS) });

function reasonOf(body: string): string {
  try {
    return rebuildRequestSchema.parse(JSON.parse(body)).reason;
  } catch {
    return 'unknown';
  }
}

/**
 * Rebuilds the status site once per batch, whatever its messages say (each only means "something a
 * customer may see changed"), and writes only the files that changed; the daily rebuild writes all. A failed rebuild fails every
 * message of the batch, so SQS brings them back; it is never half-reported.
 */
export function makeStatusPageWriterHandler(deps: StatusPageWriterDeps) {
  return middy<SQSEvent, SQSBatchResponse>(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const reasons = [...new Set(event.Records.map((record) => reasonOf(record.body)))];
    try {
      // The daily rebuild rewrites every file: the history bars move anyway, and kept hashes get a check.
      await publishStatusSite(deps, deps.baseUrl, {
        rewriteAll: reasons.includes('daily'),
        subscribeAction: deps.subscribeAction,
      });
      return { batchItemFailures: [] };
    } catch (error) {
      deps.log.error('could not publish the status site', {
        reasons,
        error: error instanceof Error ? error.message : String(error),
      });
      return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
    }
  });
}
