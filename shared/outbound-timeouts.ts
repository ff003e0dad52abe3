/**
 * How long each outbound call may take, in one place. Each is far below the shortest timeout of a
 * function that makes the call (infra/function-sizing.ts: 10 s for the webhooks, 30 s for the
 * processor), with the client's own retries counted, so a service that accepts a connection and never
 * answers fails the call in time, to be retried, instead of timing the Lambda out.
 */
export const OUTBOUND_TIMEOUTS = {
  /** AWS SDK (DynamoDB, SNS, SQS, Secrets Manager, SSM): to open a connection. */
  awsConnectionMs: 1_000,
  /** AWS SDK: a socket silent this long fails the attempt; the SDK makes 3, so at most ~9 s in all. */
  awsRequestMs: 2_000,
  /** One Jira request (jira.js); the adapters' retry loop decides whether to try again. */
  jiraRequestMs: 10_000,
  /** One Notion request (@notionhq/client's timeoutMs); the caller retries what is unavailable. */
  notionRequestMs: 10_000,
} as const;

/** The attempts the AWS SDK makes per call (its standard retry mode's default, stated so it is counted). */
export const AWS_MAX_ATTEMPTS = 3;

/** What every AWS SDK v3 client is built with: its Node HTTP handler's timeouts and its attempts. */
export function awsClientConfig(
  timeouts: { readonly awsConnectionMs: number; readonly awsRequestMs: number } = OUTBOUND_TIMEOUTS,
) {
  return {
    maxAttempts: AWS_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: timeouts.awsConnectionMs,
      requestTimeout: timeouts.awsRequestMs,
      // @smithy/node-http-handler 4 only warns when requestTimeout passes unless told to fail the request.
      throwOnRequestTimeout: true,
    },
  };
}
