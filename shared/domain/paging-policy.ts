import type { Severity } from './lifecycle.ts';

/**
 * The severities that page people (DESIGN.md): their declaration pages the assignee and the component
 * leads, and their staying unacknowledged pages manage-closely.
 */
export const PAGED_SEVERITIES = ['SEV1', 'SEV2'] as const satisfies readonly Severity[];
export type PagedSeverity = (typeof PAGED_SEVERITIES)[number];

/** True for an incident severe enough to page someone; an incident without a severity pages no one. */
export function isPagedSeverity(severity: Severity | null): severity is PagedSeverity {
  return PAGED_SEVERITIES.some((paged) => paged === severity);
}
