import { createJiraIncidentOpener } from '../adapters/jira-incident-opener.ts';
import type { IncidentOpener } from '../ports.ts';
import type { Settings } from '../settings.ts';
import { builtPerSecret } from './built-per-secret.ts';
import { jiraClientFor, jiraSecretReader } from './jira-client.ts';

/**
 * The Jira incident opener of the account in the Jira secret, built on first use and again when the
 * secret changes: a function that only receives alerts no route opens never reads the secret.
 */
export function jiraIncidentOpenerFor(jiraSecretArn: string, settings: Settings): IncidentOpener {
  const opener = builtPerSecret(jiraSecretReader(jiraSecretArn), async (secret) =>
    createJiraIncidentOpener(await jiraClientFor(secret), {
      issueType: settings.incidents.issueTypes[0] ?? 'Incident',
      startField: settings.incidents.startField,
    }),
  );
  return {
    findByLabel: async (label) => (await opener()).findByLabel(label),
    open: async (draft) => (await opener()).open(draft),
    comment: async (key, text) => (await opener()).comment(key, text),
    transition: async (key, status) => (await opener()).transition(key, status),
  };
}
