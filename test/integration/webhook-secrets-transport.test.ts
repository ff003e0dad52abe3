import { createServer, type IncomingMessage, type Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretsManagerWebhookSecrets } from '#shared/adapters/secrets-manager-webhook-secrets.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { sameTransportAs } from '#shared/wiring/shared-aws-transport.ts';

/** Answers Secrets Manager's GetSecretValue as the service does, and keeps what each request carried. */
let server: Server;
let endpoint: string;
const seen: { target: string | undefined; authorization: string | undefined; secretId: string }[] = [];

const bodyOf = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = JSON.parse(await bodyOf(request)) as { SecretId: string };
    seen.push({
      target: request.headers['x-amz-target'] as string | undefined,
      authorization: request.headers.authorization,
      secretId: body.SecretId,
    });
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(
      JSON.stringify({
        ARN: body.SecretId,
        Name: 'webhook',
        SecretString: JSON.stringify({ current: 'a-current-secret-of-length' }),
        VersionId: 'v1',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the webhook secret read with the table client's transport", () => {
  it("signs with the table client's credentials and region, and reads the secret through its handler", async () => {
    const table = new DynamoDBClient({
      ...awsClientConfig(),
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDSHARED', secretAccessKey: 'shared-secret-key' },
    });
    const secrets = createSecretsManagerWebhookSecrets('arn:aws:secretsmanager:eu-west-1:1:secret:w', {
      ...sameTransportAs(table),
      endpoint,
    });

    const value = await secrets();

    expect(value).toEqual({ current: 'a-current-secret-of-length' });
    expect(seen).toEqual([
      {
        target: 'secretsmanager.GetSecretValue',
        authorization: expect.stringMatching(/Credential=AKIDSHARED\/\d{8}\/eu-west-1\/secretsmanager\//),
        secretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:w',
      },
    ]);
    expect(sameTransportAs(table).requestHandler).toBe(table.config.requestHandler);
  });
});
