import { SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { createSnsSubscriptions } from '#shared/adapters/sns-subscriptions.ts';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import { startSnsSimulator } from '../simulators/sns-simulator.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:keep-satisfied';
let close: (() => Promise<void>) | undefined;

async function subscriptionsAgainst(options: { failNext?: number } = {}) {
  const sns = await startSnsSimulator(options);
  close = sns.close;
  const client = new SNSClient({
    endpoint: sns.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  return { sns, subscriptions: createSnsSubscriptions(client, TOPIC) };
}

afterEach(() => close?.());

describe('the SNS subscriptions', () => {
  it('subscribes the address to the topic by email, and SNS sends its confirmation', async () => {
    const { sns, subscriptions } = await subscriptionsAgainst();

    const outcome = await subscriptions.subscribe('reader@example.com');

    expect(outcome).toBe('pending-confirmation');
    expect(sns.subscriptions).toMatchObject([
      { topicArn: TOPIC, endpoint: 'reader@example.com', confirmed: false, confirmationsSent: 1 },
    ]);
  });

  it('asks SNS again for an address still pending, which mails the confirmation once more', async () => {
    const { sns, subscriptions } = await subscriptionsAgainst();
    await subscriptions.subscribe('reader@example.com');

    const outcome = await subscriptions.subscribe('reader@example.com');

    expect(outcome).toBe('pending-confirmation');
    expect(sns.subscriptions).toMatchObject([{ confirmationsSent: 2 }]);
  });

  it('says an address that confirmed already gets the updates, and no email is sent', async () => {
    const { sns, subscriptions } = await subscriptionsAgainst();
    await subscriptions.subscribe('reader@example.com');
    sns.confirm('reader@example.com');

    const outcome = await subscriptions.subscribe('reader@example.com');

    expect(outcome).toBe('already-subscribed');
    expect(sns.subscriptions).toMatchObject([{ confirmationsSent: 1 }]);
  });

  it('is refused, as by SNS, an endpoint that is not an email address', async () => {
    const { subscriptions } = await subscriptionsAgainst();

    await expect(subscriptions.subscribe('not an address')).rejects.toThrow(/Email address/);
  });

  it('turns SNS throttling into an upstream-unavailable error', async () => {
    const { subscriptions } = await subscriptionsAgainst({ failNext: 1 });

    await expect(subscriptions.subscribe('reader@example.com')).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
  });
});
