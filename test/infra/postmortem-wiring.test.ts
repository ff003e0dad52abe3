import { rmSync } from 'node:fs';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#shared/deployment-names.ts';
import type { IncidentFunction } from '../../infra/constructs/incident-function.ts';
import {
  POSTMORTEM_MAX_RECEIVE_COUNT,
  type PostmortemWriting,
} from '../../infra/constructs/postmortem-writing.ts';
import { FUNCTION_SIZING } from '../../infra/function-sizing.ts';
import type { IncidentFlowStack } from '../../infra/incident-flow-stack.ts';
import { synthesizeStack } from './synthesize-stack.ts';

const NOTION_POSTMORTEMS = {
  postmortem: { notion: { databaseId: 'e8a73c8a58db4ab7b0d2690d24025a01' } },
  timeZone: 'Europe/Berlin',
};

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** What a synthesized stack tells about one function: its environment and its role's statements. */
function wiringOf(stack: IncidentFlowStack, template: Template, fn: IncidentFunction) {
  const properties = template.toJSON().Resources[logicalId(fn.function)].Properties;
  const roleId = stack.resolve(fn.function.role?.roleName);
  const statements = Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [roleId] } }),
  ).flatMap((policy) => policy.Properties.PolicyDocument.Statement) as {
    Action: string | string[];
    Resource: unknown;
  }[];
  return {
    variables: properties.Environment.Variables as Record<string, unknown>,
    reservedConcurrency: properties.ReservedConcurrentExecutions as number | undefined,
    /** The actions the role may take on the resource, whose logical id it names. */
    actionsOn: (resourceId: string): string[] =>
      statements
        .filter((statement) => JSON.stringify(statement.Resource).includes(`"${resourceId}"`))
        .flatMap((statement) => statement.Action)
        .sort(),
  };
}

