import { describe, expect, it } from 'vitest';
import { renderStatusSite } from '#shared/domain/status-page-site.ts';
import { renderSubscriptionAnswer } from '#shared/domain/status-page-subscribe-html.ts';
import type { SubscriptionAnswer } from '#shared/domain/subscription-request.ts';
import { SAMPLE_BASE_URL, samplePage } from '../status-page-sample.ts';

const indexOf = (options: { subscribeAction?: string }) =>
  renderStatusSite(samplePage('sev1-in-progress'), SAMPLE_BASE_URL, options).find(
    (file) => file.path === 'index.html',
  )?.body ?? '';
const SITE = { title: 'Service status', root: '', action: 'subscribe' } as const;

describe('the status page’s email subscription', () => {
  it('has no form where there is no subscribe endpoint, as the static site and AWS without one', () => {
    const html = indexOf({});

    expect(html).not.toContain('<form');
  });

  it('posts the form to the endpoint it is given, with a label, autocomplete and the hint tied to the field', () => {
    const html = indexOf({ subscribeAction: 'https://api.example.com/status/subscribe' });

    expect(html).toContain('method="post" action="https://api.example.com/status/subscribe"');
    expect(html).toContain('<label for="subscribe-email">');
    expect(html).toMatch(/id="subscribe-email" name="email" type="email" autocomplete="email"/);
    expect(html).toContain('aria-describedby="subscribe-hint"');
  });

  it('keeps the page with the form under 50 KB', () => {
    const html = indexOf({ subscribeAction: 'subscribe' });

    expect(Buffer.byteLength(html)).toBeLessThan(50 * 1024);
  });

  it.each<[SubscriptionAnswer, string]>([
    [{ kind: 'pending-confirmation' }, 'Check your inbox'],
    [{ kind: 'already-subscribed' }, 'You are subscribed'],
    [{ kind: 'refused', message: 'email: enter your email address' }, 'Please check your address'],
    [{ kind: 'too-many' }, 'Too many requests'],
    [{ kind: 'unavailable' }, 'Something went wrong'],
  ])('answers %o with a page headed %j, linking back to the status page', (answer, heading) => {
    const html = renderSubscriptionAnswer(answer, SITE);

    expect(html).toContain(`<h1>${heading}</h1>`);
    expect(html).toContain('<a href="./">← Service status</a>');
    expect(html).toContain('<html lang="en">');
  });

  it('escapes the refusal’s words and offers the form again', () => {
    const html = renderSubscriptionAnswer({ kind: 'refused', message: 'email: <b>' }, SITE);

    expect(html).toContain('<p role="alert">email: &lt;b&gt;</p>');
    expect(html).toContain('<form class="subscribe" method="post" action="subscribe">');
  });
});
