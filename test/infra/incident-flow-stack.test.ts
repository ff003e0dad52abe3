import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTableDefinition } from '#shared/adapters/dynamo-table.ts';
import { ENV, TABLE } from '#shared/deployment-names.ts';
import { ALERT_PATHS } from '../../infra/constructs/alert-intake.ts';
import type { IncidentFunction } from '../../infra/constructs/incident-function.ts';
import { FUNCTION_SIZING } from '../../infra/function-sizing.ts';
import type { IncidentFlowStack } from '../../infra/incident-flow-stack.ts';
import { synthesizeStack } from './synthesize-stack.ts';

let stack: IncidentFlowStack;
let template: Template;
let outdir: string;

beforeAll(() => {
  ({ stack, template, outdir } = synthesizeStack({ context: { timeZone: 'Europe/Berlin' } }));
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The logical id of the construct's main CloudFormation resource. */
function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function functionProperties(fn: IncidentFunction): Record<string, unknown> {
  return template.toJSON().Resources[logicalId(fn.function)].Properties;
}

function policyActionsOf(fn: IncidentFunction): string[] {
  const roleId = Stack.of(fn).resolve(fn.function.role?.roleName);
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [roleId] } }),
  );
  return policies
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .flatMap((statement: { Action: string | string[] }) => statement.Action)
    .filter((action, index, actions) => actions.indexOf(action) === index)
    .sort();
}

describe('the event table', () => {
  it('is keyed, indexed and billed as local mode creates it', () => {
    const local = eventTableDefinition('local');

    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: local.KeySchema,
      BillingMode: local.BillingMode,
      GlobalSecondaryIndexes: local.GlobalSecondaryIndexes,
      AttributeDefinitions: Match.arrayEquals(local.AttributeDefinitions ?? []),
    });
    expect(local.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([
      TABLE.byKeyIndex,
      TABLE.byOpeningIndex,
      TABLE.byOpenedWeekIndex,
      TABLE.byResolvedWeekIndex,
      TABLE.byMonthIndex,
    ]);
  });

  it('streams only keys, recovers to a point in time and survives deletion of the stack', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');

    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      }),
    });
    expect(Object.keys(tables)).toHaveLength(1);
  });
});

describe('the functions', () => {
  it('run on nodejs24.x on arm64 with source maps enabled', () => {
    const functions = [stack.ingest.webhookFunction, stack.processing.processorFunction];

    for (const fn of functions) {
      expect(functionProperties(fn)).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
      });
    }
  });

  it('receive the validated settings and the table name', () => {
    const functions = [stack.ingest.webhookFunction, stack.processing.processorFunction];

    for (const fn of functions) {
      const variables = (functionProperties(fn).Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(JSON.parse(variables[ENV.settings] as string)).toMatchObject({
        timeZone: 'Europe/Berlin',
        board: { acknowledgeStage: 'declaration' },
      });
      expect(variables[ENV.tableName]).toEqual({
        Ref: logicalId(stack.events.table),
      });
    }
  });

  it('log to their own log group kept for a month', () => {
    const functions = [
      stack.ingest.webhookFunction,
      stack.ingest.deploymentFunction,
      stack.processing.processorFunction,
      stack.notifications.recheckFunction,
      stack.weeklyReport.job.jobFunction,
      stack.reconciliation.job.jobFunction,
      stack.alerts.intakeFunction,
    ];

    for (const fn of functions) {
      expect(functionProperties(fn).LoggingConfig).toEqual({
        LogGroup: { Ref: logicalId(fn.logGroup) },
      });
    }
    // One per function and the API's access log.
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, functions.length + 1);
  });

  it('are bundled as minified ESM with the require shim and the AWS SDK inside', () => {
    const functions = [stack.ingest.webhookFunction, stack.processing.processorFunction];

    for (const fn of functions) {
      const code = functionProperties(fn).Code as { S3Key: string };
      const assetDir = join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire } from 'node:module';")).toBe(true);
      expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//);
      const averageLineLength = bundle.length / bundle.split('\n').length;
      expect(averageLineLength).toBeGreaterThan(1_000);
      expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    }
  });
});

