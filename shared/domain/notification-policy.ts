import { SEVERITIES, type Severity } from './lifecycle.ts';

/** The stakeholder groups of the power/interest grid (docs/architecture.md, "Stakeholder groups"). */
export const GROUPS = ['manage-closely', 'keep-satisfied', 'keep-informed', 'monitor'] as const;
export type Group = (typeof GROUPS)[number];

/** What in an incident's life can be announced. */
export const TRIGGERS = [
  'declaration',
  'severity-change',
  'stage-change',
  'mitigation',
  'resolution',
  'reopen',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** How a group is told. */
export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** One rule of a group: tell it on this trigger, for incidents of `minSeverity` or worse (any when absent). */
export type PolicyRule = { readonly on: Trigger; readonly minSeverity?: Severity };

/** How and when one group hears about incidents. */
export type GroupPolicy = { readonly channels: readonly Channel[]; readonly rules: readonly PolicyRule[] };

/** Every group's policy. */
export type NotificationPolicy = Readonly<Record<Group, GroupPolicy>>;

/** The default policy: the "when" column of the stakeholder table in docs/architecture.md. */
export const DEFAULT_POLICY: NotificationPolicy = {
  'manage-closely': {
    channels: ['sms', 'email'],
    rules: [
      { on: 'declaration' },
      { on: 'severity-change' },
      { on: 'stage-change', minSeverity: 'SEV2' },
      { on: 'resolution' },
    ],
  },
  'keep-satisfied': {
    channels: ['email'],
    rules: [{ on: 'declaration' }, { on: 'mitigation' }, { on: 'resolution' }],
  },
  'keep-informed': { channels: ['email'], rules: [{ on: 'stage-change' }] },
  monitor: { channels: [], rules: [] },
};

/** True when `severity` is `threshold` or worse (SEV1 is worst); no severity counts as least severe. */
export function isAtLeastAsSevere(severity: Severity | null, threshold: Severity): boolean {
  return severity !== null && SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/** The rules of a group that fire for this trigger on an incident of this severity. */
export function rulesFiring(policy: GroupPolicy, trigger: Trigger, severity: Severity | null): PolicyRule[] {
  return policy.rules.filter(
    (rule) =>
      rule.on === trigger &&
      (rule.minSeverity === undefined || isAtLeastAsSevere(severity, rule.minSeverity)),
  );
}
