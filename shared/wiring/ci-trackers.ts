import { createJiraTicketTracker } from '../adapters/jira-ticket-tracker.ts';
import { createTicketIncidentOpener } from '../adapters/ticket-incident-opener.ts';
import { SettingsError } from '../errors.ts';
import type { DeployIncidentOpener, TicketTracker } from '../ports.ts';
import type { Settings } from '../settings.ts';
import { builtPerSecret } from './built-per-secret.ts';
import { jiraClientFor, jiraSecretReader, jiraSiteOf } from './jira-client.ts';

/** A tracker whose every call waits for the tracker built from the current secret. */
function deferred(built: () => Promise<TicketTracker>): TicketTracker {
  return {
    findByLabel: async (...args) => (await built()).findByLabel(...args),
    createTicket: async (...args) => (await built()).createTicket(...args),
    updateTicket: async (...args) => (await built()).updateTicket(...args),
    linkToIncident: async (...args) => (await built()).linkToIncident(...args),
    ticketStates: async (...args) => (await built()).ticketStates(...args),
    accountIdByEmail: async (...args) => (await built()).accountIdByEmail(...args),
    comment: async (...args) => (await built()).comment(...args),
    transitionTo: async (...args) => (await built()).transitionTo(...args),
  };
}

/**
 * Jira as the CI webhook uses it: premortem tickets in `ci.issueType`, incidents in the first incident
 * issue type moved to the detection status, both in `ci.projectKey` (required: a SettingsError at cold start).
 */
export function createJiraCiTrackers(
  settings: Settings,
  jiraSecretArn: string,
): { premortems: TicketTracker; incidents: DeployIncidentOpener } {
  const projectKey = settings.ci.projectKey;
  if (projectKey === undefined)
    throw new SettingsError('set ci.projectKey: the Jira project of premortem tickets and CI incidents');
  const jiraSecret = jiraSecretReader(jiraSecretArn);
  const trackers = builtPerSecret(jiraSecret, async (secret) => {
    const client = await jiraClientFor(secret);
    const common = { linkType: settings.followUps.linkType, siteUrl: jiraSiteOf(secret) };
    return {
      premortems: createJiraTicketTracker(client, { ...common, issueType: settings.ci.issueType }),
      incidents: createJiraTicketTracker(client, {
        ...common,
        issueType: settings.incidents.issueTypes[0] ?? 'Incident',
      }),
    };
  });
  const detectedStatus =
    settings.board.statuses.find((status) => status.stage === 'detection')?.name ?? 'Detected';
  return {
    premortems: deferred(async () => (await trackers()).premortems),
    incidents: createTicketIncidentOpener(
      deferred(async () => (await trackers()).incidents),
      { projectKey, detectedStatus, labels: settings.incidents.labels },
    ),
  };
}
