import { type ActionItem, type FollowUp, fingerprintOf } from './follow-ups.ts';

/**
 * One thing a sync does for a postmortem's follow-ups. An update writes the ticket's link back into the
 * item when an earlier write-back did not go through, and changes the ticket when the item was edited.
 */
export type FollowUpStep =
  | { readonly kind: 'create'; readonly item: ActionItem }
  | {
      readonly kind: 'update';
      readonly item: ActionItem;
      readonly followUp: FollowUp;
      readonly writeBack: boolean;
      readonly edit: boolean;
    }
  | { readonly kind: 'note-removed'; readonly followUp: FollowUp }
  | { readonly kind: 'mark-done'; readonly followUp: FollowUp; readonly checkItem: boolean };

/**
 * The steps for a postmortem's items against the follow-ups recorded for them, in the order the sync
 * takes them: each item in page order (an unchecked new one gets a ticket, a known one is brought up to
 * date), then each recorded follow-up whose item is gone and whose ticket was not yet told so.
 */
export function planItemSteps(
  items: readonly ActionItem[],
  recorded: readonly FollowUp[],
): readonly Exclude<FollowUpStep, { readonly kind: 'mark-done' }>[] {
  const known = new Map(recorded.map((followUp) => [followUp.itemId, followUp]));
  const steps: Exclude<FollowUpStep, { readonly kind: 'mark-done' }>[] = [];
  for (const item of items) {
    const followUp = known.get(item.itemId);
    if (followUp === undefined) {
      if (!item.checked) steps.push({ kind: 'create', item });
      continue;
    }
    const writeBack = !followUp.writtenBack;
    const edit = followUp.fingerprint !== fingerprintOf(item) && followUp.state === 'open';
    if (writeBack || edit) steps.push({ kind: 'update', item, followUp, writeBack, edit });
  }
  const present = new Set(items.map((item) => item.itemId));
  for (const followUp of known.values()) {
    if (!present.has(followUp.itemId) && followUp.itemRemovedAtMs === null)
      steps.push({ kind: 'note-removed', followUp });
  }
  return steps;
}

/**
 * Two-way: each open follow-up whose ticket is done in the tracker becomes done, and checks its item's
 * to-do when the item is still there and unchecked.
 */
export function planDoneSteps(
  followUps: readonly FollowUp[],
  items: readonly ActionItem[],
  ticketStates: ReadonlyMap<string, { readonly done: boolean }>,
): readonly Extract<FollowUpStep, { readonly kind: 'mark-done' }>[] {
  return followUps
    .filter((followUp) => followUp.state === 'open' && ticketStates.get(followUp.ticketKey)?.done === true)
    .map((followUp) => {
      const item = items.find((candidate) => candidate.itemId === followUp.itemId);
      return { kind: 'mark-done' as const, followUp, checkItem: item !== undefined && !item.checked };
    });
}

/**
 * Whether the incident can be closed: the team asked for it, it has follow-ups, all of them are done and
 * its postmortem is published.
 */
export function readyToClose(
  followUps: readonly FollowUp[],
  postmortemStatus: string | null,
  closeIncidentWhenDone: boolean,
): boolean {
  return (
    closeIncidentWhenDone &&
    followUps.length > 0 &&
    followUps.every((followUp) => followUp.state === 'done') &&
    postmortemStatus?.toLowerCase() === 'published'
  );
}
