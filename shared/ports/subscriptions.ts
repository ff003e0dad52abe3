/** What subscribing an address did: a confirmation is on its way, or the address already gets updates. */
export type SubscriptionOutcome = 'pending-confirmation' | 'already-subscribed';

/** Customers who get the keep-satisfied updates by email: SNS's topic on AWS, the outbox locally. */
export interface Subscriptions {
  /** Asks to add a valid address (see subscription-request.ts); the subscriber confirms by email. */
  subscribe(email: string): Promise<SubscriptionOutcome>;
}
