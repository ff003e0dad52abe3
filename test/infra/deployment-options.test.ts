import { rmSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { deploymentOptionsForSynth } from '../../infra/deployment-options.ts';
import { type SynthesizedStack, synthesizeStack } from './synthesize-stack.ts';

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

function synth(deployment: unknown): SynthesizedStack {
  const synthesized = synthesizeStack({ deployment, bundle: false });
  outdirs.push(synthesized.outdir);
  return synthesized;
}

describe('deploymentOptionsForSynth', () => {
  it('caps the webhook at 10, creates every secret and subscribes no one by default', () => {
    expect(deploymentOptionsForSynth(undefined)).toEqual({
      existingSecrets: {},
      reportEmails: [],
      webhookReservedConcurrency: 10,
    });
  });

  it('reads JSON text, as `cdk -c key=value` passes it', () => {
    const options = deploymentOptionsForSynth(
      '{"opsEmail":"ops@example.com","webhookReservedConcurrency":null}',
    );

    expect(options).toMatchObject({ opsEmail: 'ops@example.com', webhookReservedConcurrency: null });
  });

  it('stops synth naming every bad key at once', () => {
    const bad = () =>
      deploymentOptionsForSynth({ opsEmail: 'not-an-email', webhookReservedConcurrency: 0, x: 1 });

    expect(bad).toThrow(/incidentFlowDeployment/);
    expect(bad).toThrow(/opsEmail/);
    expect(bad).toThrow(/webhookReservedConcurrency/);
    expect(bad).toThrow(/Unrecognized key: "x"/);
  });
});

// Each test synthesizes the stack (the first with a cold aws-cdk-lib): over 20 s on a loaded machine.
describe('the stack with deployment options', { timeout: 120_000 }, () => {
  it('subscribes the ops email to the alarm topic', () => {
    const { template, stack } = synth({ opsEmail: 'ops@example.com' });

    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: stack.getLogicalId(stack.ops.topic.node.defaultChild as never) },
    });
  });

  it('references secrets the team already has by name, creating none of them, granting only what is used', () => {
    const { template, stack } = synth({
      existingSecrets: { webhook: 'team/jira-webhook', jira: 'team/jira', notion: 'team/notion' },
    });

    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(template.toJSON().Outputs.WebhookSecretName.Value).toBe('team/jira-webhook');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ WEBHOOK_SECRET_ARN: 'team/jira-webhook' }) },
    });
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('secret:team/jira-webhook-??????');
    // Only the reconciler and the alert intake read Jira (postmortems are off without a Notion database).
    expect(policies.split('secret:team/jira-??????').length - 1).toBe(2);
    expect(
      JSON.stringify(
        template.findResources('AWS::IAM::Policy', {
          Properties: { PolicyName: Match.stringLikeRegexp('^Reconciler') },
        }),
      ),
    ).toContain('secret:team/jira-??????');
    expect(policies).not.toContain('team/notion');
    const findings = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap(
      (pack) => pack.validateScope(stack).violations,
    );
    expect(findings.map((finding) => finding.ruleName)).toEqual([]);
  });

  it('reserves no concurrency for any function when the account cannot reserve any', () => {
    const { template } = synth({ webhookReservedConcurrency: null });

    template.allResourcesProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: Match.absent(),
    });
  });
});
