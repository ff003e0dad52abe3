import { createCloudClient } from 'jira.js';
import { createJiraIncidentSource } from '#shared/adapters/jira-incident-source.ts';
import { incidentSourceContract } from '../contract/incident-source-contract.ts';
import { closeSimulatorsAfterEach, jiraHolding } from './jira-history-world.ts';

closeSimulatorsAfterEach();

incidentSourceContract('the Jira adapter against the Jira simulator', async (histories) => {
  const jira = await jiraHolding(histories);
  const client = createCloudClient({
    host: jira.baseUrl,
    auth: { type: 'basic', email: 'bot@example.com', apiToken: 'test-token' },
    onSchemaMismatch: 'throw',
  });
  return createJiraIncidentSource(client, { initialBackoffMs: 10 });
});
