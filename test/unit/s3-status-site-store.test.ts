import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createS3StatusSiteStore } from '#shared/adapters/s3-status-site-store.ts';
import { UpstreamRefusedError, UpstreamUnavailableError } from '#shared/errors.ts';
import { statusSiteStoreContract } from '../contract/status-site-store-contract.ts';

/** One HTTP request as the SDK's own stack built and signed it, at the point it would go on the wire. */
interface SentRequest {
  readonly method: string;
  readonly hostname: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A real S3Client whose request handler (the last step of its middleware stack) records each request
 * and answers like a bucket: PUT stores the body, DELETE removes it, both 200/204; or a fixed status.
 */
function interceptedS3(answer: { status?: number; errorCode?: string } = {}) {
  const sent: SentRequest[] = [];
  const objects = new Map<string, string>();
  const client = new S3Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: SentRequest & { body: unknown }) {
        const body = typeof request.body === 'string' ? request.body : String(request.body ?? '');
        sent.push({ ...request, body });
        const key = decodeURIComponent(request.path.replace(/^\//, ''));
        const status = answer.status ?? (request.method === 'DELETE' ? 204 : 200);
        if (status < 300 && request.method === 'PUT') objects.set(key, body);
        if (status < 300 && request.method === 'DELETE') objects.delete(key);
        const errorBody =
          status >= 300 ? `<Error><Code>${answer.errorCode}</Code><Message>no</Message></Error>` : '';
        return {
          response: {
            statusCode: status,
            headers: { 'content-type': 'application/xml', etag: '"0"' },
            body: Readable.from(errorBody ? [Buffer.from(errorBody)] : []),
          },
        };
      },
    },
  });
  return { client, sent, objects };
}

statusSiteStoreContract('the S3 store (over an intercepted S3Client)', async () => {
  const { client, objects } = interceptedS3();
  return {
    store: createS3StatusSiteStore(client, 'status-bucket'),
    read: async (path) => objects.get(path) ?? null,
  };
});

describe('the S3 status site store', () => {
  it('puts each file into the bucket with its media type and a short cache for pages, longer for assets', async () => {
    const { client, sent } = interceptedS3();
    const store = createS3StatusSiteStore(client, 'status-bucket');

    await store.publish(
      [
        { path: 'index.html', contentType: 'text/html; charset=utf-8', body: '<h1>ok</h1>' },
        { path: 'api/v2/summary.json', contentType: 'application/json; charset=utf-8', body: '{}' },
        { path: 'assets/status.css', contentType: 'text/css; charset=utf-8', body: 'body{}' },
      ],
      [],
    );

    const byPath = new Map(sent.map((request) => [request.path, request]));
    expect(sent.every((request) => request.method === 'PUT')).toBe(true);
    expect(sent.every((request) => request.hostname === 'status-bucket.s3.eu-west-1.amazonaws.com')).toBe(
      true,
    );
    expect(byPath.get('/index.html')?.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'public, max-age=30',
    });
    expect(byPath.get('/api/v2/summary.json')?.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=30',
    });
    expect(byPath.get('/assets/status.css')?.headers).toMatchObject({
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    });
    expect(byPath.get('/index.html')?.body).toBe('<h1>ok</h1>');
    expect(byPath.get('/index.html')?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
  });

  it('removes a withdrawn page with a DELETE of its key, once while warm', async () => {
    const { client, sent } = interceptedS3();
    const store = createS3StatusSiteStore(client, 'status-bucket');

    await store.publish([], ['incidents/ops-7.html']);
    await store.publish([], ['incidents/ops-7.html']);

    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'DELETE /incidents/ops-7.html',
    ]);
  });

  it('tells a refused write (403) from one to try again (503)', async () => {
    const file = { path: 'index.html', contentType: 'text/html', body: 'x' };
    const refused = createS3StatusSiteStore(
      interceptedS3({ status: 403, errorCode: 'AccessDenied' }).client,
      'status-bucket',
    );
    const busy = createS3StatusSiteStore(
      interceptedS3({ status: 503, errorCode: 'SlowDown' }).client,
      'status-bucket',
    );

    await expect(refused.publish([file], [])).rejects.toBeInstanceOf(UpstreamRefusedError);
    await expect(busy.publish([file], [])).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });

  it('writes a file again after a failed write, since no hash was kept for it', async () => {
    const file = { path: 'index.html', contentType: 'text/html', body: 'x' };
    const failing = interceptedS3({ status: 503, errorCode: 'SlowDown' });
    const store = createS3StatusSiteStore(failing.client, 'status-bucket');
    await store.publish([file], []).catch(() => undefined);

    await store.publish([file], []).catch(() => undefined);

    expect(failing.sent.filter((request) => request.method === 'PUT')).toHaveLength(2);
  });
});
