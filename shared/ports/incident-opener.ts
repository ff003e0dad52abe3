import type { IncidentDraft } from '../domain/alert-incident.ts';

export type { IncidentDraft };

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
