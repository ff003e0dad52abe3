import { randomUUID } from 'node:crypto';
import type { AttributeValue, ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { ensureEventTable } from '#shared/adapters/dynamo-table.ts';
import { createLocalDynamoClient } from '#shared/adapters/local-dynamo.ts';
import type { Log } from '#shared/ports.ts';
import { resolveSettings } from '#shared/settings.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { localContext } from '../../bin/lambda-http.ts';
import { makeIncidentProcessorHandler } from '../../functions/incident-processor/incident-processor.ts';
import { makeJiraWebhookHandler } from '../../functions/jira-webhook/jira-webhook.ts';
import type { IncidentUsage, TemplateJson } from '../../infra/cost-model.ts';

const ISSUE_ID = '30000';

/** The key attributes of each global secondary index of the template's table. */
function indexKeysOf(template: TemplateJson): string[][] {
  const table = Object.values(template.Resources).find((r) => r.Type === 'AWS::DynamoDB::Table');
  const indexes = (table?.Properties?.GlobalSecondaryIndexes ?? []) as {
    KeySchema: { AttributeName: string }[];
  }[];
  return indexes.map((index) => index.KeySchema.map((key) => key.AttributeName));
}

const unitsOf = (capacity: ConsumedCapacity | ConsumedCapacity[] | undefined): number =>
  [capacity ?? []].flat().reduce((total, c) => total + (c.CapacityUnits ?? 0), 0);

/**
 * One demo incident through the real webhook and processor handlers and the real DynamoDB adapter
 * on dynalite, counting what the cost model prices. dynalite reports the table's capacity units; a
 * PutItem is charged again for each index its item lands in (projection ALL: the same size), which
 * dynalite does not report. The processor is invoked once per new event, the stream's worst case.
 */
export async function measureIncidentUsage(endpoint: string, template: TemplateJson): Promise<IncidentUsage> {
  const plainClient = createLocalDynamoClient(endpoint);
  const client = createLocalDynamoClient(endpoint);
  const tableName = `usage-${randomUUID()}`;
  await ensureEventTable(plainClient, tableName);
  const indexKeys = indexKeysOf(template);
  let writeUnits = 0;
  let readUnits = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string; Item?: Record<string, AttributeValue> };
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const units = unitsOf((result.output as { ConsumedCapacity?: ConsumedCapacity }).ConsumedCapacity);
      if (/Query|Get|Scan/.test(context.commandName ?? '')) {
        readUnits += units;
      } else {
        const item = input.Item ?? {};
        const indexed = indexKeys.filter((keys) => keys.every((key) => key in item)).length;
        writeUnits += units * (1 + indexed);
      }
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );

  const store = createDynamoEventStore(client, tableName);
  const resolved = resolveSettings([]);
  if (!resolved.ok) throw new Error(resolved.message);
  const settings = resolved.settings;
  let appLogBytes = 0;
  let appLogLines = 0;
  const write = (message: string, details?: Record<string, unknown>) => {
    appLogBytes += JSON.stringify({ message, ...details }).length;
    appLogLines += 1;
  };
  const log: Log = { info: write, warn: write, error: write };
  const webhook = makeJiraWebhookHandler({ store, settings, secrets: async () => null, log });
  const nowMs = () => Date.UTC(2026, 0, 12);
  const processor = makeIncidentProcessorHandler({ store, settings, log, nowMs });

  const deliveries = demoLifecycle({ issueId: ISSUE_ID, key: 'INC-1', openedAtMs: Date.UTC(2026, 0, 5, 9) });
  let processorInvocations = 0;
  for (const delivery of deliveries) {
    const result = await webhook(
      {
        version: '2.0',
        routeKey: 'POST /webhooks/jira',
        rawPath: '/webhooks/jira',
        rawQueryString: '',
        headers: Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k.toLowerCase(), v])),
        isBase64Encoded: false,
        body: delivery.body,
        requestContext: {} as never,
      },
      localContext('jira-webhook'),
    );
    const stored = Number((JSON.parse(result.body ?? '{}') as { stored?: number }).stored ?? 0);
    for (let i = 0; i < stored; i++) {
      processorInvocations += 1;
      const response = await processor(
        {
          Records: [
            {
              eventID: `usage-${processorInvocations}`,
              eventName: 'INSERT',
              dynamodb: { Keys: { pk: { S: `INCIDENT#${ISSUE_ID}` }, sk: { S: `EVENT#${i}` } } },
            },
          ],
        },
        localContext('incident-processor'),
      );
      if (response.batchItemFailures.length > 0) throw new Error('the processor failed on a demo event');
    }
  }

  const { Items = [] } = await plainClient.send(new ScanCommand({ TableName: tableName }));
  const storedBytes = Items.reduce((total, item) => {
    const indexed = indexKeys.filter((keys) => keys.every((key) => key in item)).length;
    return total + JSON.stringify(item).length * (1 + indexed);
  }, 0);

  return {
    deliveries: deliveries.length,
    invocations: { 'jira-webhook': deliveries.length, 'incident-processor': processorInvocations },
    writeUnits,
    readUnits,
    storedBytes,
    appLogBytes,
    appLogLines,
  };
}
