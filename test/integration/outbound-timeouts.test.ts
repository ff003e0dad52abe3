import { createServer, type Server, type Socket } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { Client as NotionClient } from '@notionhq/client';
import { createCloudClient } from 'jira.js';
import { createClient } from 'jira.js/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createJiraIssueTracker } from '#shared/adapters/jira-issue-tracker.ts';
import { withRequestTimeout } from '#shared/adapters/jira-request-timeout.ts';
import { createJiraRetry } from '#shared/adapters/jira-retry.ts';
import { translateNotionError } from '#shared/adapters/notion-call.ts';
import { createSecretsManagerWebhookSecrets } from '#shared/adapters/secrets-manager-webhook-secrets.ts';
import { createSnsNotifier } from '#shared/adapters/sns-notifier.ts';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import { AWS_MAX_ATTEMPTS, awsClientConfig, OUTBOUND_TIMEOUTS } from '#shared/outbound-timeouts.ts';
import { FUNCTION_SIZING } from '../../infra/function-sizing.ts';

/** Short timeouts, so a test waits a fraction of a second where a function would wait seconds. */
const SHORT = { awsConnectionMs: 200, awsRequestMs: 200 };
const SHORT_MS = 200;
/** Well under the shortest function timeout (10 s), with room for a loaded CI machine. */
const IN_TIME_MS = 5_000;

/** A service that accepts every connection and never answers a byte: the worst an outage looks like. */
let silent: Server;
let endpoint: string;
const accepted: Socket[] = [];

beforeAll(async () => {
  silent = createServer((socket) => {
    accepted.push(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  for (const socket of accepted) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

const aws = {
  ...awsClientConfig(SHORT),
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
};

/** How long a call took to fail, and with what. */
async function failureOf(call: () => Promise<unknown>): Promise<{ error: unknown; tookMs: number }> {
  const startedMs = performance.now();
  try {
    await call();
  } catch (error) {
    return { error, tookMs: performance.now() - startedMs };
  }
  throw new Error('the call answered, from a service that never answers');
}

describe('an outbound call to a service that never answers', () => {
  it('fails a DynamoDB read in time, after the SDK has retried it as transient', async () => {
    const before = accepted.length;
    const store = createDynamoEventStore(new DynamoDBClient({ ...aws, endpoint }), 'incident-flow-events');

    const { error, tookMs } = await failureOf(() => store.getStateByKey('INC-1'));

    expect((error as Error).name).toBe('TimeoutError');
    expect(tookMs).toBeLessThan(IN_TIME_MS);
    expect(accepted.length - before).toBe(AWS_MAX_ATTEMPTS);
  });

  it('fails an SNS publish in time as UpstreamUnavailableError, which the processor retries', async () => {
    const notifier = createSnsNotifier(new SNSClient({ ...aws, endpoint }), {
      topicArns: { 'manage-closely': 'arn:aws:sns:eu-west-1:123456789012:manage-closely' },
      nowMs: () => 0,
    });

    const { error, tookMs } = await failureOf(() =>
      notifier.notifyGroup({
        notificationId: 'INC-1#declared#manage-closely',
        issueKey: 'INC-1',
        group: 'manage-closely',
        severity: 'SEV1',
        channels: ['email'],
        subject: 'INC-1 declared',
        email: 'INC-1 was declared.',
        sms: 'INC-1 declared',
      }),
    );

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(tookMs).toBeLessThan(IN_TIME_MS);
  });

  it('fails reading the webhook secret from Secrets Manager in time', async () => {
    const secrets = createSecretsManagerWebhookSecrets('arn:aws:secretsmanager:eu-west-1:1:secret:w', {
      ...aws,
      endpoint,
    });

    const { tookMs } = await failureOf(() => secrets());

    expect(tookMs).toBeLessThan(IN_TIME_MS);
  });

  it('fails a Jira comment in time as UpstreamUnavailableError', async () => {
    const transport = createClient({
      host: endpoint,
      auth: { type: 'basic', email: 'a@example.com', apiToken: 't' },
    });
    const tracker = createJiraIssueTracker(createCloudClient(withRequestTimeout(transport, SHORT_MS)));

    const { error, tookMs } = await failureOf(() =>
      tracker.commentOnce('INC-1', { marker: 'postmortem', text: 'The postmortem is written.' }),
    );

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(tookMs).toBeLessThan(IN_TIME_MS);
  });

  it("retries a Jira request that timed out, as the adapters' retry loop retries a network failure", async () => {
    const before = accepted.length;
    const transport = createClient({
      host: endpoint,
      auth: { type: 'basic', email: 'a@example.com', apiToken: 't' },
    });
    const jira = createCloudClient(withRequestTimeout(transport, SHORT_MS));
    const retry = createJiraRetry(
      { maxAttempts: 2, initialBackoffMs: 1 },
      (_, what) => `Jira refused ${what}`,
    );

    const { error, tookMs } = await failureOf(() =>
      retry('reading INC-1', () => jira.issues.getIssue({ issueIdOrKey: 'INC-1' })),
    );

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(tookMs).toBeLessThan(IN_TIME_MS);
    expect(accepted.length - before).toBe(2);
  });

  it('fails a Notion request in time as UpstreamUnavailableError', async () => {
    const notion = new NotionClient({ auth: 'secret_x', baseUrl: endpoint, timeoutMs: SHORT_MS });

    const { error, tookMs } = await failureOf(async () => {
      try {
        await notion.pages.retrieve({ page_id: '59833787-2cf9-4fdf-8782-e53db20768a5' });
      } catch (notionError) {
        throw translateNotionError(notionError, 'reading the postmortem', 'the page');
      }
    });

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(tookMs).toBeLessThan(IN_TIME_MS);
  });
});

/** The functions that call Jira or Notion; the webhooks, the processor and the recheck call neither. */
const CALLING_JIRA_OR_NOTION = [
  'postmortem-writer',
  'reconciler',
  'postmortem-sync',
  'follow-up-reminder',
] as const;

describe('the outbound timeouts', () => {
  it.each(Object.keys(FUNCTION_SIZING) as (keyof typeof FUNCTION_SIZING)[])(
    'let every AWS call of %s, its retries included, end before the function times out',
    (job) => {
      const awsWorstMs =
        AWS_MAX_ATTEMPTS * (OUTBOUND_TIMEOUTS.awsConnectionMs + OUTBOUND_TIMEOUTS.awsRequestMs);

      expect(awsWorstMs).toBeLessThan(FUNCTION_SIZING[job].timeoutSeconds * 1000);
    },
  );

  it.each(CALLING_JIRA_OR_NOTION)('let each Jira or Notion request of %s end before it times out', (job) => {
    const timeoutMs = FUNCTION_SIZING[job].timeoutSeconds * 1000;

    expect(OUTBOUND_TIMEOUTS.jiraRequestMs).toBeLessThan(timeoutMs);
    expect(OUTBOUND_TIMEOUTS.notionRequestMs).toBeLessThan(timeoutMs);
  });
});
