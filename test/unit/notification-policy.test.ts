import { describe, expect, it } from 'vitest';
import { SEVERITIES, type Severity } from '#shared/domain/lifecycle.ts';
import {
  DEFAULT_POLICY,
  GROUPS,
  type Group,
  rulesFiring,
  TRIGGERS,
  type Trigger,
} from '#shared/domain/notification-policy.ts';

// The stakeholder table of docs/architecture.md, written out case by case.
function toldByDesign(group: Group, trigger: Trigger, severity: Severity | null): boolean {
  switch (group) {
    case 'manage-closely':
      return (
        trigger === 'declaration' ||
        trigger === 'severity-change' ||
        trigger === 'resolution' ||
        (trigger === 'stage-change' && (severity === 'SEV1' || severity === 'SEV2'))
      );
    case 'keep-satisfied':
      return trigger === 'declaration' || trigger === 'mitigation' || trigger === 'resolution';
    case 'keep-informed':
      return trigger === 'stage-change';
    case 'monitor':
      return false;
    default:
      return group satisfies never;
  }
}

const cases = GROUPS.flatMap((group) =>
  TRIGGERS.flatMap((trigger) =>
    [...SEVERITIES, null].map((severity) => ({
      group,
      trigger,
      severity,
      told: toldByDesign(group, trigger, severity),
    })),
  ),
);

describe('DEFAULT_POLICY', () => {
  it.each(cases)(
    'tells $group on $trigger of a $severity incident: $told',
    ({ group, trigger, severity, told }) => {
      const fired = rulesFiring(DEFAULT_POLICY[group], trigger, severity);

      expect(fired.length > 0).toBe(told);
    },
  );

  it.each([
    { group: 'manage-closely', channels: ['sms', 'email'] },
    { group: 'keep-satisfied', channels: ['email'] },
    { group: 'keep-informed', channels: ['email'] },
    { group: 'monitor', channels: [] },
  ] as const)('reaches $group by $channels', ({ group, channels }) => {
    const policy = DEFAULT_POLICY[group];

    expect([...policy.channels].sort()).toEqual([...channels].sort());
  });
});

describe('rulesFiring', () => {
  it.each([
    { minSeverity: 'SEV2', severity: 'SEV1', fires: true },
    { minSeverity: 'SEV2', severity: 'SEV2', fires: true },
    { minSeverity: 'SEV2', severity: 'SEV3', fires: false },
    { minSeverity: 'SEV4', severity: null, fires: false },
  ] as const)(
    'fires a rule from $minSeverity up for a $severity incident: $fires',
    ({ minSeverity, severity, fires }) => {
      const policy = { channels: ['email'], rules: [{ on: 'reopen', minSeverity }] } as const;

      const fired = rulesFiring(policy, 'reopen', severity);

      expect(fired.length > 0).toBe(fires);
    },
  );
});
