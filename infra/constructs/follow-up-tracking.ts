import { Construct } from 'constructs';
import type { Settings } from '#shared/settings.ts';
import { type EventTable, TABLE_ACCESS } from './event-table.ts';
import type { IncidentSecrets } from './incident-secrets.ts';
import { everyMinutesCron } from './reconciliation.ts';
import { ScheduledJob } from './scheduled-job.ts';
import type { StakeholderNotifications } from './stakeholder-notifications.ts';

export interface FollowUpTrackingProps {
  readonly events: EventTable;
  readonly settings: Settings;
  readonly secrets: IncidentSecrets;
  readonly notifications: StakeholderNotifications;
  /** 1 keeps two syncs from racing on one item; undefined where the account cannot reserve concurrency. */
  readonly reservedConcurrency: number | undefined;
}

/** Daily at the start of the team's working hours, in its time zone (the function skips weekends). */
export function reminderCron(settings: Settings): string {
  return `0 ${settings.followUps.workingHours.start} * * ? *`;
}

/**
 * Follow-ups of postmortems: the postmortem-sync function every `followUps.syncEveryMinutes` (Notion's
 * action items to Jira tickets and back), and the follow-up-reminder each morning (overdue tickets
 * chased in Jira, the list emailed to keep-informed). Both read Jira; the sync reads Notion too.
 */
export class FollowUpTracking extends Construct {
  readonly sync: ScheduledJob;
  readonly reminder: ScheduledJob;

  constructor(scope: Construct, id: string, props: FollowUpTrackingProps) {
    super(scope, id);
    const { settings } = props;
    this.sync = new ScheduledJob(this, 'Sync', {
      job: 'postmortem-sync',
      settings,
      cron: everyMinutesCron(settings.followUps.syncEveryMinutes, 'followUps.syncEveryMinutes'),
      description: "Incident Flow: postmortems' action items to follow-up tickets, and done tickets back",
      // One sync at a time: two would both find an item without a ticket.
      reservedConcurrency: props.reservedConcurrency,
    });
    const syncFunction = this.sync.jobFunction.function;
    props.events.connect(syncFunction, TABLE_ACCESS.followUps);
    props.secrets.grantJira(syncFunction);
    props.secrets.grantNotion(syncFunction);

    this.reminder = new ScheduledJob(this, 'Reminder', {
      job: 'follow-up-reminder',
      settings,
      cron: reminderCron(settings),
      description: 'Incident Flow: overdue follow-ups chased in Jira, and listed to keep-informed',
      reservedConcurrency: props.reservedConcurrency,
    });
    const reminderFunction = this.reminder.jobFunction.function;
    props.events.connect(reminderFunction, TABLE_ACCESS.followUps);
    props.secrets.grantJira(reminderFunction);
    props.notifications.connectGroup(reminderFunction, 'keep-informed');
  }
}