function findingsOf(pack: NagPack, stack: IncidentFlowStack): string[] {
  return pack
    .validateScope(stack)
    .violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}`,
      ),
    );
}

describe('postmortems on AWS, when the team names a Notion database', () => {
  let stack: IncidentFlowStack;
  let template: Template;
  let outdir: string;
  let postmortems: PostmortemWriting;
  let notionSecret: string;
  let jiraSecret: string;

  beforeAll(() => {
    ({ stack, template, outdir } = synthesizeStack({ context: NOTION_POSTMORTEMS, bundle: false }));
    if (!stack.postmortems) throw new Error('no postmortem writing with postmortem.notion set');
    postmortems = stack.postmortems;
    notionSecret = logicalId(stack.secrets.notion);
    jiraSecret = logicalId(stack.secrets.jira);
  }, 120_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('give the postmortem writer the Notion and Jira secrets, and the table it reads and records in', () => {
    const writer = wiringOf(stack, template, postmortems.writerFunction);
    const table = logicalId(stack.events.table);

    expect(writer.variables[ENV.notionSecretArn]).toEqual({ Ref: notionSecret });
    expect(writer.variables[ENV.jiraSecretArn]).toEqual({ Ref: jiraSecret });
    expect(writer.actionsOn(notionSecret)).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(writer.actionsOn(jiraSecret)).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(writer.actionsOn(table)).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    expect(writer.variables[ENV.tableName]).toEqual({ Ref: table });
  });

  it('run one writer at a time, sized for a long postmortem at Notion pace', () => {
    const writer = wiringOf(stack, template, postmortems.writerFunction);

    expect(writer.reservedConcurrency).toBe(1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'postmortem-writer' } },
      MemorySize: FUNCTION_SIZING['postmortem-writer'].memorySizeMb,
      Timeout: FUNCTION_SIZING['postmortem-writer'].timeoutSeconds,
    });
  });

  it('let the processor and the recheck function enqueue a postmortem, without the Notion or Jira token', () => {
    const queue = logicalId(postmortems.queue);

    for (const fn of [stack.processing.processorFunction, stack.notifications.recheckFunction]) {
      const wiring = wiringOf(stack, template, fn);

      expect(wiring.variables[ENV.postmortemQueueUrl]).toEqual({ Ref: queue });
      expect(wiring.actionsOn(queue)).toContain('sqs:SendMessage');
      expect(wiring.variables[ENV.notionSecretArn]).toBeUndefined();
      expect(wiring.variables[ENV.jiraSecretArn]).toBeUndefined();
      expect(wiring.actionsOn(notionSecret)).toEqual([]);
      expect(wiring.actionsOn(jiraSecret)).toEqual([]);
    }
  });

  it('consume the queue one message at a time, reporting a failed one for SQS to redeliver', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(postmortems.queue), 'Arn'] },
      FunctionName: { Ref: logicalId(postmortems.writerFunction.function) },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('keep a failed write for eight attempts, the writer knowing its queue to set each backoff', () => {
    const properties = template.toJSON().Resources[logicalId(postmortems.queue)].Properties;
    const writer = wiringOf(stack, template, postmortems.writerFunction);

    expect(properties.VisibilityTimeout).toBe(6 * FUNCTION_SIZING['postmortem-writer'].timeoutSeconds);
    expect(properties.SqsManagedSseEnabled).toBe(true);
    expect(properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(postmortems.deadLetterQueue), 'Arn'] },
      maxReceiveCount: POSTMORTEM_MAX_RECEIVE_COUNT,
    });
    expect(POSTMORTEM_MAX_RECEIVE_COUNT).toBe(8);
    expect(writer.variables[ENV.postmortemQueueUrl]).toEqual({ Ref: logicalId(postmortems.queue) });
    expect(writer.actionsOn(logicalId(postmortems.queue))).toContain('sqs:ChangeMessageVisibility');
  });

  it('alarm on the writer failing or being throttled and on anything in its dead-letter queue', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: { MetricName: string; Dimensions: unknown };
    }[];
    const alarmOn = (metricName: string, resourceId: string) =>
      alarms.filter(
        (alarm) =>
          alarm.Properties.MetricName === metricName &&
          JSON.stringify(alarm.Properties.Dimensions).includes(`"${resourceId}"`),
      );

    expect(alarmOn('Errors', logicalId(postmortems.writerFunction.function))).toHaveLength(1);
    expect(alarmOn('Throttles', logicalId(postmortems.writerFunction.function))).toHaveLength(1);
    expect(
      alarmOn('ApproximateNumberOfMessagesVisible', logicalId(postmortems.deadLetterQueue)),
    ).toHaveLength(1);
  });

  it('sync the action items every 15 minutes and remind at 09:00 each day, in the team time zone', () => {
    const followUps = stack.followUps;
    if (!followUps) throw new Error('no follow-ups with postmortem.notion set');
    const scheduleOf = (fn: IncidentFunction) =>
      Object.values(template.findResources('AWS::Scheduler::Schedule')).find((schedule) =>
        JSON.stringify(schedule.Properties.Target.Arn).includes(logicalId(fn.function)),
      )?.Properties;

    expect(scheduleOf(followUps.sync.jobFunction)).toMatchObject({
      ScheduleExpression: 'cron(0/15 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
    expect(scheduleOf(followUps.reminder.jobFunction)).toMatchObject({
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
  });

  it('let the sync read Notion and Jira, and the reminder Jira and the keep-informed topic only', () => {
    const followUps = stack.followUps;
    if (!followUps) throw new Error('no follow-ups with postmortem.notion set');
    const sync = wiringOf(stack, template, followUps.sync.jobFunction);
    const reminder = wiringOf(stack, template, followUps.reminder.jobFunction);
    const table = logicalId(stack.events.table);
    const topics = stack.notifications.topics;

    expect(sync.actionsOn(notionSecret)).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(sync.actionsOn(jiraSecret)).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(sync.actionsOn(table)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(reminder.actionsOn(notionSecret)).toEqual([]);
    expect(reminder.actionsOn(jiraSecret)).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(reminder.actionsOn(logicalId(topics['keep-informed']))).toEqual(['sns:Publish']);
    expect(reminder.actionsOn(logicalId(topics['manage-closely']))).toEqual([]);
    expect(JSON.stringify(reminder.variables[ENV.notifyTopicArns])).toContain('keep-informed');
    expect(JSON.stringify(reminder.variables[ENV.notifyTopicArns])).not.toContain('manage-closely');
  });

  it.each([
    ['AwsSolutions', new AwsSolutionsChecks()],
    ['Serverless', new ServerlessChecks()],
  ])('pass cdk-nag %s with every exception acknowledged and explained', (_name, pack) => {
    expect(findingsOf(pack, stack)).toEqual([]);
  });
});

describe('postmortems on AWS, when they stay local', () => {
  let stack: IncidentFlowStack;
  let template: Template;
  let outdir: string;

  beforeAll(() => {
    ({ stack, template, outdir } = synthesizeStack({ bundle: false }));
  }, 120_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('have no writer and no queue, and the processor enqueues nothing', () => {
    const processor = wiringOf(stack, template, stack.processing.processorFunction);
    const services = Object.values(
      template.findResources('AWS::Lambda::Function') as Record<
        string,
        { Properties: { Environment?: { Variables?: Record<string, unknown> } } }
      >,
    ).map((fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);

    expect(stack.postmortems).toBeUndefined();
    expect(services).not.toContain('postmortem-writer');
    expect(processor.variables[ENV.postmortemQueueUrl]).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::SQS::Queue')).join()).not.toMatch(/Postmortem/);
  });

  it('give no function the Notion secret', () => {
    const notionSecret = logicalId(stack.secrets.notion);

    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain(notionSecret);
    for (const fn of [stack.processing.processorFunction, stack.notifications.recheckFunction]) {
      expect(wiringOf(stack, template, fn).variables[ENV.notionSecretArn]).toBeUndefined();
    }
  });
});

describe('postmortems on AWS, where the account cannot reserve concurrency', () => {
  it('run the writer without reserved concurrency', () => {
    const { stack, template, outdir } = synthesizeStack({
      context: NOTION_POSTMORTEMS,
      deployment: { webhookReservedConcurrency: null },
      bundle: false,
    });
    try {
      if (!stack.postmortems) throw new Error('no postmortem writing with postmortem.notion set');
      expect(wiringOf(stack, template, stack.postmortems.writerFunction).reservedConcurrency).toBeUndefined();
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('postmortems on AWS, with secrets the team already has', () => {
  it('name the Notion and Jira secrets to the writer only, and pass cdk-nag', () => {
    const { stack, template, outdir } = synthesizeStack({
      context: NOTION_POSTMORTEMS,
      deployment: { existingSecrets: { jira: 'team/jira', notion: 'team/notion' } },
      bundle: false,
    });
    try {
      if (!stack.postmortems) throw new Error('no postmortem writing with postmortem.notion set');
      const writer = wiringOf(stack, template, stack.postmortems.writerFunction);
      const processor = wiringOf(stack, template, stack.processing.processorFunction);
      const findings = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
        findingsOf(pack, stack),
      );

      // A secret referenced by name has only a partial ARN; the functions get its exact name.
      expect(writer.variables[ENV.notionSecretArn]).toBe('team/notion');
      expect(writer.variables[ENV.jiraSecretArn]).toBe('team/jira');
      expect(processor.variables[ENV.notionSecretArn]).toBeUndefined();
      expect(processor.variables[ENV.jiraSecretArn]).toBeUndefined();
      expect(findings).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
