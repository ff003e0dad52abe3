import type { DeployIncidentOpener, TicketTracker } from '../ports.ts';

/**
 * Incidents opened as tickets of a tracker whose issue type is the incident type: found by their label
 * first (a retry after a crash opens none twice), then moved to the detection status.
 */
export function createTicketIncidentOpener(
  tracker: TicketTracker,
  options: {
    readonly projectKey: string;
    readonly detectedStatus: string;
    readonly labels: readonly string[];
  },
): DeployIncidentOpener {
  return {
    async openIncident(draft) {
      const found = await tracker.findByLabel(draft.label);
      if (found !== null) return found;
      const ticket = await tracker.createTicket({
        summary: draft.summary,
        description: draft.description,
        assigneeAccountId: null,
        dueDate: null,
        labels: [...options.labels, draft.label],
        projectKey: options.projectKey,
      });
      await tracker.transitionTo(ticket.key, options.detectedStatus);
      return ticket;
    },
  };
}
