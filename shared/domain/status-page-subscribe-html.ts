import { escapeHtml } from './html-bar-charts.ts';
import { layout, type RootPath } from './status-page-layout.ts';
import type { SubscriptionAnswer } from './subscription-request.ts';

/** The form field's id, which its label names. */
const EMAIL_INPUT_ID = 'subscribe-email';

/**
 * The "Get updates by email" form: a plain POST to `action` (the subscribe endpoint), so it works
 * without JavaScript; the page's CSP `form-action` must allow exactly that endpoint.
 */
export function subscribeForm(action: string): string {
  return [
    `<form class="subscribe" method="post" action="${escapeHtml(action)}">`,
    `<label for="${EMAIL_INPUT_ID}">Get updates by email</label>`,
    `<input id="${EMAIL_INPUT_ID}" name="email" type="email" autocomplete="email" required maxlength="254" spellcheck="false" aria-describedby="subscribe-hint">`,
    '<button type="submit">Subscribe</button>',
    '<p id="subscribe-hint" class="hint">We email you a link to confirm. Every update has a link to unsubscribe.</p>',
    '</form>',
  ].join('');
}

function wordsOf(answer: SubscriptionAnswer): { readonly heading: string; readonly text: string } {
  switch (answer.kind) {
    case 'pending-confirmation':
      return {
        heading: 'Check your inbox',
        text: 'We sent you an email with a link. Follow it to confirm, and the updates start; if nothing came, look in your spam folder.',
      };
    case 'already-subscribed':
      return {
        heading: 'You are subscribed',
        text: 'This address gets the updates already. Every update has a link to unsubscribe.',
      };
    case 'refused':
      return { heading: 'Please check your address', text: answer.message };
    case 'too-many':
      return {
        heading: 'Too many requests',
        text: 'Several subscriptions came from here in a short time. Please try again in a minute.',
      };
    case 'unavailable':
      return {
        heading: 'Something went wrong',
        text: 'We could not take your subscription just now. Please try again in a few minutes.',
      };
    default:
      return answer satisfies never;
  }
}

/**
 * The page the subscribe endpoint answers with: the confirmation ("check your inbox") or what went
 * wrong, and the way back. `root` is the site's address relative to the endpoint, ending in a slash.
 */
export function renderSubscriptionAnswer(
  answer: SubscriptionAnswer,
  site: { readonly title: string; readonly root: RootPath; readonly action: string },
): string {
  const { heading, text } = wordsOf(answer);
  const failed = answer.kind !== 'pending-confirmation' && answer.kind !== 'already-subscribed';
  const body = [
    `<h1>${escapeHtml(heading)}</h1>`,
    `<p${failed ? ' role="alert"' : ''}>${escapeHtml(text)}</p>`,
    answer.kind === 'refused' ? subscribeForm(site.action) : '',
    `<p class="back"><a href="${escapeHtml(site.root === '' ? './' : site.root)}">← ${escapeHtml(site.title)}</a></p>`,
  ].join('\n');
  return layout({ title: `${heading} · ${site.title}`, siteTitle: site.title, root: site.root, body });
}
