import { SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { createSnsNotifier } from '#shared/adapters/sns-notifier.ts';
import { UpstreamUnavailableError } from '#shared/errors.ts';
import type { GroupMessage, PageMessage } from '#shared/ports.ts';
import { notifierContract } from '../contract/notifier-contract.ts';
import { type SnsSimulatorOptions, startSnsSimulator } from '../simulators/sns-simulator.ts';

const NOW = Date.parse('2026-11-02T09:00:00.000Z');
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:incident-flow-manage-closely';
const MIA = { name: 'Mia Chen', phone: '+447700900123' };
const OPTED_OUT = { name: 'Sam Ortiz', phone: '+447700900456' };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function notifierAgainst(options: SnsSimulatorOptions = {}) {
  const sns = await startSnsSimulator({ optedOut: [OPTED_OUT.phone], ...options });
  closers.push(sns.close);
  const client = new SNSClient({
    endpoint: sns.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  const notifier = createSnsNotifier(client, { topicArns: { 'manage-closely': TOPIC }, nowMs: () => NOW });
  return { sns, notifier };
}

const update = (overrides: Partial<GroupMessage> = {}): GroupMessage => ({
  notificationId: 'INC-1#declared#manage-closely',
  issueKey: 'INC-1',
  group: 'manage-closely',
  severity: 'SEV1',
  channels: ['email', 'sms'],
  subject: '[SEV1] INC-1 declared: Checkout failing',
  email: 'INC-1 was declared SEV1.\n\nCheckout failing since 09:00 UTC.',
  sms: 'SEV1 INC-1 declared: Checkout failing',
  ...overrides,
});

const pageTo = (recipient: PageMessage['recipient']): PageMessage => ({
  notificationId: `INC-1#page#${recipient.name}`,
  issueKey: 'INC-1',
  recipient,
  sms: 'You are paged: SEV1 INC-1 Checkout failing',
});

notifierContract('the SNS adapter against the SNS simulator', async () => (await notifierAgainst()).notifier);

describe('the SNS notifier', () => {
  it('publishes a group update once, with email and SMS texts and the severity, and delivers per channel', async () => {
    const { sns, notifier } = await notifierAgainst();

    const deliveries = await notifier.notifyGroup(update());

    expect(sns.published).toHaveLength(1);
    const [published] = sns.published;
    expect(published).toMatchObject({
      topicArn: TOPIC,
      subject: '[SEV1] INC-1 declared: Checkout failing',
      messageStructure: 'json',
      messageAttributes: { severity: 'SEV1' },
    });
    expect(JSON.parse(published?.message ?? '')).toEqual({
      default: update().email,
      email: update().email,
      sms: update().sms,
    });
    expect(deliveries).toEqual(
      (['email', 'sms'] as const).map((channel) => ({
        notificationId: 'INC-1#declared#manage-closely',
        group: 'manage-closely',
        channel,
        recipient: 'topic:manage-closely',
        status: 'sent',
        providerMessageId: published?.messageId,
        error: null,
        atMs: NOW,
      })),
    );
  });

  it("marks an update without a severity 'none', so SEV1-only filter policies let it pass by", async () => {
    const { sns, notifier } = await notifierAgainst();

    await notifier.notifyGroup(update({ severity: null, channels: ['email'] }));

    expect(sns.published[0]?.messageAttributes).toEqual({ severity: 'none' });
  });

  it('sends nothing to a group without a topic', async () => {
    const { sns, notifier } = await notifierAgainst();

    const deliveries = await notifier.notifyGroup(update({ group: 'monitor' }));

    expect(deliveries).toEqual([]);
    expect(sns.published).toEqual([]);
  });

  it('does not text a number that opted out, and says so in the delivery', async () => {
    const { sns, notifier } = await notifierAgainst();

    const delivery = await notifier.page(pageTo(OPTED_OUT));

    expect(sns.published).toEqual([]);
    expect(delivery).toMatchObject({
      recipient: 'Sam Ortiz',
      channel: 'sms',
      status: 'opted-out',
      providerMessageId: null,
      error: 'the number opted out of SMS',
    });
  });

  it('pages by transactional SMS, and the delivery names the person, never the number', async () => {
    const { sns, notifier } = await notifierAgainst();

    const delivery = await notifier.page(pageTo(MIA));

    expect(sns.published).toEqual([
      {
        phoneNumber: MIA.phone,
        subject: undefined,
        message: 'You are paged: SEV1 INC-1 Checkout failing',
        messageAttributes: { 'AWS.SNS.SMS.SMSType': 'Transactional' },
        messageId: expect.any(String),
      },
    ]);
    expect(delivery).toEqual({
      notificationId: 'INC-1#page#Mia Chen',
      group: 'page',
      channel: 'sms',
      recipient: 'Mia Chen',
      status: 'sent',
      providerMessageId: sns.published[0]?.messageId,
      error: null,
      atMs: NOW,
    });
    expect(JSON.stringify(delivery)).not.toContain(MIA.phone.slice(1));
  });

  it("records a number SNS refuses as a 'failed' delivery, without quoting the number", async () => {
    const { sns, notifier } = await notifierAgainst();

    const delivery = await notifier.page(pageTo({ name: 'Lee', phone: '07700 900789' }));

    expect(sns.published).toEqual([]);
    expect(delivery).toMatchObject({ recipient: 'Lee', status: 'failed', providerMessageId: null });
    expect(delivery.error).toMatch(/^Invalid parameter: PhoneNumber/);
    expect(JSON.stringify(delivery)).not.toContain('900789');
  });

  it.each<[string, SnsSimulatorOptions]>([
    ['throttled', { failNext: 1 }],
    ['failing with a 500', { failNextWith5xx: 1 }],
  ])('turns SNS %s into an upstream-unavailable error and sends nothing', async (_, options) => {
    const { sns, notifier } = await notifierAgainst(options);
    const again = await notifierAgainst(options);

    await expect(notifier.notifyGroup(update())).rejects.toBeInstanceOf(UpstreamUnavailableError);
    await expect(again.notifier.page(pageTo(MIA))).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(sns.published).toEqual([]);
    expect(again.sns.published).toEqual([]);
  });
});
