import { describe, expect, it } from 'vitest';
import { alertPolicyOf, alertsSchema } from '#shared/alert-settings.ts';

describe('the alerts settings', () => {
  it('defaults to no route, no catch-all project, a comment every 30 minutes and a storm past 5 a minute', () => {
    const policy = alertPolicyOf(alertsSchema.parse({}));

    expect(policy).toMatchObject({
      identity: 'fingerprint',
      routes: [],
      catchAll: { ignore: false },
      severityLabel: 'severity',
      defaultSeverity: 'SEV3',
      commentEveryMinutes: 30,
      onClearMoveTo: null,
      reopenWithinHours: 24,
      reopen: false,
      maxNewIncidentsPerMinute: 5,
    });
    expect(policy.severities.critical).toBe('SEV1');
  });

  it('names routes by position, takes one value or a list, and compares severity values lower-cased', () => {
    const policy = alertPolicyOf(
      alertsSchema.parse({
        routes: [{ match: { service: 'checkout', team: ['a', 'b'] }, project: 'PAY' }],
        severities: { P1: 'SEV1' },
      }),
    );

    expect(policy.routes[0]).toMatchObject({
      name: 'route 1',
      match: { service: ['checkout'], team: ['a', 'b'] },
    });
    expect(policy.severities).toEqual({ p1: 'SEV1' });
  });

  it('refuses a route with neither a project nor ignore, naming the key', () => {
    const parsed = alertsSchema.safeParse({ routes: [{ match: { service: 'checkout' } }] });

    expect(parsed.error?.issues[0]?.path).toEqual(['routes']);
    expect(parsed.error?.issues[0]?.message).toContain('each route needs a project');
  });

  it('refuses a project that is not a Jira project key', () => {
    const parsed = alertsSchema.safeParse({ catchAll: { project: 'ops' } });

    expect(parsed.error?.issues[0]?.path).toEqual(['catchAll', 'project']);
  });
});
