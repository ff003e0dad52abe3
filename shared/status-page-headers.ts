/**
 * The Content-Security-Policy of the status page: its own files only, no inline script or style, no
 * framing, and forms posted only to `formAction`: the subscribe endpoint ('self' locally, its origin on
 * AWS), or 'none' where there is none; served by CloudFront on AWS and by the local server alike.
 * `assetOrigin` is the site's origin for a page served elsewhere (the subscribe answers on AWS).
 */
export function statusPageCsp(formAction: string, assetOrigin?: string): string {
  const own = assetOrigin === undefined ? "'self'" : `'self' ${assetOrigin}`;
  return [
    "default-src 'none'",
    `script-src ${own}`,
    `style-src ${own}`,
    `img-src ${own}`,
    "connect-src 'self'",
    "base-uri 'none'",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The CSP of a status page with no subscribe endpoint: no form may be posted anywhere. */
export const STATUS_PAGE_CSP = statusPageCsp("'none'");

/** How long browsers and CloudFront may keep a status page file: short, so a change shows within a minute. */
export const STATUS_PAGE_MAX_AGE_SECONDS = 30;

/**
 * The headers every status page file is served with (HSTS only over HTTPS, so not here); `formAction`
 * and `assetOrigin` as in `statusPageCsp`.
 */
export function statusPageHeaders(
  formAction = "'none'",
  assetOrigin?: string,
): Readonly<Record<string, string>> {
  return {
    'content-security-policy': statusPageCsp(formAction, assetOrigin),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': `public, max-age=${STATUS_PAGE_MAX_AGE_SECONDS}`,
  };
}

/** The headers of a status page with no subscribe endpoint. */
export const STATUS_PAGE_HEADERS = statusPageHeaders();

/**
 * How long a browser and CloudFront may keep the page's stylesheet and script: they change only with a
 * release, and an hour-old stylesheet still renders a current page.
 */
export const STATUS_PAGE_ASSET_MAX_AGE_SECONDS = 3600;

/**
 * The Cache-Control a status site file is stored with: short for what follows the incidents (pages,
 * feed, JSON, badge, embed script), longer for the stylesheet and script under `assets/`.
 */
export function statusPageCacheControl(path: string): string {
  const maxAgeSeconds = path.startsWith('assets/')
    ? STATUS_PAGE_ASSET_MAX_AGE_SECONDS
    : STATUS_PAGE_MAX_AGE_SECONDS;
  return `public, max-age=${maxAgeSeconds}`;
}
