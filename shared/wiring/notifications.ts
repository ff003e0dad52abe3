import type { Directory } from '../domain/stakeholder-directory.ts';
import { SettingsError } from '../errors.ts';
import { loadOnce } from '../lambda/load-once.ts';
import type { TopicArns } from '../lambda/topic-arns.ts';
import type { Settings } from '../settings.ts';
import type { ProcessIncidentDeps } from '../use-cases/process-incident.ts';
import { loadAwsSenders } from './aws-senders-loader.ts';

const EMPTY_DIRECTORY: Directory = { members: [], componentLeads: {} };

/** Where a deployed function that notifies sends, as its config read them. */
export interface NotificationTargets {
  readonly topicArns: TopicArns;
  readonly recheckQueueUrl: string;
}

/**
 * The SNS notifier, the directory and the recheck queue of a deployed function, loaded with their
 * clients on first use: a fold that has nothing to send never loads them.
 * Without a directory on AWS, group updates still reach the topics' subscribers; nobody is paged.
 */
export function createLazyAwsNotifications(
  targets: NotificationTargets,
  settings: Settings,
): Required<Pick<ProcessIncidentDeps, 'notifications' | 'recheck'>> {
  const source = settings.notifications.directory;
  if (source && 'file' in source) {
    throw new SettingsError(
      'notifications.directory: on AWS use {"ssmParameter": ...} or {"secretArn": ...}; a file is read only locally',
    );
  }
  const senders = loadOnce(async () => (await loadAwsSenders()).createAwsNotifications(targets));
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
