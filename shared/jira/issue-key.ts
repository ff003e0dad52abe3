import * as z from 'zod/mini';
import '../domain/zod-english.ts';

/**
 * Jira's issue key: the project key (a capital letter, then capitals, digits or underscores, as
 * Jira's project key rules allow), a hyphen, the issue number. Keys name files locally, so this is
 * also what keeps a key from being a path.
 */
const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[0-9]{1,18}$/;

/**
 * Jira Data Center lets an admin raise the project key size to 255; a key also names a file
 * (`<KEY>.md`), and a file name stops at 255 bytes, so the whole key stops at 250.
 */
export const MAX_ISSUE_KEY_CHARS = 250;

/** An issue key as Jira defines it (`OPS-42`); anything else, a path or a control character, is refused. */
export const issueKeySchema = z
  .string()
  .check(
    z.maxLength(MAX_ISSUE_KEY_CHARS, `an issue key is at most ${MAX_ISSUE_KEY_CHARS} characters`),
    z.regex(ISSUE_KEY, 'an issue key is a project key, a hyphen and a number, such as OPS-42'),
  );

/** True for a Jira issue key such as `OPS-42`. */
export function isIssueKey(value: string): boolean {
  return issueKeySchema.safeParse(value).success;
}
