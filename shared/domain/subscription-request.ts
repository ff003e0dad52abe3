import type { FieldProblem } from '../errors.ts';

/** The form field that carries the address, named in every refusal. */
export const EMAIL_FIELD = 'email';

/** A form with one address is a few hundred bytes; more is not a subscription. */
export const MAX_SUBSCRIPTION_FORM_BYTES = 2048;

/** The one body the subscribe endpoint reads: a plain HTML form's. */
export const SUBSCRIPTION_FORM_TYPE = 'application/x-www-form-urlencoded';

/** The longest address SMTP carries (RFC 5321: a 254-character path), and its local part's limit. */
const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
// RFC 5322 dot-atom in ASCII: SNS takes no quoted local part and no internationalised address.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL = /^[A-Za-z]{2,63}$/;

/** What a request to get updates by email amounts to: an address to subscribe, or what is wrong with it. */
export type SubscriptionRequest =
  | { readonly kind: 'valid'; readonly email: string }
  | { readonly kind: 'invalid'; readonly problem: FieldProblem };

const refusal = (message: string): SubscriptionRequest => ({
  kind: 'invalid',
  problem: { path: EMAIL_FIELD, message: `${EMAIL_FIELD}: ${message}` },
});

/**
 * The address as an SNS email endpoint takes it: one `local@domain` in ASCII, a dot-atom local part of
 * at most 64 characters, a domain of at least two labels with an alphabetic top level, 254 at most.
 */
export function isSnsEmailEndpoint(address: string): boolean {
  if (address.length > MAX_ADDRESS_LENGTH) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  const topLevel = labels.at(-1) ?? '';
  return (
    local.length <= MAX_LOCAL_LENGTH &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    TOP_LEVEL.test(topLevel)
  );
}

/**
 * Reads a subscription form (`email=…`): surrounding spaces are dropped, as a browser's email input
 * does; anything but one address SNS accepts is refused with a message naming the field.
 */
export function parseSubscriptionRequest(form: URLSearchParams): SubscriptionRequest {
  const values = form.getAll(EMAIL_FIELD);
  if (values.length === 0 || values.every((value) => value.trim() === ''))
    return refusal('enter your email address');
  if (values.length > 1) return refusal('give one address');
  const email = (values[0] ?? '').trim();
  if (email.length > MAX_ADDRESS_LENGTH)
    return refusal(`an address has at most ${MAX_ADDRESS_LENGTH} characters`);
  if (!isSnsEmailEndpoint(email)) return refusal('enter an address such as name@example.com');
  return { kind: 'valid', email };
}

/**
 * An address as a log line may show it: its first character and its domain's top level only
 * ("a***@***.com"), enough to tell requests apart, never enough to write to.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const topLevel = email.slice(email.lastIndexOf('.') + 1);
  return at <= 0 ? '***' : `${email[0]}***@***.${topLevel}`;
}

/** What the subscribe endpoint tells the reader, whatever the endpoint (the local server or the function on AWS). */
export type SubscriptionAnswer =
  | { readonly kind: 'pending-confirmation' }
  | { readonly kind: 'already-subscribed' }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'too-many' }
  | { readonly kind: 'unavailable' };

/** The HTTP status each answer is sent with. */
export const ANSWER_STATUS: Readonly<Record<SubscriptionAnswer['kind'], number>> = {
  'pending-confirmation': 200,
  'already-subscribed': 200,
  refused: 400,
  'too-many': 429,
  unavailable: 503,
};
