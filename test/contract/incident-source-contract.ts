import { describe, expect, it } from 'vitest';
import type { JiraIssueRead } from '#shared/jira/jira-history.ts';
import type { IncidentSource } from '#shared/ports.ts';
import { generateIncidentHistories, type SimulatedIssueHistory } from '../simulators/jira-history.ts';

const START = Date.parse('2026-10-01T00:00:00.000Z');
/** More issues than one search page of Jira holds; every 25th has more histories or comments than a search embeds. */
const HISTORIES = generateIncidentHistories({ count: 101, seed: 11, startMs: START });
const ALL = 'project = OPS ORDER BY updated ASC';
const NONE = 'project = OPS AND labels = "no-such-label" ORDER BY updated ASC';

const ids = (list: readonly { readonly id: string }[]) => list.map((each) => each.id).sort();
const expectedOf = (issueId: string) => {
  const history = HISTORIES.find((each) => each.issue.id === issueId);
  if (!history) throw new Error(`no generated history of issue ${issueId}`);
  return history;
};

async function everyIssue(source: IncidentSource, jql: string): Promise<JiraIssueRead[]> {
  const issues: JiraIssueRead[] = [];
  let token: string | null = null;
  do {
    const page = await source.searchPage(jql, token);
    issues.push(...page.issues);
    token = page.nextPageToken;
  } while (token !== null);
  return issues;
}

/**
 * What every IncidentSource promises; run against the Jira adapter on the Jira simulator. `make` gives
 * a source over a Jira holding these issue histories (project OPS), whose JQL it understands.
 */
export function incidentSourceContract(
  name: string,
  make: (histories: readonly SimulatedIssueHistory[]) => Promise<IncidentSource>,
): void {
  describe(`${name} keeps the IncidentSource contract`, () => {
    it('pages through every issue the JQL matches, each once, and through none when it matches none', async () => {
      const source = await make(HISTORIES);

      const issues = await everyIssue(source, ALL);
      const none = await source.searchPage(NONE, null);

      expect(ids(issues)).toEqual(ids(HISTORIES.map((history) => history.issue)));
      expect(none).toEqual({ issues: [], nextPageToken: null });
    });

    it('counts roughly how many issues match, or says it does not know', async () => {
      const source = await make(HISTORIES);

      const count = await source.approximateCount(ALL);

      const roughlyRight = count === null || Math.abs(count - HISTORIES.length) <= HISTORIES.length / 10;
      expect(roughlyRight).toBe(true);
    });

    it("reads each issue's whole changelog and every comment, however long", async () => {
      const source = await make(HISTORIES);
      const issues = await everyIssue(source, ALL);

      const histories = await Promise.all(issues.map((issue) => source.historyOf(issue)));

      for (const history of histories) {
        const expected = expectedOf(history.issue.id);
        expect(ids(history.histories)).toEqual(ids(expected.changelog));
        expect(ids(history.comments)).toEqual(ids(expected.comments));
      }
      expect(
        HISTORIES.some((history) => history.changelog.length > 40 || history.comments.length > 100),
      ).toBe(true);
    });

    it('reads, given the newest history already stored, at least every history from that one on', async () => {
      const source = await make(HISTORIES);
      const issues = await everyIssue(source, ALL);

      for (const issue of issues) {
        const { changelog } = expectedOf(issue.id);
        const known = changelog.at(-2) ?? changelog.at(-1);
        if (!known) continue;
        const history = await source.historyOf(issue, { newestHistoryId: known.id });
        const fromKnown = changelog.slice(changelog.indexOf(known));
        expect(ids(history.histories)).toEqual(expect.arrayContaining(ids(fromKnown)));
        expect(ids(history.comments)).toEqual(ids(expectedOf(issue.id).comments));
      }
    });

    it('tells what a search embedded of a history, whole only when nothing is missing from it', async () => {
      const source = await make(HISTORIES);
      const issues = await everyIssue(source, ALL);

      const embedded = issues.map((issue) => ({ issue, ...source.embeddedHistoryOf(issue) }));

      for (const { issue, history, whole } of embedded) {
        const expected = expectedOf(issue.id);
        const complete =
          ids(history.histories).join() === ids(expected.changelog).join() &&
          ids(history.comments).join() === ids(expected.comments).join();
        if (whole) expect(complete).toBe(true);
        expect(ids(expected.changelog)).toEqual(expect.arrayContaining(ids(history.histories)));
        expect(ids(expected.comments)).toEqual(expect.arrayContaining(ids(history.comments)));
      }
      expect(embedded.some((each) => each.whole)).toBe(true);
      expect(embedded.some((each) => !each.whole)).toBe(true);
    });
  });
}
