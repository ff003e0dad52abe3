import type { CiChange } from './ci-events.ts';

/** A pull or merge request that names an incident: "fix opened" or "fix merged" on its timeline. */
export interface FixLink {
  readonly incidentKey: string;
  readonly changeId: string;
  readonly what: 'fix opened' | 'fix merged';
  readonly title: string;
  readonly author: string | null;
  readonly url: string;
  readonly atMs: number;
}

const ISSUE_KEY_IN_TEXT = /(?<![A-Za-z0-9_])[A-Z][A-Z0-9_]*-[0-9]{1,18}(?![0-9])/g;

/** The issue keys a change names in its title, branch name or body, each once, in that order. */
export function issueKeysNamedBy(change: Pick<CiChange, 'title' | 'branch' | 'body'>): string[] {
  // Branch names are often lower-cased (ops-42-fix-timeout): they are read upper-cased.
  const texts = [change.title, change.branch.toUpperCase(), change.body];
  return [...new Set(texts.flatMap((text) => text.match(ISSUE_KEY_IN_TEXT) ?? []))];
}

/** The fix link a change makes to an incident it names; null for an action that is neither opened nor merged. */
export function fixLinkOf(change: CiChange, incidentKey: string): FixLink | null {
  if (change.action === 'other') return null;
  return {
    incidentKey,
    changeId: change.changeId,
    what: change.action === 'merged' ? 'fix merged' : 'fix opened',
    title: change.title,
    author: change.author,
    url: change.url,
    atMs: change.atMs,
  };
}
