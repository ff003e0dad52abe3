import { describe, expect, it } from 'vitest';
import type { ActionItem } from '#shared/domain/follow-ups.ts';
import { postmortemOutline } from '#shared/domain/postmortem-outline.ts';
import { foldIncident } from '#shared/domain/timeline.ts';
import { descriptionOf } from '#shared/jira/jira-text.ts';
import type { PostmortemDraft, PostmortemPages } from '#shared/ports.ts';
import { incident, settingsWith } from '../builders.ts';

/** A to-do a person puts under the postmortem's Action Items, with the to-dos nested in it. */
export interface ContractItem {
  readonly summary: string;
  readonly checked: boolean;
  readonly nested?: readonly ContractItem[];
}

/** A postmortem page written by the postmortem writer, with the to-dos asked for added by a person. */
export interface ContractPage {
  readonly pages: PostmortemPages;
  readonly pageId: string;
  /** Sets the page's Status as a person does (it starts as Draft). */
  setStatus(status: string): Promise<void>;
}

/** The Jira site the tickets written back belong to. */
export const CONTRACT_JIRA_URL = 'https://example.atlassian.net';
const OPS_7 = { key: 'OPS-7', url: `${CONTRACT_JIRA_URL}/browse/OPS-7` };
const OPS_8 = { key: 'OPS-8', url: `${CONTRACT_JIRA_URL}/browse/OPS-8` };

/** The draft of a small incident's postmortem: the built-in outline, its Action Items holding the hint. */
export function contractPostmortemDraft(): PostmortemDraft {
  const inc = incident('10001');
  const events = [
    inc.created(),
    inc.move(1, 4, 'Detected', 'Declared'),
    inc.move(2, 70, 'Declared', 'Resolved'),
  ];
  const state = foldIncident(events, settingsWith());
  if (!state) throw new Error('fold gave nothing');
  return {
    incidentKey: 'INC-1',
    title: 'INC-1: Checkout failing',
    jiraUrl: `${CONTRACT_JIRA_URL}/browse/INC-1`,
    severity: state.severity,
    incidentStartMs: state.openedAtMs,
    resolvedAtMs: state.resolvedAtMs,
    timeToResolve: null,
    timeToAcknowledge: null,
    ownerEmail: null,
    blocks: postmortemOutline(state, events, {
      timeZone: 'UTC',
      description: descriptionOf(events),
      jiraUrl: null,
      ownAccountId: null,
    }),
  };
}

const ITEMS: readonly ContractItem[] = [
  {
    summary: 'Add a canary for checkout',
    checked: false,
    nested: [{ summary: 'Page on the canary', checked: true }],
  },
  { summary: 'Alert on the 5xx rate', checked: false },
];
const plain = (summary: string, checked: boolean) => ({
  summary,
  owner: null,
  dueDate: null,
  checked,
  ticket: null,
});
const withoutIds = (items: readonly ActionItem[]) => items.map(({ itemId: _, ...rest }) => rest);

async function itemsOf(page: ContractPage): Promise<ActionItem[]> {
  return page.pages.actionItems(page.pageId);
}

/**
 * What every PostmortemPages promises; run against the Notion adapter (on the Notion simulator) and the
 * Markdown pages alike. `make` writes a postmortem and adds the to-dos under its Action Items.
 */
export function postmortemPagesContract(
  name: string,
  make: (items: readonly ContractItem[]) => Promise<ContractPage>,
): void {
  describe(`${name} keeps the PostmortemPages contract`, () => {
    it('reads the to-dos under Action Items in page order, nested ones included, each with an id of its own', async () => {
      const page = await make(ITEMS);

      const items = await itemsOf(page);

      expect(withoutIds(items)).toEqual([
        plain('Add a canary for checkout', false),
        plain('Page on the canary', true),
        plain('Alert on the 5xx rate', false),
      ]);
      expect(new Set(items.map((item) => item.itemId)).size).toBe(3);
    });

    it("writes a ticket's link into its item, with or without a note, and reads it back there", async () => {
      const page = await make(ITEMS);
      const [canary, , alert] = await itemsOf(page);
      if (!canary || !alert) throw new Error('the items were not read');

      await page.pages.writeBack(canary.itemId, OPS_7, null);
      await page.pages.writeBack(alert.itemId, OPS_8, 'no Jira account for the owner');

      const items = await itemsOf(page);
      expect(items.find((item) => item.itemId === canary.itemId)).toMatchObject({
        summary: 'Add a canary for checkout',
        ticket: OPS_7,
      });
      expect(items.find((item) => item.itemId === alert.itemId)).toMatchObject({
        summary: 'Alert on the 5xx rate',
        ticket: OPS_8,
      });
    });

    it('checks and unchecks an item', async () => {
      const page = await make(ITEMS);
      const [canary, nested] = await itemsOf(page);
      if (!canary || !nested) throw new Error('the items were not read');

      await page.pages.setChecked(canary.itemId, true);
      await page.pages.setChecked(nested.itemId, false);

      expect((await itemsOf(page)).map((item) => item.checked)).toEqual([true, false, false]);
    });

    it("reads the page's Status as a person last set it", async () => {
      const page = await make([]);
      const draft = await page.pages.status(page.pageId);

      await page.setStatus('Published');

      expect(draft).toBe('Draft');
      expect(await page.pages.status(page.pageId)).toBe('Published');
    });
  });
}
