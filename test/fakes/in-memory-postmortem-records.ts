import type { PostmortemFailure, PostmortemRecords, WrittenPostmortem } from '#shared/ports.ts';

/** Postmortem records in memory, with the DynamoDB adapter's contract (test/contract). */
export function createInMemoryPostmortemRecords(): PostmortemRecords {
  const postmortems = new Map<string, WrittenPostmortem>();
  const failures = new Map<string, PostmortemFailure>();
  const fingerprints = new Map<string, string>();
  const clone = <T>(value: T): T => structuredClone(value);
  return {
    async postmortemOf(issueId) {
      return clone(postmortems.get(issueId) ?? null);
    },
    async recordPostmortem(issueId, postmortem) {
      if (!postmortems.has(issueId)) postmortems.set(issueId, clone(postmortem));
    },
    async postmortemPropertiesOf(issueId) {
      return fingerprints.get(issueId) ?? null;
    },
    async recordPostmortemProperties(issueId, fingerprint) {
      if (postmortems.has(issueId)) fingerprints.set(issueId, fingerprint);
    },
    async postmortemFailureOf(issueId) {
      return clone(failures.get(issueId) ?? null);
    },
    async recordPostmortemFailure(issueId, failure) {
      failures.set(issueId, clone(failure));
    },
  };
}
