import { describe, expect, it } from 'vitest';
import { SEVERITIES, type Severity } from '#shared/domain/lifecycle.ts';
import { isPagedSeverity, PAGED_SEVERITIES } from '#shared/domain/paging-policy.ts';

describe('the paging policy', () => {
  it.each<[Severity | null, boolean]>([
    ['SEV1', true],
    ['SEV2', true],
    ['SEV3', false],
    ['SEV4', false],
    [null, false],
  ])('pages for a %s incident: %s', (severity, paged) => {
    const answer = isPagedSeverity(severity);

    expect(answer).toBe(paged);
  });

  it('names only severities of the lifecycle, most severe first', () => {
    const ranks = PAGED_SEVERITIES.map((severity) => SEVERITIES.indexOf(severity));

    expect(ranks).toEqual([0, 1]);
  });
});
