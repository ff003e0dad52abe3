import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#shared/deployment-names.ts';
import type { Directory } from '#shared/domain/stakeholder-directory.ts';
import type { IncidentFunction } from '../../infra/constructs/incident-function.ts';
import { NOTIFYING_GROUPS, severitiesFrom } from '../../infra/constructs/stakeholder-notifications.ts';
import { FUNCTION_SIZING } from '../../infra/function-sizing.ts';
import type { IncidentFlowStack } from '../../infra/incident-flow-stack.ts';
import { type SynthesizedStack, synthesizeStack } from './synthesize-stack.ts';

const scratch = mkdtempSync(join(tmpdir(), 'incident-flow-directory-'));
const outdirs: string[] = [];

function synth(options: { context?: unknown; deployment?: unknown } = {}): SynthesizedStack {
  const synthesized = synthesizeStack({ ...options, bundle: false });
  outdirs.push(synthesized.outdir);
  return synthesized;
}

/** A directory file as the deployer keeps it outside the repo; fictional contacts only. */
function directoryFile(name: string, content: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const DIRECTORY: Directory = {
  members: [
    {
      name: 'Alex Exec',
      email: 'alex@example.com',
      phone: '+15555550111',
      groups: ['manage-closely'],
      smsMinSeverity: 'SEV2',
    },
    { name: 'Blair Buyer', email: 'blair@example.com', groups: ['keep-satisfied', 'keep-informed'] },
    { name: 'Cam Coder', phone: '+15555550113', groups: ['keep-informed'] },
    { name: 'Dana Watcher', email: 'dana@example.com', groups: ['monitor'] },
  ],
  componentLeads: {},
};

let stack: IncidentFlowStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synth());
}, 120_000);

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function variablesOf(synthesized: Template, fn: IncidentFunction): Record<string, unknown> {
  return synthesized.toJSON().Resources[logicalId(fn.function)].Properties.Environment.Variables;
}

function statementsOf(synthesized: Template, fn: IncidentFunction) {
  const roleId = Stack.of(fn).resolve(fn.function.role?.roleName);
  return Object.values(synthesized.findResources('AWS::IAM::Policy', { Properties: { Roles: [roleId] } }))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .map((statement: { Action: string | string[]; Resource: unknown }) => ({
      actions: [statement.Action].flat().sort(),
      resource: statement.Resource,
    }));
}

function policyActionsOf(synthesized: Template, fn: IncidentFunction): string[] {
  return [...new Set(statementsOf(synthesized, fn).flatMap((statement) => statement.actions))].sort();
}

function nagFindings(synthesized: IncidentFlowStack): string[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()]
    .flatMap((pack) => pack.validateScope(synthesized).violations)
    .flatMap((violation) =>
      violation.violatingResources.map((r) => `${violation.ruleName} ${r.constructPath}`),
    );
}