describe('the webhook ingest', () => {
  it('routes the Jira webhook, Jira Automation, deployments and alerts to their functions, and nothing else', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /webhooks/jira' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /webhooks/jira/automation',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /webhooks/deployment' });
    // The four alert routes are asserted in test/infra/alert-intake.test.ts.
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 3 + ALERT_PATHS.length);
    for (const fn of [
      stack.ingest.webhookFunction,
      stack.ingest.deploymentFunction,
      stack.alerts.intakeFunction,
    ]) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::GetAtt': [logicalId(fn.function), 'Arn'] },
      });
    }
  });

  it('lets the deployment function only put items, write its logs and read the webhook secret', () => {
    const actions = policyActionsOf(stack.ingest.deploymentFunction);

    expect(actions).toEqual([
      'dynamodb:PutItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
  });

  it('throttles the default stage and logs every request as JSON', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
  });

  it('keeps a generated webhook secret in the shape the function reads, even when the stack is deleted', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        Name: 'IncidentFlow/jira-webhook-secret',
        GenerateSecretString: {
          SecretStringTemplate: '{}',
          GenerateStringKey: 'current',
          ExcludePunctuation: true,
          PasswordLength: 48,
        },
      }),
    });
    expect(functionProperties(stack.ingest.webhookFunction)).toMatchObject({
      Environment: { Variables: { [ENV.webhookSecretArn]: { Ref: logicalId(stack.secrets.webhook) } } },
    });
  });

  it('outputs the webhook URL and the secret name, never the secret value', () => {
    const outputs = template.toJSON().Outputs;

    expect(JSON.stringify(outputs.WebhookUrl.Value)).toContain('/webhooks/jira');
    expect(outputs.WebhookSecretName.Value).toBe('IncidentFlow/jira-webhook-secret');
    expect(JSON.stringify(outputs)).not.toContain('SecretString');
  });

  it('lets the webhook function do only what it needs: write its logs, put and query events, read its secret', () => {
    const actions = policyActionsOf(stack.ingest.webhookFunction);

    expect(actions).toEqual([
      'dynamodb:PutItem',
      'dynamodb:Query',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });
});

describe('the incident processing', () => {
  it('reads the stream in small batches that one bad record cannot block for a day', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.processing.processorFunction.function) },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 25,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [logicalId(stack.processing.deadLetterQueue), 'Arn'],
          },
        },
      },
    });
  });

  it('hands new records to the processor with the next poll, without waiting to fill a batch', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.processing.processorFunction.function) },
      MaximumBatchingWindowInSeconds: 0,
    });
  });

  it('is woken only by inserted event items', () => {
    const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));

    const filters = mapping?.Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) =>
      JSON.parse(filter.Pattern),
    );

    expect(filters).toEqual([
      {
        eventName: ['INSERT'],
        dynamodb: { Keys: { [TABLE.sortKey]: { S: [{ prefix: TABLE.eventPrefix }] } } },
      },
    ]);
  });

  it('keeps failed records for 14 days in an encrypted queue that refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 60 * 60,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('the reconciler', () => {
  it('runs every hour in the team time zone, one run at a time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalId(stack.reconciliation.job.jobFunction.function), 'Arn'] },
      }),
    });
    expect(functionProperties(stack.reconciliation.job.jobFunction)).toMatchObject({
      ReservedConcurrentExecutions: 1,
      Timeout: 900,
    });
  });

  it('may read the Jira secret and read and append events, nothing more', () => {
    const variables = (
      functionProperties(stack.reconciliation.job.jobFunction).Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;

    expect(variables[ENV.jiraSecretArn]).toEqual({ Ref: logicalId(stack.secrets.jira) });
    expect(policyActionsOf(stack.reconciliation.job.jobFunction)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
  });

  it('turns its log line into repair metrics and alarms when runs repair on three or more a day', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logicalId(stack.reconciliation.job.jobFunction.logGroup) },
      FilterPattern: '{ ($.message = "reconciled") && ($.eventsAdded >= 0) }',
      MetricTransformations: [
        Match.objectLike({ MetricName: 'ReconcilerEventsRepaired', MetricValue: '$.eventsAdded' }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReconcilerRepairingRuns',
      Namespace: 'IncidentFlow',
      Statistic: 'Sum',
      Period: 86_400,
      Threshold: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: logicalId(stack.ops.topic) }],
    });
  });

  it('counts the runs that could not finish from its log, and alarms the ops topic on the first one', () => {
    const topic = { Ref: logicalId(stack.ops.topic) };

    const filters = Object.values(
      template.findResources('AWS::Logs::MetricFilter', {
        Properties: { MetricTransformations: [Match.objectLike({ MetricName: 'ReconcilerUnfinishedRuns' })] },
      }),
    );
    const alarms = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'ReconcilerUnfinishedRuns' },
      }),
    );

    expect(filters.map((filter) => filter.Properties)).toEqual([
      {
        LogGroupName: { Ref: logicalId(stack.reconciliation.job.jobFunction.logGroup) },
        FilterPattern: '{ $.unfinished = 1 }',
        MetricTransformations: [
          {
            MetricNamespace: 'IncidentFlow',
            MetricName: 'ReconcilerUnfinishedRuns',
            MetricValue: '1',
            DefaultValue: 0,
          },
        ],
      },
    ]);
    expect(alarms.map((alarm) => alarm.Properties)).toEqual([
      expect.objectContaining({
        Namespace: 'IncidentFlow',
        Statistic: 'Sum',
        // One schedule period (hourly by default): the alarm stays up until a run finishes.
        Period: 3_600,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic],
        OKActions: [topic],
        AlarmDescription: expect.stringMatching(/reconciler could not finish/),
      }),
    ]);
    expect(alarms[0]?.Properties).not.toHaveProperty('Dimensions');
  });
});

