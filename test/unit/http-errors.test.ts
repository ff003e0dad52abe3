import type { Request } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { NotFoundError, UpstreamRefusedError } from '#shared/errors.ts';
import { type HttpResult, httpErrors } from '#shared/lambda/http.ts';
import type { Log } from '#shared/ports.ts';

function recordingLog() {
  const errors: string[] = [];
  const log: Log = { info: () => {}, warn: () => {}, error: (message) => errors.push(message) };
  return { log, errors };
}

async function responseTo(error: Error, log: Log): Promise<HttpResult | null | undefined> {
  const request = {
    event: {} as APIGatewayProxyEventV2,
    context: {} as Context,
    response: undefined,
    error,
    internal: {},
  } as Request<APIGatewayProxyEventV2, HttpResult>;
  await httpErrors(log).onError?.(request);
  return request.response;
}

describe('the HTTP error mapping', () => {
  it('answers a refusal from a service we call with a logged, generic 500, never its message', async () => {
    const { log, errors } = recordingLog();
    const refused = new UpstreamRefusedError(
      'Jira refused the comment: check the Jira secret of project OPS',
    );

    const response = await responseTo(refused, log);

    expect(response?.statusCode).toBe(500);
    expect(response?.body).not.toContain('Jira secret');
    expect(errors).toEqual(['request failed']);
  });

  it("answers an error of the caller's with its status and message, unlogged", async () => {
    const { log, errors } = recordingLog();

    const response = await responseTo(new NotFoundError('no incident OPS-1'), log);

    expect(response?.statusCode).toBe(404);
    expect(response?.body).toContain('no incident OPS-1');
    expect(errors).toEqual([]);
  });
});