describe('the group topics', () => {
  it('are one per notifying group, encrypted with a rotated key of their own, refusing plain HTTP', () => {
    const topics = Object.values(stack.notifications.topics);
    const key = Object.keys(
      template.findResources('AWS::KMS::Key', {
        Properties: { Description: 'Incident Flow: encrypts the stakeholder notification topics' },
      }),
    );

    expect(Object.keys(stack.notifications.topics)).toEqual([
      'manage-closely',
      'keep-satisfied',
      'keep-informed',
    ]);
    expect(key).toHaveLength(1);
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Incident Flow: encrypts the stakeholder notification topics',
      EnableKeyRotation: true,
    });
    for (const topic of topics) {
      expect(template.toJSON().Resources[logicalId(topic)].Properties).toEqual({
        KmsMasterKeyId: { 'Fn::GetAtt': [key[0], 'Arn'] },
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: logicalId(topic) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('outputs each topic ARN for subscribing by hand', () => {
    const outputs = template.toJSON().Outputs;

    expect(outputs.NotifyTopicArnManageClosely.Value).toEqual({
      Ref: logicalId(stack.notifications.topics['manage-closely']),
    });
    expect(outputs.NotifyTopicArnKeepSatisfied.Value).toEqual({
      Ref: logicalId(stack.notifications.topics['keep-satisfied']),
    });
    expect(outputs.NotifyTopicArnKeepInformed.Value).toEqual({
      Ref: logicalId(stack.notifications.topics['keep-informed']),
    });
  });
});

describe('subscriptions from the directory file', () => {
  it.each([
    ['SEV1', ['SEV1']],
    ['SEV2', ['SEV1', 'SEV2']],
    ['SEV4', ['SEV1', 'SEV2', 'SEV3', 'SEV4']],
  ] as const)('texts a member whose minimum is %s about %j', (minimum, severities) => {
    expect(severitiesFrom(minimum)).toEqual(severities);
  });

  // The alarm-intake topic's Lambda subscription is the alert intake's (test/infra/alert-intake.test.ts).
  const notifying = { Protocol: Match.not('lambda') };

  it('subscribes no one without a directory file', () => {
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', notifying, 0);
  });

  it("subscribes each member's email and phone to each of their groups' topics, monitor to none", () => {
    const file = directoryFile('directory.json', DIRECTORY);

    const { stack: withDirectory, template: subscribed } = synth({ deployment: { directoryFile: file } });

    const topic = (group: (typeof NOTIFYING_GROUPS)[number]) => ({
      Ref: logicalId(withDirectory.notifications.topics[group]),
    });
    const expected = [
      ['email', 'alex@example.com', 'manage-closely'],
      ['sms', '+15555550111', 'manage-closely'],
      ['email', 'blair@example.com', 'keep-satisfied'],
      ['email', 'blair@example.com', 'keep-informed'],
      ['sms', '+15555550113', 'keep-informed'],
    ] as const;
    for (const [protocol, endpoint, group] of expected) {
      subscribed.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: protocol,
        Endpoint: endpoint,
        TopicArn: topic(group),
      });
    }
    subscribed.resourcePropertiesCountIs('AWS::SNS::Subscription', notifying, expected.length);
    expect(JSON.stringify(subscribed.toJSON())).not.toContain('dana@example.com');
  });

  it('filters the SMS of a member who wants only the worst incidents on the severity attribute', () => {
    const file = directoryFile('directory-filters.json', DIRECTORY);

    const { template: subscribed } = synth({ deployment: { directoryFile: file } });

    subscribed.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      Endpoint: '+15555550111',
      FilterPolicy: { severity: ['SEV1', 'SEV2'] },
    });
    subscribed.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      Endpoint: '+15555550113',
      FilterPolicy: Match.absent(),
    });
    subscribed.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'alex@example.com',
      FilterPolicy: Match.absent(),
    });
  });

  it('keeps what SNS could not deliver to a member in a dead-letter queue that alarms', () => {
    const file = directoryFile('directory-redrive.json', DIRECTORY);

    const { stack: withDirectory, template: subscribed } = synth({ deployment: { directoryFile: file } });

    const queue = withDirectory.notifications.subscriptionDeadLetterQueue;
    expect(queue).toBeDefined();
    const queueId = logicalId(queue as IConstruct);
    const members = Object.values(
      subscribed.findResources('AWS::SNS::Subscription', { Properties: notifying }),
    );
    for (const member of members)
      expect(member.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      });
    subscribed.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sqs:SendMessage', Principal: { Service: 'sns.amazonaws.com' } }),
        ]),
      },
    });
    subscribed.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
    });
    expect(stack.notifications.subscriptionDeadLetterQueue).toBeUndefined();
  });

  it('stops synth naming the option and the field of a bad member, never the contact', () => {
    const file = directoryFile('bad-directory.json', {
      members: [{ name: 'Eli', phone: '555-0199', groups: ['manage-closely'] }],
    });

    const bad = () => synth({ deployment: { directoryFile: file } });

    expect(bad).toThrow(/incidentFlowDeployment"\.directoryFile/);
    expect(bad).toThrow(/members\[0\]\.phone/);
    expect(bad).not.toThrow(/555-0199/);
  });

  it('stops synth when the directory file is missing or not JSON, quoting none of it', () => {
    const notJson = directoryFile(
      'not-json.json',
      '{"members": [{"name": "Fay", "email": fay@example.com}]}',
    );

    const missing = () => synth({ deployment: { directoryFile: join(scratch, 'nowhere.json') } });
    const garbled = () => synth({ deployment: { directoryFile: notJson } });

    expect(missing).toThrow(/directoryFile .*nowhere\.json\) cannot be read: ENOENT/);
    expect(garbled).toThrow(/directoryFile .* is not valid JSON$/);
    expect(garbled).not.toThrow(/fay/);
  });

  it('passes cdk-nag with subscriptions', () => {
    const file = directoryFile('directory-nag.json', DIRECTORY);

    const { stack: withDirectory } = synth({ deployment: { directoryFile: file } });

    expect(nagFindings(withDirectory)).toEqual([]);
  });
});

