import { SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { createSnsReportPublisher } from '#shared/adapters/sns-report-publisher.ts';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import { reportPublisherContract } from '../contract/report-publisher-contract.ts';
import { startSnsSimulator } from '../simulators/sns-simulator.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:weekly-report';
let close: (() => Promise<void>) | undefined;

async function publisherAgainst(options: { failNext?: number; failNextWith5xx?: number } = {}) {
  const sns = await startSnsSimulator(options);
  close = sns.close;
  const client = new SNSClient({
    endpoint: sns.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  return { sns, publisher: createSnsReportPublisher(client, TOPIC) };
}

afterEach(() => close?.());

reportPublisherContract(
  'the SNS adapter against the SNS simulator',
  async () => (await publisherAgainst()).publisher,
);

describe('the SNS report publisher', () => {
  it('publishes the subject and body to the topic over the SNS wire protocol', async () => {
    const { sns, publisher } = await publisherAgainst();

    const { messageId } = await publisher.publish(
      'Incidents, week 47 (Nov 16-22): 3 opened',
      'body ▁▂▃ text',
    );

    expect(sns.published).toEqual([
      {
        topicArn: TOPIC,
        subject: 'Incidents, week 47 (Nov 16-22): 3 opened',
        message: 'body ▁▂▃ text',
        messageId,
      },
    ]);
  });

  it('is refused, as by SNS, a subject with a character outside ASCII', async () => {
    const { publisher } = await publisherAgainst();

    await expect(publisher.publish('Incidents – week 47', 'body')).rejects.toThrow(/Subject/);
  });

  it('turns SNS throttling into an upstream-unavailable error the caller may retry', async () => {
    const { publisher } = await publisherAgainst({ failNext: 1 });

    await expect(publisher.publish('Incidents, week 47', 'body')).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
  });

  it('turns an SNS internal error (HTTP 500) into an upstream-unavailable error too', async () => {
    const { publisher } = await publisherAgainst({ failNextWith5xx: 1 });

    await expect(publisher.publish('Incidents, week 47', 'body')).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
  });
});
