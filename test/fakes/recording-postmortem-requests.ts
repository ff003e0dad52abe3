import type { PostmortemRequests } from '#shared/ports.ts';

/** A postmortem queue that keeps the issue ids it is asked for, in order, and writes nothing. */
export function createRecordingPostmortemRequests(): PostmortemRequests & {
  readonly requested: readonly string[];
} {
  const requested: string[] = [];
  return {
    requested,
    async request(issueId) {
      requested.push(issueId);
    },
  };
}
