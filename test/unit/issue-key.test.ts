import { describe, expect, it } from 'vitest';
import { isIssueKey, issueKeySchema } from '#shared/jira/issue-key.ts';
import { jiraIssueReadSchema } from '#shared/jira/jira-history.ts';

describe('issueKeySchema', () => {
  it.each(['INC-42', 'OPS-1', 'A-1', 'PRODUCT_2013-7', 'R2D2-123456', `${'A'.repeat(200)}-1`])(
    'accepts the Jira issue key %s',
    (key) => {
      const accepted = isIssueKey(key);

      expect(accepted).toBe(true);
    },
  );

  it.each([
    ['a path climbing out', '../../../../x'],
    ['a path under a key', 'OPS-1/../../x'],
    ['a NUL', 'OPS-1\u0000'],
    ['CR/LF', 'OPS-1\r\nX-Injected: 1'],
    ['300 characters', `${'A'.repeat(296)}-123`],
    ['no number', 'OPS-'],
    ['no project', '-1'],
    ['a project starting with a digit', '2013PROJECT-1'],
    ['a hyphen in the project', 'PRODUCT-2012-1'],
    ['a backslash', 'OPS-1\\..\\x'],
    ['lower case', 'ops-1'],
    ['a number too long for Jira', `OPS-${'9'.repeat(19)}`],
  ])('refuses %s', (_, key) => {
    const result = issueKeySchema.safeParse(key);

    expect(result.success).toBe(false);
  });
});

describe('an issue as the reconciler reads it from Jira', () => {
  it('is refused when its key is a path, so no answer of Jira names a file', () => {
    const result = jiraIssueReadSchema.safeParse({ id: '10001', key: 'OPS-1/../../x', fields: {} });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['key']]);
  });
});
