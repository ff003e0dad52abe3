import { Duration } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Settings } from '#shared/settings.ts';
import { type EventTable, TABLE_ACCESS } from './event-table.ts';
import type { IncidentSecrets } from './incident-secrets.ts';
import { ScheduledJob } from './scheduled-job.ts';

export interface ReconciliationProps {
  readonly events: EventTable;
  readonly settings: Settings;
  readonly secrets: IncidentSecrets;
  /** 1 keeps two runs from reading Jira at once; undefined where the account cannot reserve concurrency. */
  readonly reservedConcurrency: number | undefined;
}

export const RECONCILER_METRICS_NAMESPACE = 'IncidentFlow';

/**
 * The schedule's cron for `reconciler.everyMinutes`: a divisor of 60 runs every so many minutes, a
 * whole number of hours dividing 24 every so many hours; anything else cannot be said in cron.
 */
export function reconcilerCron(everyMinutes: number): string {
  return everyMinutesCron(everyMinutes, 'reconciler.everyMinutes');
}

/** The six-field cron of a job run every so many minutes; `setting` names the key in errors. */
export function everyMinutesCron(everyMinutes: number, setting: string): string {
  if (everyMinutes < 60 && 60 % everyMinutes === 0) return `0/${everyMinutes} * * * ? *`;
  if (everyMinutes === 60) return '0 * * * ? *';
  const hours = everyMinutes / 60;
  if (Number.isInteger(hours) && 24 % hours === 0) return `0 0/${hours} * * ? *`;
  throw new Error(
    `${setting} is ${everyMinutes}: use a divisor of 60 (5, 10, 15, 20, 30) or whole hours dividing 24 (60, 120, 180, 240, 360, 480, 720, 1440)`,
  );
}

/**
 * The reconciler on its schedule, allowed to read the Jira secret and append to the event table, with
 * what it repairs turned into metrics from its `reconciled` log line, and an alarm when runs repair
 * often in a day: then webhooks are failing (disabled, endpoint down) and the board is being followed
 * an hour late. Runs that could not finish (`unfinished: 1`) are counted too: then nothing repairs
 * what webhooks miss.
 */
export class Reconciliation extends Construct {
  readonly job: ScheduledJob;
  readonly eventsRepaired: Metric;
  readonly repairingRuns: Metric;
  /** Runs that could not finish, summed over one schedule period: above 0 means the safety net is down. */
  readonly unfinishedRuns: Metric;

  constructor(scope: Construct, id: string, props: ReconciliationProps) {
    super(scope, id);
    this.job = new ScheduledJob(this, 'Job', {
      job: 'reconciler',
      settings: props.settings,
      cron: reconcilerCron(props.settings.reconciler.everyMinutes),
      description: 'Incident Flow: store what Jira webhooks missed, from the board itself',
      reservedConcurrency: props.reservedConcurrency,
    });
    const fn = this.job.jobFunction.function;
    props.events.connect(fn, TABLE_ACCESS.reconciling);
    props.secrets.grantJira(fn);

    const logGroup = this.job.jobFunction.logGroup;
    const reconciled = (field: string) =>
      FilterPattern.all(
        FilterPattern.stringValue('$.message', '=', 'reconciled'),
        // Both fields are numbers: a numeric match (a quoted "*" would match strings only).
        FilterPattern.numberValue(`$.${field}`, '>=', 0),
      );
    new MetricFilter(this, 'EventsRepairedFilter', {
      logGroup,
      filterPattern: reconciled('eventsAdded'),
      metricNamespace: RECONCILER_METRICS_NAMESPACE,
      metricName: 'ReconcilerEventsRepaired',
      metricValue: '$.eventsAdded',
      defaultValue: 0,
    });
    new MetricFilter(this, 'RepairingRunsFilter', {
      logGroup,
      filterPattern: reconciled('repairing'),
      metricNamespace: RECONCILER_METRICS_NAMESPACE,
      metricName: 'ReconcilerRepairingRuns',
      metricValue: '$.repairing',
      defaultValue: 0,
    });
    new MetricFilter(this, 'UnfinishedRunsFilter', {
      logGroup,
      // Both the run's summary and the line of a run that threw before it carry `unfinished: 1`.
      filterPattern: FilterPattern.numberValue('$.unfinished', '=', 1),
      metricNamespace: RECONCILER_METRICS_NAMESPACE,
      metricName: 'ReconcilerUnfinishedRuns',
      metricValue: '1',
      defaultValue: 0,
    });
    this.eventsRepaired = new Metric({
      namespace: RECONCILER_METRICS_NAMESPACE,
      metricName: 'ReconcilerEventsRepaired',
      statistic: Stats.SUM,
      period: Duration.hours(1),
    });
    this.repairingRuns = new Metric({
      namespace: RECONCILER_METRICS_NAMESPACE,
      metricName: 'ReconcilerRepairingRuns',
      statistic: Stats.SUM,
      period: Duration.days(1),
    });
    this.unfinishedRuns = new Metric({
      namespace: RECONCILER_METRICS_NAMESPACE,
      metricName: 'ReconcilerUnfinishedRuns',
      statistic: Stats.SUM,
      // One run per period: a failed run keeps the alarm up until a run that finishes.
      period: Duration.minutes(props.settings.reconciler.everyMinutes),
    });
  }
}
