import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { settingsForSynth } from '../../infra/app-settings.ts';
import { ScheduledJob } from '../../infra/constructs/scheduled-job.ts';
import { IncidentFlowStack } from '../../infra/incident-flow-stack.ts';

let stack: IncidentFlowStack;
let job: ScheduledJob;
let template: Template;

const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const settings = settingsForSynth({ timeZone: 'Europe/Berlin' }, {});
  stack = new IncidentFlowStack(app, 'IncidentFlow', { settings });
  // The processor's entry stands in for a scheduled job's (weekly-report and others bring their own).
  job = new ScheduledJob(stack, 'StandIn', {
    job: 'incident-processor',
    settings,
    cron: '0 9 ? * MON *',
    description: 'A stand-in job, Mondays at 09:00',
    reservedConcurrency: 1,
  });
  stack.ops.watchScheduledJob('StandIn', job);
  template = Template.fromStack(stack);
}, 120_000);

describe('a scheduled job', () => {
  it("runs on its cron in the team's time zone, at the exact minute", () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(job.jobFunction.function), 'Arn'] } }),
    });
  });

  it('retries a failed delivery for an hour, then keeps it in its dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(job.deadLetterQueue), 'Arn'] } },
      }),
    });
  });

  it('sends a run that failed its retry to the same queue, and runs one at a time', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 1,
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(job.jobFunction.function) },
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(job.deadLetterQueue), 'Arn'] } },
      },
    });
  });

  it('lets the scheduler invoke only its function and write only to its queue', () => {
    const scheduleRole = Object.values(template.findResources('AWS::IAM::Role')).find((role) =>
      JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    const roleId = Object.entries(template.findResources('AWS::IAM::Role')).find(
      ([, role]) => role === scheduleRole,
    )?.[0];
    const statements = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
    ).flatMap((policy) => policy.Properties.PolicyDocument.Statement);

    expect(statements.map((s: { Action: string }) => s.Action).sort()).toEqual([
      'lambda:InvokeFunction',
      'sqs:SendMessage',
    ]);
  });

  it('is watched: errors, throttles and dead letters alarm, and its queue is charted as pending', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const dashboard = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));

    const watchingJob = alarms.filter((alarm) =>
      JSON.stringify(alarm.Properties).match(
        new RegExp(`${logicalId(job.jobFunction.function)}|${logicalId(job.deadLetterQueue)}`),
      ),
    );
    expect(watchingJob.map((alarm) => alarm.Properties.MetricName).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'Errors',
      'Throttles',
    ]);
    expect(dashboard).toContain(logicalId(job.deadLetterQueue));
  });

  it('refuses a cron that is not six fields', () => {
    const settings = settingsForSynth(undefined, {});
    const bad = () =>
      new ScheduledJob(new Stack(new App()), 'Bad', {
        job: 'incident-processor',
        settings,
        cron: 'cron(0 9 * * ? *)',
        description: 'bad',
      });

    expect(bad).toThrow(/six fields/);
  });

  it.each([
    ['AwsSolutions', new AwsSolutionsChecks()],
    ['Serverless', new ServerlessChecks()],
  ])('passes cdk-nag %s', (_name, pack) => {
    const findings = pack
      .validateScope(job)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));

    expect(findings).toEqual([]);
  });
});
