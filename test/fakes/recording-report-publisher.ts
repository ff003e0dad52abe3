import type { ReportPublisher } from '#shared/ports.ts';

/** A report the recording publisher was asked to publish. */
export interface PublishedReport {
  readonly subject: string;
  readonly body: string;
}

/**
 * A report publisher that keeps what it publishes and answers `<prefix>-1`, `<prefix>-2`… as message ids,
 * with the SNS adapter's contract (test/contract).
 */
export function createRecordingReportPublisher(
  prefix = 'm',
): ReportPublisher & { readonly published: readonly PublishedReport[] } {
  const published: PublishedReport[] = [];
  return {
    published,
    async publish(subject, body) {
      published.push({ subject, body });
      return { messageId: `${prefix}-${published.length}` };
    },
  };
}
