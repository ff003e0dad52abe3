import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Settings } from '#shared/settings.ts';
import { AlertIntake } from './constructs/alert-intake.ts';
import { CiIntake } from './constructs/ci-intake.ts';
import { EventTable } from './constructs/event-table.ts';
import { FollowUpTracking } from './constructs/follow-up-tracking.ts';
import { IncidentProcessing } from './constructs/incident-processing.ts';
import { IncidentSecrets } from './constructs/incident-secrets.ts';
import { OpsMonitoring } from './constructs/ops-monitoring.ts';
import { PostmortemWriting } from './constructs/postmortem-writing.ts';
import { Reconciliation } from './constructs/reconciliation.ts';
import { SmsSettings } from './constructs/sms-settings.ts';
import { StakeholderNotifications } from './constructs/stakeholder-notifications.ts';
import { StatusPagePublishing } from './constructs/status-page-publishing.ts';
import { WebhookIngest } from './constructs/webhook-ingest.ts';
import { WeeklyReporting } from './constructs/weekly-reporting.ts';
import {
  type DeploymentOptions,
  deploymentOptionsForSynth,
  directoryForSynth,
} from './deployment-options.ts';

export interface IncidentFlowStackProps extends StackProps {
  /** Settings validated at synth, handed to every function. */
  readonly settings: Settings;
  /** Where alarms go, which secrets exist already, the webhook's concurrency cap; defaults when omitted. */
  readonly deployment?: DeploymentOptions;
}

/**
 * Incident Flow on AWS, one construct per concern: secrets, storage (the event table), ingest (Jira's
 * webhooks and deployments), processing (the table's stream), stakeholder notifications (a topic per
 * group and the recheck queue), the weekly report (a schedule and its topic), postmortems written to
 * Notion (a queue and its writer, when the team names a database), the public status page (when
 * enabled), and ops monitoring.
 */
export class IncidentFlowStack extends Stack {
  readonly secrets: IncidentSecrets;
  readonly events: EventTable;
  readonly ingest: WebhookIngest;
  readonly processing: IncidentProcessing;
  readonly notifications: StakeholderNotifications;
  readonly ops: OpsMonitoring;
  /** Alerts from monitoring tools opening incidents: the alert routes and the alarm-intake topic. */
  readonly alerts: AlertIntake;
  readonly weeklyReport: WeeklyReporting;
  readonly reconciliation: Reconciliation;
  /** GitHub and GitLab webhooks: only when the team names the Jira project of premortems (ci.projectKey). */
  readonly ci: CiIntake | undefined;
  /** Only when the team names a Notion database for postmortems. */
  readonly postmortems: PostmortemWriting | undefined;
  /** The postmortems' follow-ups: only with postmortems in Notion (their action items are read there). */
  readonly followUps: FollowUpTracking | undefined;
  /** The public status page: only with statusPage.enabled. */
  readonly statusPage: StatusPagePublishing | undefined;

