import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synthesizeStack } from './synthesize-stack.ts';

function smsCall(deployment: unknown): Record<string, unknown> {
  const { template, outdir } = synthesizeStack({ deployment, bundle: false });
  const [resource] = Object.values(template.findResources('Custom::AWS'));
  rmSync(outdir, { recursive: true, force: true });
  return JSON.parse(resource?.Properties.Create as string);
}

// Each test synthesizes the stack (the first with a cold aws-cdk-lib): over 20 s on a loaded machine.
describe('the SMS settings of the account', { timeout: 120_000 }, () => {
  it('make every text transactional, so pages are not dropped as promotional', () => {
    const call = smsCall(undefined);

    expect(call).toMatchObject({
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes: { DefaultSMSType: 'Transactional' } },
    });
    expect((call.parameters as { attributes: object }).attributes).not.toHaveProperty('MonthlySpendLimit');
  });

  it('set the monthly spend limit the deployer gives', () => {
    const call = smsCall({ smsMonthlySpendLimitUsd: 20 });

    expect(call).toMatchObject({
      parameters: { attributes: { DefaultSMSType: 'Transactional', MonthlySpendLimit: '20' } },
    });
  });
});
