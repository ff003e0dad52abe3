import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod/mini';
import { UpstreamRefusedError } from '../errors.ts';
import type { TicketTracker } from '../ports.ts';

const ticketSchema = z.object({
  key: z.string(),
  summary: z.string(),
  description: z.string(),
  assignee: z.nullable(z.string()),
  dueDate: z.nullable(z.string()),
  labels: z.array(z.string()),
  status: z.string(),
  links: z.array(z.string()),
  comments: z.array(z.object({ text: z.string(), mention: z.nullable(z.string()), atMs: z.number() })),
});
const fileSchema = z.object({ nextNumber: z.number(), tickets: z.array(ticketSchema) });
type LocalTickets = z.infer<typeof fileSchema>;
export type LocalTicket = z.infer<typeof ticketSchema>;

/** Statuses a local ticket can be in; `Done` is done. */
const DONE = 'Done';

/**
 * The follow-up tracker of local mode (no Jira credentials): tickets LOCAL-1, LOCAL-2… in a JSON file
 * under DATA_DIR, written whole and renamed into place so a crash never leaves half a file. People are
 * the @names of the Markdown items: no email lookup, the name is the account.
 */
export function createLocalTicketTracker(path: string, nowMs: () => number = Date.now) {
  const load = (): LocalTickets =>
    existsSync(path)
      ? fileSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
      : { nextNumber: 1, tickets: [] };
  const save = (tickets: LocalTickets) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, `${JSON.stringify(tickets, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
  };
  const change = (key: string, edit: (ticket: LocalTicket) => void) => {
    const tickets = load();
    const ticket = tickets.tickets.find((candidate) => candidate.key === key);
    // As Jira refuses a key of no issue: the port's refusal, which waiting will not fix.
    if (!ticket) throw new UpstreamRefusedError(`no local ticket ${key} in ${path}`);
    edit(ticket);
    save(tickets);
  };

  const tracker: TicketTracker & {
    tickets(): LocalTicket[];
    /** Marks a local ticket done (what a person does in Jira). */
    markDone(key: string): void;
  } = {
    async findByLabel(label) {
      const found = load().tickets.find((ticket) => ticket.labels.includes(label));
      return found ? { key: found.key, url: found.key } : null;
    },
    async createTicket(ticket) {
      const tickets = load();
      const key = `LOCAL-${tickets.nextNumber}`;
      tickets.nextNumber += 1;
      tickets.tickets.push({
        key,
        summary: ticket.summary,
        description: ticket.description
          .map((runs) => runs.map((run) => run.url ?? run.text).join(''))
          .join('\n'),
        assignee: ticket.assigneeAccountId,
        dueDate: ticket.dueDate,
        labels: [...ticket.labels],
        status: 'To Do',
        links: [],
        comments: [],
      });
      save(tickets);
      return { key, url: key };
    },
    async updateTicket(key, changes) {
      change(key, (ticket) => {
        ticket.summary = changes.summary;
        ticket.assignee = changes.assigneeAccountId;
        ticket.dueDate = changes.dueDate;
      });
    },
    async linkToIncident(ticketKey, incidentKey) {
      change(ticketKey, (ticket) => {
        if (!ticket.links.includes(incidentKey)) ticket.links.push(incidentKey);
      });
    },
    async ticketStates(keys) {
      const tickets = load().tickets.filter((ticket) => keys.includes(ticket.key));
      return new Map(
        tickets.map((ticket) => [
          ticket.key,
          {
            key: ticket.key,
            done: ticket.status === DONE,
            status: ticket.status,
            assigneeAccountId: ticket.assignee,
            dueDate: ticket.dueDate,
          },
        ]),
      );
    },
    async accountIdByEmail() {
      return null;
    },
    async comment(key, text, mention) {
      // Comments on incidents (not local tickets) have nowhere to go locally but the file's log.
      const tickets = load();
      const ticket = tickets.tickets.find((candidate) => candidate.key === key);
      if (ticket) {
        ticket.comments.push({ text, mention: mention?.accountId ?? null, atMs: nowMs() });
        save(tickets);
      }
    },
    async transitionTo(key, statusName) {
      const tickets = load();
      const ticket = tickets.tickets.find((candidate) => candidate.key === key);
      if (!ticket) return false;
      ticket.status = statusName;
      save(tickets);
      return true;
    },
    tickets: () => load().tickets,
    markDone(key) {
      change(key, (ticket) => {
        ticket.status = DONE;
      });
    },
  };
  return tracker;
}
