import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createDynamoReconcileLedger } from '#shared/adapters/dynamo-reconcile-ledger.ts';
import { createJiraIncidentSource } from '#shared/adapters/jira-incident-source.ts';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { ENV } from '#shared/deployment-names.ts';
import { customFieldsOf, readingOf } from '#shared/jira/jira-webhook.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { reconcileIncidents } from '#shared/use-cases/reconcile-incidents.ts';
import { builtPerSecret } from '#shared/wiring/built-per-secret.ts';
import { jiraClientFor, jiraSecretReader } from '#shared/wiring/jira-client.ts';
import { reconcilerEnvSchema } from './config.ts';
import { makeReconcilerHandler } from './reconciler.ts';

const env = parseEnv(reconcilerEnvSchema, process.env);
const settings = settingsFromJson(env[ENV.settings]);
const dynamo = new DynamoDBClient(awsClientConfig());
const store = createDynamoEventStore(dynamo, env[ENV.tableName]);
const ledger = createDynamoReconcileLedger(dynamo, env[ENV.tableName]);
const log = createPowertoolsLog('reconciler');
const reading = readingOf(settings);
const source = builtPerSecret(jiraSecretReader(env[ENV.jiraSecretArn]), async (secret) =>
  createJiraIncidentSource(await jiraClientFor(secret), { extraFields: customFieldsOf(reading) }),
);

export const handler = makeReconcilerHandler({
  nowMs: Date.now,
  log,
  async reconcile(deadlineMs) {
    // The stream hands what is stored to the processor, as it does for webhooks.
    return reconcileIncidents(
      {
        store,
        source: await source(),
        ledger,
        readMarks: ledger,
        reading,
        incidents: settings.incidents,
        log,
        nowMs: Date.now,
        concurrency: settings.reconciler.concurrency,
      },
      {
        overlapMinutes: settings.reconciler.overlapMinutes,
        firstRunLookbackHours: settings.reconciler.firstRunLookbackHours,
        deadlineMs,
      },
    );
  },
});
