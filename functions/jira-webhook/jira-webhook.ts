import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { jiraWebhookSchema } from '#shared/domain/jira-webhook.ts';
import { BadRequestError, UnauthorizedError } from '#shared/errors.ts';
import {
  formatPath,
  type HttpResult,
  header,
  httpErrors,
  json,
  parseJsonBody,
  rawBody,
} from '#shared/lambda/http.ts';
import { isValidSignature, type WebhookSecrets } from '#shared/lambda/webhook-signature.ts';
import type { EventStore, Log } from '#shared/ports.ts';
import type { Settings } from '#shared/settings.ts';
import { ingestJiraWebhook } from '#shared/use-cases/ingest-jira-webhook.ts';

export interface JiraWebhookDeps {
  readonly store: EventStore;
  readonly settings: Settings;
  /** The secrets to verify with; null turns verification off (local mode without WEBHOOK_SECRET). */
  readonly secrets: () => Promise<WebhookSecrets | null>;
  readonly log: Log;
}

/** POST /webhooks/jira: verify, parse, keep what concerns incidents, answer only once it is stored. */
export function makeJiraWebhookHandler(deps: JiraWebhookDeps) {
  const reading = {
    severityField: deps.settings.severity.source === 'field' ? deps.settings.severity.field : undefined,
  };

  return middy<APIGatewayProxyEventV2, HttpResult>(
    async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
      const body = rawBody(event);
      const secrets = await deps.secrets();
      if (secrets !== null && !isValidSignature(body, header(event, 'x-hub-signature'), secrets)) {
        throw new UnauthorizedError();
      }
      const parsed = jiraWebhookSchema.safeParse(parseJsonBody(body));
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => ({
          path: formatPath(issue.path),
          message: issue.message,
        }));
        throw new BadRequestError('the body is not a Jira webhook this service understands', problems);
      }
      const outcome = await ingestJiraWebhook(parsed.data, {
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
