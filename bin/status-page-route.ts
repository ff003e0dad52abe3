import type { HttpResult } from '#shared/lambda/http.ts';
import { statusPageHeaders } from '#shared/status-page-headers.ts';
import { buildStatusSite, type StatusSiteDeps } from '#shared/use-cases/build-status-site.ts';

/** Where the local server serves the status page. */
export const STATUS_PATH = '/status';

/**
 * GET /status and below: the status page built afresh from the stored incidents on each request (the
 * same files `incident-flow status-page --out` writes); null for a path outside /status.
 */
export async function statusPageResult(
  path: string,
  host: string | undefined,
  deps: StatusSiteDeps & {
    readonly baseUrl: string | undefined;
    /** Waits for the processor to fold what was stored before the request, as every local read does. */
    readonly beforeRead: () => Promise<unknown>;
    /** Where the page's email form posts (relative); absent, the page has no form and allows none. */
    readonly subscribeAction?: string | undefined;
  },
): Promise<HttpResult | null> {
  if (path !== STATUS_PATH && !path.startsWith(`${STATUS_PATH}/`)) return null;
  // The pages link relatively: /status must become /status/ for them to resolve under it.
  if (path === STATUS_PATH) return { statusCode: 301, headers: { location: `${STATUS_PATH}/` }, body: '' };
  await deps.beforeRead();
  const wanted = path.slice(STATUS_PATH.length + 1) || 'index.html';
  const baseUrl = deps.baseUrl ?? `http://${host ?? '127.0.0.1'}${STATUS_PATH}`;
  const { subscribeAction } = deps;
  const files = await buildStatusSite(
    deps,
    baseUrl,
    subscribeAction === undefined ? {} : { subscribeAction },
  );
  const file = files.find((each) => each.path === wanted);
  const headers = statusPageHeaders(subscribeAction === undefined ? "'none'" : "'self'");
  if (!file)
    return {
      statusCode: 404,
      headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
      body: `no ${path} on the status page\n`,
    };
  return {
    statusCode: 200,
    headers: { ...headers, 'content-type': file.contentType },
    body: file.body,
  };
}
