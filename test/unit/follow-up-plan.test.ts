import { describe, expect, it } from 'vitest';
import { planDoneSteps, planItemSteps, readyToClose } from '#shared/domain/follow-up-plan.ts';
import { type ActionItem, type FollowUp, fingerprintOf } from '#shared/domain/follow-ups.ts';

const item = (itemId: string, changes: Partial<ActionItem> = {}): ActionItem => ({
  itemId,
  summary: `Fix ${itemId}`,
  owner: { kind: 'name', name: 'ana' },
  dueDate: '2025-03-01',
  checked: false,
  ticket: null,
  ...changes,
});

/** The follow-up a sync records for an item, in step with it unless `changes` say otherwise. */
const followUpOf = (of: ActionItem, changes: Partial<FollowUp> = {}): FollowUp => ({
  itemId: of.itemId,
  incidentIssueId: '10001',
  incidentKey: 'INC-1',
  ticketKey: `OPS-${of.itemId}`,
  ticketUrl: `https://jira.example/browse/OPS-${of.itemId}`,
  summary: of.summary,
  assigneeAccountId: 'ana',
  ownerName: 'ana',
  ownerUnresolved: false,
  dueDate: '2025-03-01',
  dueDateSource: 'item',
  state: 'open',
  createdAtMs: 0,
  doneAtMs: null,
  fingerprint: fingerprintOf(of),
  writtenBack: true,
  itemRemovedAtMs: null,
  lastReminderAtMs: null,
  earlyReminderSent: false,
  ...changes,
});

const a = item('a');
const b = item('b');

describe('planItemSteps', () => {
  it.each<[string, ActionItem[], FollowUp[], string[]]>([
    ['creates a ticket for a new unchecked item', [a], [], ['create a']],
    ['leaves a new checked item alone', [item('a', { checked: true })], [], []],
    ['leaves an item in step with its follow-up alone', [a], [followUpOf(a)], []],
    [
      'writes back a link that did not go through',
      [a],
      [followUpOf(a, { writtenBack: false })],
      ['update a write-back'],
    ],
    [
      'updates the ticket of an edited item',
      [item('a', { summary: 'Fix it better' })],
      [followUpOf(a)],
      ['update a edit'],
    ],
    [
      'does not update a done ticket whose item was edited',
      [item('a', { summary: 'Fix it better' })],
      [followUpOf(a, { state: 'done' })],
      [],
    ],
    [
      'writes back and updates at once',
      [item('a', { dueDate: '2025-04-01' })],
      [followUpOf(a, { writtenBack: false })],
      ['update a write-back edit'],
    ],
    ['notes a removed item on its ticket', [], [followUpOf(a)], ['note-removed a']],
    ['notes a removed item once', [], [followUpOf(a, { itemRemovedAtMs: 5 })], []],
    [
      'takes the items in page order, then the removed ones',
      [b, item('c')],
      [followUpOf(a), followUpOf(b, { writtenBack: false })],
      ['update b write-back', 'create c', 'note-removed a'],
    ],
  ])('%s', (_, items, recorded, expected) => {
    const steps = planItemSteps(items, recorded);

    expect(
      steps.map((step) =>
        step.kind === 'create'
          ? `create ${step.item.itemId}`
          : step.kind === 'update'
            ? [
                'update',
                step.item.itemId,
                ...(step.writeBack ? ['write-back'] : []),
                ...(step.edit ? ['edit'] : []),
              ].join(' ')
            : `note-removed ${step.followUp.itemId}`,
      ),
    ).toEqual(expected);
  });
});

describe('planDoneSteps', () => {
  it.each<[string, FollowUp[], ActionItem[], Record<string, boolean>, string[]]>([
    [
      'marks done an open follow-up whose ticket is done, checking its item',
      [followUpOf(a)],
      [a],
      { 'OPS-a': true },
      ['a checks'],
    ],
    [
      'does not check an item already checked',
      [followUpOf(a)],
      [item('a', { checked: true })],
      { 'OPS-a': true },
      ['a'],
    ],
    ['does not check an item that is gone', [followUpOf(a)], [], { 'OPS-a': true }, ['a']],
    ['leaves a follow-up whose ticket is not done', [followUpOf(a)], [a], { 'OPS-a': false }, []],
    ['leaves a follow-up whose ticket the tracker did not report', [followUpOf(a)], [a], {}, []],
    ['leaves a follow-up already done', [followUpOf(a, { state: 'done' })], [a], { 'OPS-a': true }, []],
  ])('%s', (_, followUps, items, done, expected) => {
    const ticketStates = new Map(Object.entries(done).map(([key, isDone]) => [key, { done: isDone }]));

    const steps = planDoneSteps(followUps, items, ticketStates);

    expect(steps.map((step) => `${step.followUp.itemId}${step.checkItem ? ' checks' : ''}`)).toEqual(
      expected,
    );
  });
});

describe('readyToClose', () => {
  it.each<[string, FollowUp[], string | null, boolean, boolean]>([
    [
      'closes when every follow-up is done and the postmortem published',
      [followUpOf(a, { state: 'done' })],
      'Published',
      true,
      true,
    ],
    ['reads the status without regard to case', [followUpOf(a, { state: 'done' })], 'PUBLISHED', true, true],
    [
      'waits for the last open follow-up',
      [followUpOf(a, { state: 'done' }), followUpOf(b)],
      'Published',
      true,
      false,
    ],
    ['waits for the postmortem to be published', [followUpOf(a, { state: 'done' })], 'Draft', true, false],
    ['does not close without a postmortem status', [followUpOf(a, { state: 'done' })], null, true, false],
    ['does not close an incident without follow-ups', [], 'Published', true, false],
    [
      'does not close when the team did not ask for it',
      [followUpOf(a, { state: 'done' })],
      'Published',
      false,
      false,
    ],
  ])('%s', (_, followUps, status, closeWhenDone, expected) => {
    const ready = readyToClose(followUps, status, closeWhenDone);

    expect(ready).toBe(expected);
  });
});
