import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import type { Subscriptions } from '../ports.ts';
import { callSns } from './sns-call.ts';

/** What SNS answers, with ReturnSubscriptionArn false, for an address that has not confirmed yet. */
const PENDING = 'pending confirmation';

const subscribeAnswer = z.object({ SubscriptionArn: z.string().check(z.minLength(1)) });

/**
 * Subscribes email addresses to the keep-satisfied topic. SNS mails each new (or still unconfirmed)
 * address its own confirmation link, and answers a confirmed one with its subscription's ARN.
 */
export function createSnsSubscriptions(client: SNSClient, topicArn: string): Subscriptions {
  return {
    async subscribe(email) {
      const result = await callSns(() =>
        client.send(
          new SubscribeCommand({
            TopicArn: topicArn,
            Protocol: 'email',
            Endpoint: email,
            ReturnSubscriptionArn: false,
          }),
        ),
      );
      const { SubscriptionArn } = subscribeAnswer.parse(result);
      return SubscriptionArn === PENDING ? 'pending-confirmation' : 'already-subscribed';
    },
  };
}
