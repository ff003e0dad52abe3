import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { HttpResult } from '#shared/lambda/http.ts';
import { MAX_BODY_BYTES } from '#shared/lambda/http.ts';

/**
 * How much of a refused body is still read and dropped, and for how long: a client that is still
 * sending when the server closes gets a reset instead of the answer, so the rest is drained first.
 */
const MAX_DISCARD_BYTES = 16 * MAX_BODY_BYTES;
const MAX_DISCARD_MS = 2_000;

/**
 * Reads a request body, stopping at the limit: null means it was larger. The rest of a larger body
 * is read and dropped (up to a bound), so the answer, sent with `Connection: close`, reaches the client.
 */
export function readBody(request: IncomingMessage, limitBytes = MAX_BODY_BYTES): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let giveUp: NodeJS.Timeout | undefined;
    const settle = (body: Buffer | null) => {
      clearTimeout(giveUp);
      request.off('data', onData);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      giveUp ??= setTimeout(() => settle(null), MAX_DISCARD_MS);
      if (size > limitBytes + MAX_DISCARD_BYTES) settle(null);
    };
    request.on('data', onData);
    request.once('end', () => settle(size > limitBytes ? null : Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** A refusal sent before or instead of reading the whole body: the connection is not reused after it. */
export function closing(result: HttpResult): HttpResult {
  return { ...result, headers: { ...result.headers, connection: 'close' } };
}

/** The request as API Gateway's HTTP API (payload 2.0) hands it to a Lambda; the body keeps its exact bytes. */
export function toApiGatewayEvent(request: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const method = request.method ?? 'GET';
  const nowMs = Date.now();
  return {
    version: '2.0',
    routeKey: `${method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    isBase64Encoded: true,
    body: body.toString('base64'),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      requestId: `local-${nowMs}`,
      routeKey: `${method} ${url.pathname}`,
      stage: '$default',
      time: new Date(nowMs).toISOString(),
      timeEpoch: nowMs,
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
    },
  };
}

/** Writes a Lambda HTTP result as the HTTP API would. */
export function sendResult(response: ServerResponse, result: HttpResult): void {
  response.writeHead(result.statusCode ?? 200, {
    'content-type': 'application/json',
    ...(result.headers as Record<string, string>),
  });
  response.end(result.body ?? '');
}

/** The Lambda context a local invocation gets: enough for middy and Powertools. */
export function localContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `local-${Date.now()}`,
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