  constructor(scope: Construct, id: string, props: IncidentFlowStackProps) {
    super(scope, id, props);
    const deployment = props.deployment ?? deploymentOptionsForSynth(undefined);

    this.secrets = new IncidentSecrets(this, 'Secrets', { existing: deployment.existingSecrets });
    this.events = new EventTable(this, 'Events');
    this.ingest = new WebhookIngest(this, 'Ingest', {
      events: this.events,
      settings: props.settings,
      secrets: this.secrets,
      reservedConcurrency: deployment.webhookReservedConcurrency,
    });
    this.ci = props.settings.ci.projectKey
      ? new CiIntake(this, 'Ci', {
          api: this.ingest.api,
          apiUrl: this.ingest.url,
          events: this.events,
          settings: props.settings,
          secrets: this.secrets,
        })
      : undefined;
    this.alerts = new AlertIntake(this, 'Alerts', {
      events: this.events,
      settings: props.settings,
      secrets: this.secrets,
      api: this.ingest.api,
      apiUrl: this.ingest.apiUrl,
      // An account that cannot reserve concurrency for the webhook cannot for the alert intake either.
      reservedConcurrency: deployment.webhookReservedConcurrency === null ? undefined : 1,
    });
    this.processing = new IncidentProcessing(this, 'Processing', {
      events: this.events,
      settings: props.settings,
    });
    this.notifications = new StakeholderNotifications(this, 'Notifications', {
      events: this.events,
      settings: props.settings,
      directory: deployment.directoryFile ? directoryForSynth(deployment.directoryFile) : undefined,
    });
    this.notifications.connect(this.processing.processorFunction.function);
    // Postmortems go to Notion, one at a time, when the team names a database: the functions that fold
    // incidents only put a resolved one on the queue, and never hold the Notion or Jira token.
    if (props.settings.postmortem.notion) {
      this.postmortems = new PostmortemWriting(this, 'Postmortems', {
        events: this.events,
        settings: props.settings,
        secrets: this.secrets,
        // An account that cannot reserve concurrency for the webhook cannot for the writer either.
        reservedConcurrency: deployment.webhookReservedConcurrency === null ? undefined : 1,
      });
      this.postmortems.connect(this.processing.processorFunction.function);
      this.postmortems.connect(this.notifications.recheckFunction.function);
    }
    new SmsSettings(this, 'SmsSettings', { monthlySpendLimitUsd: deployment.smsMonthlySpendLimitUsd });
    this.ops = new OpsMonitoring(this, 'Ops', {
      ingest: this.ingest,
      processing: this.processing,
      opsEmail: deployment.opsEmail,
    });
    this.weeklyReport = new WeeklyReporting(this, 'WeeklyReport', {
      events: this.events,
      settings: props.settings,
      emails: deployment.reportEmails,
      // An account that cannot reserve concurrency for the webhook cannot for the report either.
      reservedConcurrency: deployment.webhookReservedConcurrency === null ? undefined : 1,
    });
    this.ops.watchFunction('AlertIntake', this.alerts.intakeFunction);
    this.ops.watchPendingQueue('AlarmTopic', this.alerts.deadLetterQueue);
    this.ops.watchFunction('Recheck', this.notifications.recheckFunction);
    this.ops.watchPendingQueue('Recheck', this.notifications.deadLetterQueue);
    if (this.notifications.subscriptionDeadLetterQueue) {
      this.ops.watchPendingQueue('Subscriptions', this.notifications.subscriptionDeadLetterQueue);
    }
    this.ops.watchScheduledJob('WeeklyReport', this.weeklyReport.job);
    this.reconciliation = new Reconciliation(this, 'Reconciler', {
      events: this.events,
      settings: props.settings,
      secrets: this.secrets,
      reservedConcurrency: deployment.webhookReservedConcurrency === null ? undefined : 1,
    });
    this.ops.watchScheduledJob('Reconciler', this.reconciliation.job);
    const runsPerDay = props.settings.reconciler.alarmRepairingRunsPerDay;
    this.ops.alarmAbove(
      'ReconcilerRepairsOften',
      this.reconciliation.repairingRuns,
      runsPerDay - 1,
      `The reconciler repaired missed events in ${runsPerDay} or more runs today: Jira's webhooks are failing (disabled, refused, or the endpoint was down). Check the webhook in Jira's system settings and the Webhook function's errors.`,
    );
    this.ops.alarmAbove(
      'ReconcilerCouldNotFinish',
      this.reconciliation.unfinishedRuns,
      0,
      "The reconciler could not finish: Jira was unreachable or refused it (check the IncidentFlow/jira-api secret and Jira's status), or some issues could not be reconciled (its log line `reconciled` counts them, the next names them). Until a run finishes, nothing repairs what webhooks miss.",
    );
    if (this.postmortems) {
      this.ops.watchFunction('PostmortemWriter', this.postmortems.writerFunction);
      this.ops.watchPendingQueue('Postmortems', this.postmortems.deadLetterQueue);
    }
    this.followUps = props.settings.postmortem.notion
      ? new FollowUpTracking(this, 'FollowUps', {
          events: this.events,
          settings: props.settings,
          secrets: this.secrets,
          notifications: this.notifications,
          reservedConcurrency: deployment.webhookReservedConcurrency === null ? undefined : 1,
        })
      : undefined;
    if (this.followUps) {
      this.ops.watchScheduledJob('PostmortemSync', this.followUps.sync);
      this.ops.watchScheduledJob('FollowUpReminder', this.followUps.reminder);
    }
    // The status page is rebuilt from the table's stream by a pipe: the processor does not know of it.
    this.statusPage = props.settings.statusPage.enabled
      ? new StatusPagePublishing(this, 'StatusPage', {
          events: this.events,
          settings: props.settings,
          ingest: this.ingest,
          subscribeTopic: this.notifications.topics['keep-satisfied'],
        })
      : undefined;
    if (this.statusPage) {
      this.ops.watchFunction('StatusPageWriter', this.statusPage.writerFunction);
      this.ops.watchFunction('StatusSubscribe', this.statusPage.subscriptions.subscribeFunction);
      this.ops.watchPendingQueue('StatusPage', this.statusPage.deadLetterQueue);
      this.ops.watchPendingQueue('StatusPageDeliveries', this.statusPage.deliveryFailures);
    }
  }
}
