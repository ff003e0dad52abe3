import { rmSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentFlowStack } from '../../infra/incident-flow-stack.ts';
import { synthesizeStack } from './synthesize-stack.ts';

let stack: IncidentFlowStack;
let template: Template;
const outdirs: string[] = [];

beforeAll(() => {
  const synthesized = synthesizeStack({ context: { ci: { projectKey: 'OPS' } }, bundle: false });
  ({ stack, template } = synthesized);
  outdirs.push(synthesized.outdir);
}, 120_000);

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

function findingsOf(pack: NagPack): string[] {
  return pack
    .validateScope(stack)
    .violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
}

describe('the CI intake', () => {
  it('routes POST /webhooks/github and POST /webhooks/gitlab to its function', () => {
    for (const path of ['/webhooks/github', '/webhooks/gitlab'])
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `POST ${path}` });
  });

  it('lets its function read and write the event table, read two secrets, write its logs, and nothing else', () => {
    const fn = stack.ci?.ciFunction.function;
    const roleId = fn ? Stack.of(fn).resolve(fn.role?.roleName) : undefined;

    const actions = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [roleId] } }),
    )
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .flatMap((statement: { Action: string | string[] }) => statement.Action);

    expect([...new Set(actions)].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          WEBHOOK_SECRET_ARN: Match.anyValue(),
          JIRA_SECRET_ARN: Match.anyValue(),
        }),
      },
    });
  });

  it.each([
    ['AwsSolutions', new AwsSolutionsChecks()],
    ['Serverless', new ServerlessChecks()],
  ])('passes cdk-nag %s', (_name, pack) => {
    expect(findingsOf(pack)).toEqual([]);
  });

  it('is left out while ci.projectKey names no Jira project', () => {
    const synthesized = synthesizeStack({ bundle: false });
    outdirs.push(synthesized.outdir);

    expect(synthesized.stack.ci).toBeUndefined();
    expect(JSON.stringify(synthesized.template.toJSON())).not.toContain('/webhooks/github');
  });
});