describe('the weekly report', () => {
  it('runs Mondays at 09:00 in the team time zone, at the exact minute', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalId(stack.weeklyReport.job.jobFunction.function), 'Arn'] },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
        DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
      }),
    });
  });

  it('publishes to an encrypted topic that refuses plain HTTP, named in the environment', () => {
    const variables = (
      functionProperties(stack.weeklyReport.job.jobFunction).Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;

    expect(variables[ENV.reportTopicArn]).toEqual({ Ref: logicalId(stack.weeklyReport.topic) });
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Incident Flow weekly report',
      KmsMasterKeyId: Match.anyValue(),
    });
  });

  it('lets the report read weeks and summaries, store summaries and its ledger, and publish to its topic only', () => {
    const actions = policyActionsOf(stack.weeklyReport.job.jobFunction);

    expect(actions.filter((action) => !action.startsWith('logs:') && !action.startsWith('sqs:'))).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'kms:Decrypt',
      'kms:GenerateDataKey*',
      'sns:Publish',
    ]);
  });

  it('subscribes no reader by default and each address given at deploy time', () => {
    const withReaders = synthesizeStack({
      deployment: { reportEmails: ['reader@example.com'] },
      bundle: false,
    });

    withReaders.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'reader@example.com',
      TopicArn: {
        Ref: withReaders.stack.getLogicalId(
          withReaders.stack.weeklyReport.topic.node.defaultChild as CfnElement,
        ),
      },
    });
    rmSync(withReaders.outdir, { recursive: true, force: true });
  });
});

describe('the secrets', () => {
  it.each([
    ['IncidentFlow/jira-api', { email: '', apiToken: '', site: '' }],
    ['IncidentFlow/notion-api', { token: '' }],
  ])(
    'creates %s empty, in the shape the team fills, and keeps it when the stack is deleted',
    (name, shape) => {
      const [secret] = Object.values(
        template.findResources('AWS::SecretsManager::Secret', { Properties: { Name: name } }),
      );

      expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(JSON.parse(secret?.Properties.SecretString)).toEqual(shape);
    },
  );

  it('outputs the name of every secret the team fills', () => {
    const outputs = template.toJSON().Outputs;

    expect(outputs.JiraSecretName.Value).toBe('IncidentFlow/jira-api');
    expect(outputs.NotionSecretName.Value).toBe('IncidentFlow/notion-api');
  });

  it('hands no function a secret it does not use, and no function a secret value', () => {
    const variables = [stack.ingest.webhookFunction, stack.processing.processorFunction].map((fn) =>
      JSON.stringify((functionProperties(fn).Environment as { Variables: unknown }).Variables),
    );
    const reconcilerRole = logicalId(stack.reconciliation.job.jobFunction.function.role as never);
    const alertIntakeRole = logicalId(stack.alerts.intakeFunction.function.role as never);
    const allPolicies = Object.values(template.findResources('AWS::IAM::Policy'));
    const isReconcilers = (policy: Record<string, { Roles?: unknown }>) =>
      JSON.stringify(policy.Properties?.Roles).includes(reconcilerRole);
    const isAlertIntakes = (policy: Record<string, { Roles?: unknown }>) =>
      JSON.stringify(policy.Properties?.Roles).includes(alertIntakeRole);
    const policies = JSON.stringify(
      allPolicies.filter((policy) => !isReconcilers(policy) && !isAlertIntakes(policy)),
    );
    const reconcilerPolicy = JSON.stringify(allPolicies.filter(isReconcilers));

    for (const secret of [stack.secrets.jira, stack.secrets.notion]) {
      expect(variables.join()).not.toContain(logicalId(secret));
      expect(policies).not.toContain(logicalId(secret));
    }
    // The reconciler reads Jira, and nothing else secret.
    expect(reconcilerPolicy).toContain(logicalId(stack.secrets.jira));
    expect(reconcilerPolicy).not.toContain(logicalId(stack.secrets.notion));
    expect(reconcilerPolicy).not.toContain(logicalId(stack.secrets.webhook));
    expect(variables.join()).not.toMatch(/apiToken|"current"|SecretString/);
    expect(variables[1]).not.toContain(logicalId(stack.secrets.webhook));
  });
});

