import { type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Settings } from '#shared/settings.ts';
import type { FunctionJob } from '../function-sizing.ts';
import { deadLetterQueue } from './dead-letter-queue.ts';
import { IncidentFunction } from './incident-function.ts';

/** EventBridge Scheduler's six cron fields: minutes hours day-of-month month day-of-week year. */
const CRON_FIELDS = /^[^\s()]+( [^\s()]+){5}$/;

export interface ScheduledJobProps {
  /** The folder under functions/ whose handler.ts runs on the schedule, e.g. 'weekly-report'. */
  readonly job: FunctionJob;
  readonly settings: Settings;
  /** When, in the team's time zone (settings.timeZone), e.g. '0 9 ? * MON *' for Mondays at 09:00. */
  readonly cron: string;
  readonly description: string;
  /**
   * At most this many runs at once; 1 keeps a slow run and the next from both calling Jira or
   * Notion. Undefined for none (accounts that cannot reserve concurrency).
   */
  readonly reservedConcurrency?: number;
}

/**
 * A function run by EventBridge Scheduler on a cron in the team's time zone, at the exact minute (no
 * flexible window). Whatever fails for good, the schedule's delivery or the run itself after Lambda's
 * retries, lands in the job's dead-letter queue.
 */
export class ScheduledJob extends Construct {
  readonly jobFunction: IncidentFunction;
  readonly schedule: Schedule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    if (!CRON_FIELDS.test(props.cron)) {
      throw new Error(`${id}: cron must be six fields such as '0 9 ? * MON *', got '${props.cron}'`);
    }

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters', 'of the job');

    this.jobFunction = new IncidentFunction(this, 'Function', {
      job: props.job,
      settings: props.settings,
      reservedConcurrency: props.reservedConcurrency,
    });
    const fn = this.jobFunction.function;
    // A run that fails twice in a row would likely fail a third time; the next schedule comes anyway.
    // An on-failure destination rather than a function DLQ: its record carries the error, not just the event.
    fn.configureAsyncInvoke({
      retryAttempts: 1,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    Validations.of(this.jobFunction).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        "Failed runs go to the job's dead-letter queue through an on-failure destination, which records the error as well as the event.",
    });

    // A role of the job's own, so the one grant it holds can be explained here (not a shared stack role).
    const invoker = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
    });
    Validations.of(invoker).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason:
        "lambda:InvokeFunction on this job's own function and its versions (:*), as CDK grants it; no other function.",
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: props.description,
      schedule: ScheduleExpression.expression(`cron(${props.cron})`, TimeZone.of(props.settings.timeZone)),
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(fn, {
        role: invoker,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });
  }
}
