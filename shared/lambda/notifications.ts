import * as z from 'zod/mini';
import { ENV } from '../deployment-names.ts';
import { GROUPS } from '../domain/notification-policy.ts';
import type { Directory } from '../domain/stakeholder-directory.ts';
import { SettingsError } from '../errors.ts';
import type { Settings } from '../settings.ts';
import type { ProcessIncidentDeps } from '../use-cases/process-incident.ts';
import { loadAwsSenders } from './aws-senders-loader.ts';
import { parseEnv } from './config.ts';
import { loadOnce } from './load-once.ts';

/** The environment a function that notifies reads, beside its own. */
export const notificationEnvSchema = z.object({
  [ENV.notifyTopicArns]: z.string().check(z.minLength(2)),
  [ENV.recheckQueueUrl]: z.string().check(z.startsWith('https://')),
});
const topicArnsSchema = z.partialRecord(z.enum(GROUPS), z.string().check(z.startsWith('arn:aws')));

const EMPTY_DIRECTORY: Directory = { members: [], componentLeads: {} };

/** The group topics from their JSON, or an error naming the variable and the group. */
export function parseTopicArns(text: unknown): Partial<Record<(typeof GROUPS)[number], string>> {
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

/**
 * The SNS notifier, the directory and the recheck queue of a deployed function, loaded with their
 * clients on first use: a fold that has nothing to send never loads them.
 * Without a directory on AWS, group updates still reach the topics' subscribers; nobody is paged.
 */
export function notificationsFromEnv(
  env: Record<string, string | undefined>,
  settings: Settings,
): Pick<ProcessIncidentDeps, 'notifications' | 'recheck'> {
  const parsed = parseEnv(notificationEnvSchema, env);
  const topicArns = parseTopicArns(parsed[ENV.notifyTopicArns]);
  const source = settings.notifications.directory;
  if (source && 'file' in source) {
    throw new SettingsError(
      'notifications.directory: on AWS use {"ssmParameter": ...} or {"secretArn": ...}; a file is read only locally',
    );
  }
  const senders = loadOnce(async () =>
    (await loadAwsSenders()).createAwsNotifications({
      topicArns,
      recheckQueueUrl: parsed[ENV.recheckQueueUrl],
    }),
  );
  const directory = source
    ? loadOnce(async () => (await loadAwsSenders()).createParameterDirectory(source))
    : undefined;
  return {
    notifications: {
      notifier: {
        notifyGroup: async (message) => (await senders()).notifier.notifyGroup(message),
        page: async (message) => (await senders()).notifier.page(message),
      },
      directory: async () => (directory ? (await directory())() : EMPTY_DIRECTORY),
    },
    recheck: { recheckAt: async (issueId, atMs) => (await senders()).recheck.recheckAt(issueId, atMs) },
  };
}
