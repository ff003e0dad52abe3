import type { DocBlock } from '../domain/doc-blocks.ts';

/** A postmortem ready to be written: its properties and its body as a document. */
export interface PostmortemDraft {
  readonly incidentKey: string;
  readonly title: string;
  readonly jiraUrl: string | null;
  readonly severity: string | null;
  readonly incidentStartMs: number;
  readonly resolvedAtMs: number | null;
  readonly timeToResolve: string | null;
  readonly timeToAcknowledge: string | null;
  readonly ownerEmail: string | null;
  readonly blocks: readonly DocBlock[];
}

/** Where a postmortem was written; `created` is false when it existed already. */
export interface WrittenPostmortem {
  readonly id: string;
  readonly url: string;
  readonly created: boolean;
}

/** The latest failure to write a postmortem: what went wrong and when; it is retried. */
export interface PostmortemFailure {
  readonly error: string;
  readonly atMs: number;
}

/** Writes an incident's postmortem once: a page already made for the incident is returned, not duplicated. */
export interface PostmortemWriter {
  write(draft: PostmortemDraft): Promise<WrittenPostmortem>;
  /**
   * Sets the written postmortem's properties that follow the incident (severity, start, resolution,
   * time to resolve and to acknowledge) to the draft's; never its body, which people edit. A
   * postmortem deleted since is left deleted.
   */
  refreshProperties(postmortem: WrittenPostmortem, draft: PostmortemDraft): Promise<void>;
}

/** Hands an incident's postmortem to the function that writes it (on AWS, a queue). */
export interface PostmortemRequests {
  request(issueId: string): Promise<void>;
}

/** What is recorded about each incident's postmortem: where it was written, its properties, its failures. */
export interface PostmortemRecords {
  /** The postmortem written for an incident, if any. */
  postmortemOf(issueId: string): Promise<WrittenPostmortem | null>;
  /** Records the postmortem of an incident; the first record stands. */
  recordPostmortem(issueId: string, postmortem: WrittenPostmortem): Promise<void>;
  /** The fingerprint of the postmortem's properties as last written, or null when none is recorded. */
  postmortemPropertiesOf(issueId: string): Promise<string | null>;
  /** Records the fingerprint of the properties just written; the latest record wins. */
  recordPostmortemProperties(issueId: string, fingerprint: string): Promise<void>;
  /** Why the postmortem could not be written yet (the latest failure), or null once it is written. */
  postmortemFailureOf(issueId: string): Promise<PostmortemFailure | null>;
  recordPostmortemFailure(issueId: string, failure: PostmortemFailure): Promise<void>;
}
