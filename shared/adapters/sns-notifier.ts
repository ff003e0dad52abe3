import {
  CheckIfPhoneNumberIsOptedOutCommand,
  type MessageAttributeValue,
  PublishCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import type { Group } from '../domain/notification-policy.ts';
import type { Delivery, Notifier } from '../ports.ts';
import { snsErrorName as nameOf, callSns as send } from './sns-call.ts';

/** SNS's refusals of what was asked (a malformed number, say): asking again would not help. */
const REFUSED = new Set(['InvalidParameterException', 'InvalidParameterValueException']);

/** The attribute members' subscription filter policies match (e.g. only SEV1 by SMS). */
const SEVERITY_ATTRIBUTE = 'severity';
/** Pages are transactional, so carriers and SNS's spend limits do not drop them as promotional. */
const TRANSACTIONAL_SMS: Record<string, MessageAttributeValue> = {
  'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
};

const PublishAnswer = z.object({ MessageId: z.string().check(z.minLength(1)) });
const OptOutAnswer = z.object({ isOptedOut: z.boolean() });

export interface SnsNotifierOptions {
  /** Each group's topic; members subscribe to it with their email or number. A group without one has no audience. */
  readonly topicArns: Partial<Record<Group, string>>;
  readonly nowMs: () => number;
}

/**
 * Sends group updates through each group's SNS topic (one publish, an email and an SMS text, fanned out
 * by SNS to the members' subscriptions) and pages by direct SMS, never texting a number that opted out.
 */
export function createSnsNotifier(client: SNSClient, options: SnsNotifierOptions): Notifier {
  return {
    async notifyGroup(message) {
      const topicArn = options.topicArns[message.group];
      if (topicArn === undefined || message.channels.length === 0) return [];
      const answer = await send(() =>
        client.send(
          new PublishCommand({
            TopicArn: topicArn,
            Subject: message.subject,
            MessageStructure: 'json',
            Message: JSON.stringify({ default: message.email, email: message.email, sms: message.sms }),
            MessageAttributes: {
              [SEVERITY_ATTRIBUTE]: { DataType: 'String', StringValue: message.severity ?? 'none' },
            },
          }),
        ),
      );
      const { MessageId } = PublishAnswer.parse(answer);
      const atMs = options.nowMs();
      return message.channels.map((channel) => ({
        notificationId: message.notificationId,
        group: message.group,
        channel,
        recipient: `topic:${message.group}`,
        status: 'sent',
        providerMessageId: MessageId,
        error: null,
        atMs,
      }));
    },

    async page(message) {
      const { name, phone } = message.recipient;
      // The delivery names the person: it is shown in the API and in logs, where a number must not be.
      const delivery = (
        status: Delivery['status'],
        providerMessageId: string | null,
        error: string | null,
      ): Delivery => ({
        notificationId: message.notificationId,
        group: 'page',
        channel: 'sms',
        recipient: name,
        status,
        providerMessageId,
        error,
        atMs: options.nowMs(),
      });
      try {
        const check = await send(() =>
          client.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: phone })),
        );
        if (OptOutAnswer.parse(check).isOptedOut)
          return delivery('opted-out', null, 'the number opted out of SMS');
        const answer = await send(() =>
          client.send(
            new PublishCommand({
              PhoneNumber: phone,
              Message: message.sms,
              MessageAttributes: TRANSACTIONAL_SMS,
            }),
          ),
        );
        return delivery('sent', PublishAnswer.parse(answer).MessageId, null);
      } catch (error) {
        if (!REFUSED.has(nameOf(error))) throw error;
        return delivery('failed', null, withoutNumber((error as Error).message, phone));
      }
    },
  };
}

/** SNS quotes a rejected number in its message; the delivery that carries the message must not. */
function withoutNumber(text: string, phone: string): string {
  return phone.trim() === '' ? text : text.replaceAll(phone, 'the number');
}
