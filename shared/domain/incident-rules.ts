import type { IssueSnapshot } from './events.ts';
import type { Severity } from './lifecycle.ts';

/** Which issues are incidents: any of these issue types, or any of these labels (both ignore case). */
export interface IncidentRule {
  readonly issueTypes: readonly string[];
  readonly labels: readonly string[];
}

export interface SeverityRule {
  readonly source: 'priority' | 'field';
  readonly priorities: Readonly<Record<string, Severity>>;
  readonly field?: string | undefined;
  readonly fieldValues: Readonly<Record<string, Severity>>;
}

const lower = (values: readonly string[]): Set<string> => new Set(values.map((value) => value.toLowerCase()));

/** Why an issue is not an incident, or null when it is one by this rule. */
export function whyNotIncident(issue: IssueSnapshot, rule: IncidentRule): string | null {
  const types = lower(rule.issueTypes);
  const labels = lower(rule.labels);
  if (issue.issueType !== undefined && types.has(issue.issueType.toLowerCase())) return null;
  if (issue.labels?.some((label) => labels.has(label.toLowerCase()))) return null;
  const type = issue.issueType === undefined ? 'no issue type' : `issue type "${issue.issueType}"`;
  const labelText = issue.labels?.length ? `labels ${issue.labels.join(', ')}` : 'no incident label';
  return `${issue.key} is not an incident (${type}, ${labelText}); incidents are issue types ${rule.issueTypes.join(', ') || '(none)'} or labels ${rule.labels.join(', ') || '(none)'}`;
}

function lookup(table: Readonly<Record<string, Severity>>, value: string): Severity | null {
  const wanted = value.toLowerCase();
  for (const [name, severity] of Object.entries(table)) if (name.toLowerCase() === wanted) return severity;
  return null;
}

/** The severity an issue snapshot carries under the rule; null when it has none or an unmapped value. */
export function severityOf(issue: IssueSnapshot, rule: SeverityRule): Severity | null {
  const value = rule.source === 'priority' ? issue.priority : issue.severityField;
  if (value === undefined || value === null) return null;
  return lookup(rule.source === 'priority' ? rule.priorities : rule.fieldValues, value);
}