describe('the recheck queue and function', () => {
  it('redrives a message that failed three times to a dead-letter queue kept 14 days', () => {
    const { recheckQueue, deadLetterQueue } = stack.notifications;
    const resources = template.toJSON().Resources;

    expect(resources[logicalId(recheckQueue)].Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        maxReceiveCount: 3,
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'Arn'] },
      },
    });
    expect(resources[logicalId(deadLetterQueue)].Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 60 * 60,
    });
    for (const queue of [recheckQueue, deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('hides a message in flight for at least six runs of the function, as Lambda advises', () => {
    const resources = template.toJSON().Resources;

    const visibilitySeconds =
      resources[logicalId(stack.notifications.recheckQueue)].Properties.VisibilityTimeout;
    const timeoutSeconds =
      resources[logicalId(stack.notifications.recheckFunction.function)].Properties.Timeout;

    expect(timeoutSeconds).toBe(FUNCTION_SIZING['incident-recheck'].timeoutSeconds);
    expect(visibilitySeconds).toBeGreaterThanOrEqual(6 * timeoutSeconds);
  });

  it('feeds the recheck function batches of 10, retrying only the messages that failed', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.notifications.recheckFunction.function) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.notifications.recheckQueue), 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it("runs the incident-recheck function with the settings, the table and the processor's table access", () => {
    const variables = variablesOf(template, stack.notifications.recheckFunction);

    expect(variables.POWERTOOLS_SERVICE_NAME).toBe('incident-recheck');
    expect(variables[ENV.settings]).toEqual(expect.any(String));
    expect(variables[ENV.tableName]).toEqual({ Ref: logicalId(stack.events.table) });
  });

  it('alarms on errors and throttles of the function and on any message in the dead-letter queue', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties,
    );
    const on = (metricName: string, construct: IConstruct) =>
      alarms.find(
        (alarm) =>
          alarm.MetricName === metricName && JSON.stringify(alarm.Dimensions).includes(logicalId(construct)),
      );

    expect(on('Errors', stack.notifications.recheckFunction.function)).toMatchObject({ Threshold: 0 });
    expect(on('Throttles', stack.notifications.recheckFunction.function)).toMatchObject({ Threshold: 0 });
    expect(on('ApproximateNumberOfMessagesVisible', stack.notifications.deadLetterQueue)).toMatchObject({
      Statistic: 'Maximum',
      Threshold: 0,
    });
  });
});