describe('sizing and concurrency', () => {
  it('gives each function the memory and timeout its measurement chose', () => {
    expect(functionProperties(stack.ingest.webhookFunction)).toMatchObject({
      MemorySize: FUNCTION_SIZING['jira-webhook'].memorySizeMb,
      Timeout: FUNCTION_SIZING['jira-webhook'].timeoutSeconds,
    });
    expect(functionProperties(stack.processing.processorFunction)).toMatchObject({
      MemorySize: FUNCTION_SIZING['incident-processor'].memorySizeMb,
      Timeout: FUNCTION_SIZING['incident-processor'].timeoutSeconds,
    });
  });

  it('caps the webhook at 10 concurrent runs and leaves the stream to pace the processor', () => {
    expect(functionProperties(stack.ingest.webhookFunction).ReservedConcurrentExecutions).toBe(10);
    expect(
      functionProperties(stack.processing.processorFunction).ReservedConcurrentExecutions,
    ).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ParallelizationFactor: Match.absent(),
    });
  });
});

describe('the ops monitoring', () => {
  function alarmOn(metricName: string, dimension: IConstruct) {
    const alarms = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }),
    );
    return alarms.find((alarm) => JSON.stringify(alarm.Properties.Dimensions).includes(logicalId(dimension)))
      ?.Properties;
  }

  it('alarms on any error or throttle of either function', () => {
    for (const fn of [stack.ingest.webhookFunction, stack.processing.processorFunction]) {
      for (const metricName of ['Errors', 'Throttles']) {
        expect(alarmOn(metricName, fn.function)).toMatchObject({
          Statistic: 'Sum',
          Period: 300,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        });
      }
    }
  });

  it('alarms when a record reaches the dead-letter queue or waits over 5 minutes on the stream', () => {
    expect(alarmOn('ApproximateNumberOfMessagesVisible', stack.processing.deadLetterQueue)).toMatchObject({
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarmOn('IteratorAge', stack.processing.processorFunction.function)).toMatchObject({
      Statistic: 'Maximum',
      Threshold: 300_000,
    });
  });

  it('sends every alarm and its recovery to the ops topic', () => {
    const topic = { Ref: logicalId(stack.ops.topic) };
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

    // Errors and throttles of seven functions, five dead-letter queues, the iterator age, and the
    // reconciler repairing often.
    expect(alarms).toHaveLength(22);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
    }
  });

  it('encrypts the ops topic with a rotated key CloudWatch may use, and refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('TopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes no one unless an ops email is given', () => {
    template.resourcePropertiesCountIs(
      'AWS::SNS::Subscription',
      { TopicArn: { Ref: logicalId(stack.ops.topic) } },
      0,
    );
  });

  it('charts webhook rate, processing latency and pending work', () => {
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));

    expect(body).toMatch(/Webhook rate.*AWS\/ApiGateway.*Count/);
    expect(body).toMatch(/Processing latency.*AWS\/Lambda.*Duration/);
    expect(body).toMatch(/Pending.*ApproximateNumberOfMessagesVisible/);
  });
});
