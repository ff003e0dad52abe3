import * as z from 'zod/mini';
import './zod-english.ts';
import type { Person } from './events.ts';
import { SEVERITIES, type Severity } from './lifecycle.ts';
import { type Channel, GROUPS, type Group } from './notification-policy.ts';

const nonEmpty = z.string().check(z.minLength(1));

/** The people who hear about incidents, read from a file or a secret, never from the repo. */
export const directorySchema = z.object({
  members: z.array(
    z.object({
      name: nonEmpty,
      email: z.optional(z.email()),
      phone: z.optional(
        z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +15555550123')),
      ),
      jiraAccountId: z.optional(nonEmpty),
      groups: z._default(z.array(z.enum(GROUPS)), []),
      /** SMS only for incidents this severe or worse (e.g. SEV1): a member who wants only SEV1 texts. */
      smsMinSeverity: z.optional(z.enum(SEVERITIES)),
    }),
  ),
  /** Jira component name → the member who leads it (paged on a SEV1/SEV2 declaration). */
  componentLeads: z._default(z.record(nonEmpty, nonEmpty), {}),
});
export type Directory = z.infer<typeof directorySchema>;
export type Member = Directory['members'][number];

const rank = (severity: Severity | null): number =>
  severity === null ? SEVERITIES.length : SEVERITIES.indexOf(severity);

/** The address of a member on a channel, if it has one. */
export function addressOf(member: Member, channel: Channel): string | undefined {
  return channel === 'email' ? member.email : member.phone;
}

/** The members of a group reachable on a channel for an incident of this severity. */
export function recipientsOf(
  directory: Directory,
  group: Group,
  channel: Channel,
  severity: Severity | null,
): Member[] {
  return directory.members.filter((member) => {
    if (!member.groups.includes(group) || addressOf(member, channel) === undefined) return false;
    if (channel === 'sms' && member.smsMinSeverity !== undefined)
      return rank(severity) <= rank(member.smsMinSeverity);
    return true;
  });
}

/**
 * Whom to page on a SEV1/SEV2 declaration: the assignee (matched by Jira account id, else email) and
 * the lead of each affected component, each once, when the directory knows them.
 */
export function pageTargets(
  directory: Directory,
  assignee: Person | null,
  components: readonly string[],
): Member[] {
  const byName = new Map(directory.members.map((member) => [member.name, member]));
  const assigneeMember = assignee
    ? directory.members.find(
        (member) =>
          (assignee.accountId !== undefined && member.jiraAccountId === assignee.accountId) ||
          (assignee.email !== undefined && member.email?.toLowerCase() === assignee.email.toLowerCase()),
      )
    : undefined;
  const leads = components.flatMap((component) => {
    const lead = directory.componentLeads[component];
    const member = lead === undefined ? undefined : byName.get(lead);
    return member ? [member] : [];
  });
  const targets = new Map<string, Member>();
  for (const member of [assigneeMember, ...leads]) if (member?.phone) targets.set(member.name, member);
  return [...targets.values()];
}

/** A fictional directory for local mode (example.com, +1 555 01xx), so a fresh clone shows real messages. */
export const DEMO_DIRECTORY: Directory = {
  members: [
    {
      name: 'Morgan Manager (demo)',
      email: 'morgan@example.com',
      phone: '+15555550101',
      groups: ['manage-closely'],
    },
    { name: 'Casey Customer (demo)', email: 'casey@example.com', groups: ['keep-satisfied'] },
    {
      name: 'Devon Developer (demo)',
      email: 'devon@example.com',
      phone: '+15555550103',
      groups: ['keep-informed'],
    },
    { name: 'Riley Reader (demo)', email: 'riley@example.com', groups: ['monitor'] },
    {
      name: 'Mia Commander (demo)',
      email: 'mia@example.com',
      phone: '+15555550105',
      jiraAccountId: '5b10a2844c20165700ede21g',
      groups: [],
    },
  ],
  componentLeads: { 'checkout-api': 'Devon Developer (demo)' },
};
