import { rmSync } from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ENV } from '#shared/deployment-names.ts';
import { synthesizeStack } from './synthesize-stack.ts';

function processorOf(context: unknown) {
  const { stack, template, outdir } = synthesizeStack({ context, bundle: false });
  const fn = stack.processing.processorFunction.function;
  const properties =
    template.toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as CfnElement)].Properties;
  const notionSecret = stack.getLogicalId(stack.secrets.notion.node.defaultChild as CfnElement);
  const jiraSecret = stack.getLogicalId(stack.secrets.jira.node.defaultChild as CfnElement);
  const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
  rmSync(outdir, { recursive: true, force: true });
  return {
    variables: properties.Environment.Variables as Record<string, unknown>,
    notionSecret,
    jiraSecret,
    policies,
  };
}

describe('postmortems on AWS', () => {
  it('let the processor read the Notion secret when the team names a postmortem database', () => {
    const { variables, notionSecret, policies } = processorOf({
      postmortem: { notion: { databaseId: 'e8a73c8a58db4ab7b0d2690d24025a01' } },
    });

    expect(variables[ENV.notionSecretArn]).toEqual({ Ref: notionSecret });
    expect(policies).toContain(notionSecret);
  });

  it('give no function the Notion secret when postmortems stay local', () => {
    const { variables, notionSecret, policies } = processorOf(undefined);

    expect(variables[ENV.notionSecretArn]).toBeUndefined();
    expect(policies).not.toContain(notionSecret);
  });
});
