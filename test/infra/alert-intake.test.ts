import { rmSync } from 'node:fs';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#shared/deployment-names.ts';
import { ALERT_PATHS } from '../../infra/constructs/alert-intake.ts';
import { TABLE_ACCESS } from '../../infra/constructs/event-table.ts';
import type { IncidentFlowStack } from '../../infra/incident-flow-stack.ts';
import { synthesizeStack } from './synthesize-stack.ts';

let stack: IncidentFlowStack;
let template: Template;
let outdir: string;

beforeAll(() => {
  ({ stack, template, outdir } = synthesizeStack({ bundle: false }));
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

function statementsOfIntake() {
  const fn = stack.alerts.intakeFunction.function;
  const roleId = Stack.of(fn).resolve(fn.role?.roleName);
  return Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [roleId] } }))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .map((statement: { Action: string | string[]; Resource: unknown }) => ({
      actions: [statement.Action].flat().sort(),
      resource: JSON.stringify(statement.Resource),
    }));
}

describe('the alert intake on AWS', () => {
  it("routes each tool's POST to the alert-intake function on the HTTP API", () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey,
    );

    expect(routes).toEqual(expect.arrayContaining(ALERT_PATHS.map((path) => `POST ${path}`)));
  });

  it('may only keep its own rows in the table, read the webhook and Jira secrets, and nothing of Notion', () => {
    const statements = statementsOfIntake();
    const actions = [...new Set(statements.flatMap((statement) => statement.actions))];

    const tableActions = actions.filter((action) => action.startsWith('dynamodb:')).sort();
    expect(tableActions).toEqual([...TABLE_ACCESS.alerts].sort());
    expect(actions.filter((action) => action.startsWith('secretsmanager:'))).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    const secretStatements = statements.filter((statement) =>
      statement.actions.includes('secretsmanager:GetSecretValue'),
    );
    expect(secretStatements.map((statement) => statement.resource).join()).not.toMatch(/Notion/i);
    expect(actions.some((action) => action === '*' || action.endsWith(':*'))).toBe(false);
    const variables =
      template.toJSON().Resources[logicalId(stack.alerts.intakeFunction.function)].Properties.Environment
        .Variables;
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining([ENV.tableName, ENV.webhookSecretArn, ENV.jiraSecretArn]),
    );
    expect(Object.keys(variables)).not.toContain(ENV.notionSecretArn);
  });

  it('takes deliveries one at a time, so two for the same new alert never open two incidents', () => {
    const fn = template.toJSON().Resources[logicalId(stack.alerts.intakeFunction.function)];

    expect(fn.Properties.ReservedConcurrentExecutions).toBe(1);
  });

  it('subscribes the function to a KMS-encrypted alarm topic only CloudWatch alarms of the account may publish to', () => {
    const topicId = logicalId(stack.alerts.topic);

    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    expect(template.toJSON().Resources[topicId].Properties.KmsMasterKeyId).toBeDefined();
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topicId },
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
  });

  it("alarms on the function's errors and on alarms the subscription could not deliver", () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties.AlarmDescription as string,
    );

    expect(alarms).toContain('The AlertIntake function failed; see its log group for the error.');
    expect(alarms.some((description) => /AlarmTopic/.test(description))).toBe(true);
  });
});
