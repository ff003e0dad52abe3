import { describe, expect, it } from 'vitest';
import { itemLabel } from '#shared/domain/follow-ups.ts';
import { UpstreamRefusedError } from '#shared/errors.ts';
import type { NewTicket, TicketTracker } from '#shared/ports.ts';

/** The incident the follow-ups are linked to; every tracker under contract has it. */
export const CONTRACT_INCIDENT_KEY = 'INC-42';
/** Accounts tickets may be assigned to; every tracker under contract knows them. */
export const CONTRACT_ACCOUNTS = ['acc-alice', 'acc-bob'] as const;

const ticketOf = (itemId: string): NewTicket => ({
  summary: `Add a circuit breaker (${itemId})`,
  description: [[{ text: 'From the postmortem of INC-42.' }]],
  assigneeAccountId: 'acc-alice',
  dueDate: '2026-12-01',
  labels: ['incident-followup', itemLabel(itemId)],
  projectKey: 'OPS',
});

/**
 * What every TicketTracker promises; run against the Jira adapter (on the Jira simulator) and the local
 * tracker alike. `make` gives a tracker where the incident INC-42 exists, tickets go to project OPS and
 * the accounts acc-alice and acc-bob may be assigned.
 */
export function ticketTrackerContract(name: string, make: () => Promise<TicketTracker>): void {
  describe(`${name} keeps the TicketTracker contract`, () => {
    it('finds no ticket by a marker label before one is created, then the ticket created with it', async () => {
      const tracker = await make();
      const before = await tracker.findByLabel(itemLabel('item-1'));
      const created = await tracker.createTicket(ticketOf('item-1'));
      await tracker.createTicket(ticketOf('item-2'));

      const found = await tracker.findByLabel(itemLabel('item-1'));

      expect(before).toBeNull();
      expect(found).toEqual(created);
    });

    it('gives each ticket created its own key', async () => {
      const tracker = await make();

      const one = await tracker.createTicket(ticketOf('item-1'));
      const other = await tracker.createTicket(ticketOf('item-2'));

      expect(other.key).not.toBe(one.key);
    });

    it("tells a new ticket's state: not done, its assignee and its due date", async () => {
      const tracker = await make();
      const { key } = await tracker.createTicket(ticketOf('item-1'));

      const states = await tracker.ticketStates([key]);

      expect(states.get(key)).toMatchObject({
        key,
        done: false,
        assigneeAccountId: 'acc-alice',
        dueDate: '2026-12-01',
      });
    });

    it('changes the assignee and due date of a ticket, and unassigns it on null', async () => {
      const tracker = await make();
      const one = await tracker.createTicket(ticketOf('item-1'));
      const other = await tracker.createTicket(ticketOf('item-2'));

      await tracker.updateTicket(one.key, {
        summary: 'Renamed',
        assigneeAccountId: 'acc-bob',
        dueDate: '2027-01-15',
      });
      await tracker.updateTicket(other.key, {
        summary: 'Renamed',
        assigneeAccountId: null,
        dueDate: '2026-12-01',
      });

      const states = await tracker.ticketStates([one.key, other.key]);
      expect(states.get(one.key)).toMatchObject({ assigneeAccountId: 'acc-bob', dueDate: '2027-01-15' });
      expect(states.get(other.key)).toMatchObject({ assigneeAccountId: null });
    });

    it('tells the states of the tickets that exist and leaves out a key of none', async () => {
      const tracker = await make();
      const { key } = await tracker.createTicket(ticketOf('item-1'));

      const states = await tracker.ticketStates([key, 'OPS-999']);

      expect([...states.keys()]).toEqual([key]);
      expect((await tracker.ticketStates([])).size).toBe(0);
    });

    it('moves a ticket to Done, which its state then tells, and stays there when asked again', async () => {
      const tracker = await make();
      const { key } = await tracker.createTicket(ticketOf('item-1'));

      const moved = await tracker.transitionTo(key, 'Done');
      const again = await tracker.transitionTo(key, 'Done');

      expect([moved, again]).toEqual([true, true]);
      expect((await tracker.ticketStates([key])).get(key)).toMatchObject({ done: true, status: 'Done' });
    });

    it('links a ticket to its incident, twice without failing, and takes comments with or without a mention', async () => {
      const tracker = await make();
      const { key } = await tracker.createTicket(ticketOf('item-1'));

      await tracker.linkToIncident(key, CONTRACT_INCIDENT_KEY);
      await tracker.linkToIncident(key, CONTRACT_INCIDENT_KEY);
      await tracker.comment(key, 'The action item was removed from the postmortem.');
      await tracker.comment(key, 'This follow-up is overdue.', { accountId: 'acc-alice' });

      expect((await tracker.ticketStates([key])).get(key)).toMatchObject({ done: false });
    });

    it('knows no account for an email no one has', async () => {
      const tracker = await make();

      const accountId = await tracker.accountIdByEmail('nobody@example.com');

      expect(accountId).toBeNull();
    });

    it('refuses to update or link a ticket that does not exist, as a refusal waiting will not fix', async () => {
      const tracker = await make();
      const changes = { summary: 'Renamed', assigneeAccountId: null, dueDate: '2026-12-01' };

      const update = tracker.updateTicket('OPS-999', changes).catch((error: unknown) => error);
      const link = tracker.linkToIncident('OPS-999', CONTRACT_INCIDENT_KEY).catch((error: unknown) => error);

      expect(await update).toBeInstanceOf(UpstreamRefusedError);
      expect(await link).toBeInstanceOf(UpstreamRefusedError);
    });
  });
}
