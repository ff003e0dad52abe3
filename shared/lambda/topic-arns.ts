import * as z from 'zod/mini';
import '../domain/zod-english.ts';
import { ENV } from '../deployment-names.ts';
import { GROUPS } from '../domain/notification-policy.ts';
import { SettingsError } from '../errors.ts';

const topicArnsSchema = z.partialRecord(z.enum(GROUPS), z.string().check(z.startsWith('arn:aws')));

/** Each group's SNS topic, as a notifying function is given them. */
export type TopicArns = Partial<Record<(typeof GROUPS)[number], string>>;

/** The group topics from their JSON, or an error naming the variable and the group. */
export function parseTopicArns(text: unknown): TopicArns {
  let value = text;
  if (typeof text === 'string') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new SettingsError(`${ENV.notifyTopicArns}: expected JSON {"<group>": "<topic arn>"}`);
    }
  }
  const parsed = topicArnsSchema.safeParse(value);
  if (!parsed.success) throw new SettingsError(`${ENV.notifyTopicArns}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
