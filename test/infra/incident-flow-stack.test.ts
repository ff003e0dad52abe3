import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, TABLE } from '#shared/deployment-names.ts';
import type { IncidentFunction } from '../../infra/constructs/incident-function.ts';
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
    .sort();
}

describe('the event table', () => {
  it('is keyed, indexed and billed as local mode creates it', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: TABLE.byKeyIndex,
          KeySchema: [{ AttributeName: TABLE.byKeyAttribute, KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: TABLE.byOpeningIndex,
          KeySchema: [
            { AttributeName: TABLE.byOpeningPartition, KeyType: 'HASH' },
            { AttributeName: TABLE.byOpeningSort, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      AttributeDefinitions: Match.arrayEquals([
        { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.sortKey, AttributeType: 'S' },
        { AttributeName: TABLE.byKeyAttribute, AttributeType: 'S' },
        { AttributeName: TABLE.byOpeningPartition, AttributeType: 'S' },
        { AttributeName: TABLE.byOpeningSort, AttributeType: 'N' },
      ]),
    });
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
    const functions = [stack.ingest.webhookFunction, stack.processing.processorFunction];

    for (const fn of functions) {
      expect(functionProperties(fn).LoggingConfig).toEqual({
        LogGroup: { Ref: logicalId(fn.logGroup) },
      });
    }
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 3);
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
  it('routes POST /webhooks/jira to the webhook function', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /webhooks/jira' });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(stack.ingest.webhookFunction.function), 'Arn'] },
    });
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
      Environment: { Variables: { [ENV.webhookSecretArn]: { Ref: logicalId(stack.ingest.secret) } } },
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

  it('lets the processor put and query events, read the stream and send failures to its queue', () => {
    const actions = policyActionsOf(stack.processing.processorFunction);

    expect(actions).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
  });
});
