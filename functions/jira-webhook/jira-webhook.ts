import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { jiraWebhookSchema } from '#shared/domain/jira-webhook.ts';
import { BadRequestError } from '#shared/errors.ts';
import { type HttpResult, header, httpErrors, json } from '#shared/lambda/http.ts';
import { readSignedJson } from '#shared/lambda/signed-json.ts';
import type { WebhookSecrets } from '#shared/lambda/webhook-signature.ts';
import type { EventStore, Log } from '#shared/ports.ts';
import type { IngestSettings } from '#shared/settings.ts';
import { ingestJiraWebhook } from '#shared/use-cases/ingest-jira-webhook.ts';

export interface JiraWebhookDeps {
  readonly store: EventStore;
  readonly settings: IngestSettings;
  /** The secrets to verify with; null turns verification off (local mode without WEBHOOK_SECRET). */
  readonly secrets: () => Promise<WebhookSecrets | null>;
  readonly log: Log;
}

/** POST /webhooks/jira: verify, parse, keep what concerns incidents, answer only once it is stored. */
export function makeJiraWebhookHandler(deps: JiraWebhookDeps) {
  const reading = {
    severityField: deps.settings.severity.source === 'field' ? deps.settings.severity.field : undefined,
    startField: deps.settings.incidents.startField,
  };

  return middy<APIGatewayProxyEventV2, HttpResult>(
    async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
      const payload = readSignedJson(
        event,
        await deps.secrets(),
        jiraWebhookSchema,
        'a Jira webhook this service understands',
      );
      const outcome = await ingestJiraWebhook(payload, {
        store: deps.store,
        reading,
        incidents: deps.settings.incidents,
      });
      const delivery = header(event, 'x-atlassian-webhook-identifier');
      switch (outcome.kind) {
        case 'invalid':
          throw new BadRequestError(`the webhook lacks ${outcome.path}: ${outcome.message}`, [
            { path: outcome.path, message: outcome.message },
          ]);
        case 'ignored':
          return json(200, { ignored: outcome.reason });
        case 'duplicate':
          deps.log.info('duplicate delivery', { issueKey: outcome.key, delivery });
          return json(200, { duplicate: true, issue: outcome.key });
        case 'stored':
          deps.log.info('stored', { issueKey: outcome.key, stored: outcome.storedCount, delivery });
          return json(202, {
            stored: outcome.storedCount,
            duplicates: outcome.duplicateCount,
            issue: outcome.key,
          });
        default:
          return outcome satisfies never;
      }
    },
  ).use(httpErrors(deps.log));
}