describe('functions that notify', () => {
  it('name the group topics and the recheck queue in their environment', () => {
    for (const fn of [stack.processing.processorFunction, stack.notifications.recheckFunction]) {
      const variables = variablesOf(template, fn);
      const arnsJson = Stack.of(fn).resolve(variables[ENV.notifyTopicArns]) as {
        'Fn::Join': [string, unknown[]];
      };
      const text = arnsJson['Fn::Join'][1]
        .map((part) => (typeof part === 'string' ? part : `arn:aws:sns:::${(part as { Ref: string }).Ref}`))
        .join('');

      expect(JSON.parse(text)).toEqual(
        Object.fromEntries(
          NOTIFYING_GROUPS.map((group) => [
            group,
            `arn:aws:sns:::${logicalId(stack.notifications.topics[group])}`,
          ]),
        ),
      );
      expect(variables[ENV.recheckQueueUrl]).toEqual({ Ref: logicalId(stack.notifications.recheckQueue) });
    }
  });

  it('let the processor also publish to the topics, page phone numbers and schedule rechecks', () => {
    const actions = policyActionsOf(template, stack.processing.processorFunction);

    expect(actions).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'kms:Decrypt',
      'kms:GenerateDataKey*',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sns:CheckIfPhoneNumberIsOptedOut',
      'sns:Publish',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
  });

  it('let the recheck function fold incidents, consume and re-enqueue rechecks, and notify', () => {
    const actions = policyActionsOf(template, stack.notifications.recheckFunction);

    expect(actions).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'kms:Decrypt',
      'kms:GenerateDataKey*',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sns:CheckIfPhoneNumberIsOptedOut',
      'sns:Publish',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
    ]);
  });

  it('publish to the group topics by ARN, and to anything else only for direct SMS pages', () => {
    const statements = statementsOf(template, stack.processing.processorFunction);

    const publishing = statements.filter((statement) => statement.actions.includes('sns:Publish'));

    expect(publishing).toEqual(
      expect.arrayContaining([
        { actions: ['sns:CheckIfPhoneNumberIsOptedOut', 'sns:Publish'], resource: '*' },
        ...NOTIFYING_GROUPS.map((group) => ({
          actions: ['sns:Publish'],
          resource: { Ref: logicalId(stack.notifications.topics[group]) },
        })),
      ]),
    );
    expect(publishing).toHaveLength(NOTIFYING_GROUPS.length + 1);
  });

  it('read a directory in SSM with GetParameter on that parameter only', () => {
    const { stack: withSsm, template: ssm } = synth({
      context: { notifications: { directory: { ssmParameter: '/incident-flow/directory' } } },
    });

    for (const fn of [withSsm.processing.processorFunction, withSsm.notifications.recheckFunction]) {
      const reads = statementsOf(ssm, fn).filter((statement) =>
        statement.actions.includes('ssm:GetParameter'),
      );
      expect(reads).toHaveLength(1);
      expect(reads[0]?.actions).toEqual(['ssm:GetParameter']);
      expect(JSON.stringify(reads[0]?.resource)).toMatch(/:parameter\/incident-flow\/directory"/);
    }
    expect(nagFindings(withSsm)).toEqual([]);
  });

  it('read a directory in Secrets Manager from that secret only', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:incident-flow/directory-AbCdEf';

    const { stack: withSecret, template: secret } = synth({
      context: { notifications: { directory: { secretArn: arn } } },
    });

    for (const fn of [withSecret.processing.processorFunction, withSecret.notifications.recheckFunction]) {
      const reads = statementsOf(secret, fn).filter((statement) =>
        statement.actions.some((action) => action.startsWith('secretsmanager:')),
      );
      expect(reads).toEqual([
        { actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], resource: arn },
      ]);
    }
    expect(nagFindings(withSecret)).toEqual([]);
  });

  it('stop synth when the directory is a file, which only local mode reads', () => {
    const local = () => synth({ context: { notifications: { directory: { file: './directory.json' } } } });

    expect(local).toThrow(/notifications\.directory: on AWS use \{"ssmParameter"\} or \{"secretArn"\}/);
  });
});
