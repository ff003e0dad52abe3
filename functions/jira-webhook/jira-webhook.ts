import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BadRequestError, UnauthorizedError } from '#shared/errors.ts';
import type { IngestSettings } from '#shared/ingest-settings.ts';
import { jiraIssueReadSchema, jiraWebhookSchema, readingOf } from '#shared/jira/jira-webhook.ts';
import { type HttpResult, header, httpErrors, json } from '#shared/lambda/http.ts';
import { readJson, readSignedJson } from '#shared/lambda/signed-json.ts';
import { isValidSharedSecret, type WebhookSecrets } from '#shared/lambda/webhook-signature.ts';
import type { EventJournal, Log } from '#shared/ports.ts';
import {
  type IngestOutcome,
  ingestJiraAutomation,
  ingestJiraWebhook,
} from '#shared/use-cases/ingest-jira-webhook.ts';

export interface JiraWebhookDeps {
  readonly store: EventJournal;
  readonly settings: IngestSettings;
  /** The secrets to verify with; null turns verification off (local mode without WEBHOOK_SECRET). */
  readonly secrets: () => Promise<WebhookSecrets | null>;
  readonly log: Log;
}

/** The path Jira Automation's "Send web request" posts to, beside the admin webhook's. */
export const AUTOMATION_PATH_SUFFIX = '/automation';

/** The answer to a stored, duplicate, ignored or invalid delivery: the same for both ways in. */
function answer(outcome: IngestOutcome, delivery: string | undefined, log: Log): HttpResult {
  switch (outcome.kind) {
    case 'invalid':
      throw new BadRequestError(`the webhook lacks ${outcome.path}: ${outcome.message}`, [
        { path: outcome.path, message: outcome.message },
      ]);
    case 'ignored':
      return json(200, { ignored: outcome.reason });
    case 'duplicate':
      log.info('duplicate delivery', { issueKey: outcome.key, delivery });
      return json(200, { duplicate: true, issue: outcome.key });
    case 'stored':
      log.info('stored', { issueKey: outcome.key, stored: outcome.storedCount, delivery });
      return json(202, {
        stored: outcome.storedCount,
        duplicates: outcome.duplicateCount,
        issue: outcome.key,
      });
    default:
      return outcome satisfies never;
  }
}

/**
 * POST /webhooks/jira (admin webhooks, signed) and POST /webhooks/jira/automation (Jira Automation's
 * "Issue data (Jira format)", with the shared secret in a header): verify, parse, keep what concerns
 * incidents, answer only once it is stored.
 */
export function makeJiraWebhookHandler(deps: JiraWebhookDeps) {
  const reading = readingOf(deps.settings);
  const ingestDeps = { store: deps.store, reading, incidents: deps.settings.incidents };
  const secretHeader = deps.settings.automation.secretHeader.toLowerCase();

  async function fromAutomation(event: APIGatewayProxyEventV2): Promise<HttpResult> {
    const secrets = await deps.secrets();
    if (secrets !== null && !isValidSharedSecret(header(event, secretHeader), secrets)) {
      throw new UnauthorizedError();
    }
    const issue = readJson(event, jiraIssueReadSchema, 'Jira Automation\'s "Issue data (Jira format)"');
    return answer(await ingestJiraAutomation(issue, ingestDeps), undefined, deps.log);
  }

  return middy<APIGatewayProxyEventV2, HttpResult>(
    async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
      if (event.rawPath?.endsWith(AUTOMATION_PATH_SUFFIX)) return fromAutomation(event);
      const payload = readSignedJson(
        event,
        await deps.secrets(),
        jiraWebhookSchema,
        'a Jira webhook this service understands',
      );
      const outcome = await ingestJiraWebhook(payload, ingestDeps);
      return answer(outcome, header(event, 'x-atlassian-webhook-identifier'), deps.log);
    },
  ).use(httpErrors(deps.log));
}
