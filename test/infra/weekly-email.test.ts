import { rmSync } from 'node:fs';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#shared/deployment-names.ts';
import { type SynthesizedStack, synthesizeStack } from './synthesize-stack.ts';

const email = { from: 'reports@example.com', to: ['reader@example.com'] };
let synthesized: SynthesizedStack;

beforeAll(() => {
  synthesized = synthesizeStack({ context: { report: { email } }, bundle: false });
}, 120_000);

afterAll(() => rmSync(synthesized.outdir, { recursive: true, force: true }));

/** The SES statements of the weekly-report function's policies, resolved. */
function sesStatements(stack: SynthesizedStack) {
  const fn = stack.stack.weeklyReport.job.jobFunction.function;
  const roleId = Stack.of(fn).resolve(fn.role?.roleName);
  return Object.values(stack.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [roleId] } }))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((statement: { Action: string | string[] }) =>
      [statement.Action].flat().some((a) => a.startsWith('ses:')),
    );
}

/** An identity ARN as CloudFormation writes it, in the stack's own partition, region and account. */
const identityArn = (identity: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ses:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:identity/${identity}`,
    ],
  ],
});

describe('the weekly HTML email through SES', () => {
  it("lets the weekly report send as the sender's domain identity, and as nothing else", () => {
    const statements = sesStatements(synthesized);

    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: identityArn('example.com'),
      },
    ]);
  });

  it('grants the address identity instead where the settings name it', () => {
    const byAddress = synthesizeStack({
      context: { report: { email: { ...email, identity: 'reports@example.com' } } },
      bundle: false,
    });

    const statements = sesStatements(byAddress);

    expect(statements.map((statement: { Resource: unknown }) => statement.Resource)).toEqual([
      identityArn('reports@example.com'),
    ]);
    rmSync(byAddress.outdir, { recursive: true, force: true });
  });

  it('hands the sender and readers to the function in its settings, never as a stack output', () => {
    const fn = synthesized.stack.weeklyReport.job.jobFunction.function;
    const properties =
      synthesized.template.toJSON().Resources[Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement)]
        .Properties;

    const settings = JSON.parse(properties.Environment.Variables[ENV.settings]);

    expect(settings.report.email).toEqual(email);
    expect(JSON.stringify(synthesized.template.toJSON().Outputs ?? {})).not.toContain('reader@example.com');
  });

  it.each([
    ['AwsSolutions', new AwsSolutionsChecks()],
    ['Serverless', new ServerlessChecks()],
  ])('stays clean under cdk-nag %s with the grant in place', (_name, pack) => {
    const findings = pack
      .validateScope(synthesized.stack)
      .violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
      );

    expect(findings).toEqual([]);
  });
});
