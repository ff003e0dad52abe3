import type { DocBlock } from '../domain/doc-blocks.ts';

/** A new incident issue as the alert intake asks for it. */
export interface IncidentDraft {
  readonly project: string;
  readonly summary: string;
  readonly description: readonly DocBlock[];
  /** The Jira priority name (settings.severity.priorities read backwards). */
  readonly priority: string | null;
  readonly component: string | null;
  /** Labels that find the issue again (`alert-<hash>`, `incident-flow-alert`). */
  readonly labels: readonly string[];
  /** When the impact started (the alert's start), for incidents.startField. */
  readonly startedAtMs: number | null;
  /** A person of the directory made the assignee, when the route names one. */
  readonly assignee: string | null;
}

/** What opens and updates incident issues for alerts (Jira, or local mode's stand-in). */
export interface IncidentOpener {
  /** The key of the issue carrying this label (the newest), or null: a crash after create is found here. */
  findByLabel(label: string): Promise<string | null>;
  /** Creates the incident issue in its project, of the incident type, in the Detected status. */
  open(draft: IncidentDraft): Promise<{ readonly key: string }>;
  comment(issueKey: string, text: string): Promise<void>;
  /** Moves the issue to the status by name; `unavailable` when no transition leads there from where it is. */
  transition(issueKey: string, statusName: string): Promise<'moved' | 'unavailable'>;
}
