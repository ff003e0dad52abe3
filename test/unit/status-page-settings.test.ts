import { describe, expect, it } from 'vitest';
import { resolveSettings } from '#shared/settings.ts';

describe('the statusPage settings', () => {
  it('default to severities mapped onto Statuspage’s states, the board onto its phases, and nothing shown from Jira', () => {
    const result = resolveSettings([]);

    expect(result.ok && result.settings.statusPage).toMatchObject({
      title: 'Service status',
      components: [],
      severityStates: { SEV1: 'major-outage', SEV2: 'partial-outage', SEV3: 'degraded-performance' },
      phases: { declaration: 'investigating', mitigation: 'identified', resolution: 'resolved' },
      publicCommentPrefix: 'Status update:',
      internalLabel: 'internal',
      showSummary: false,
      historyDays: 90,
    });
  });

  it('lets a team map one stage differently and keeps the defaults of the others', () => {
    const result = resolveSettings([
      { source: 'test', value: { statusPage: { phases: { mitigation: 'monitoring' } } } },
    ]);

    expect(result.ok && result.settings.statusPage.phases).toMatchObject({
      diagnosis: 'investigating',
      mitigation: 'monitoring',
    });
  });

  it('names every wrong key at once', () => {
    const result = resolveSettings([
      {
        source: 'test',
        value: {
          statusPage: {
            severityStates: { SEV1: 'down' },
            historyDays: 365,
            baseUrl: 'http://status.example.com/',
          },
        },
      },
    ]);

    const message = result.ok ? '' : result.message;
    expect(message).toContain('statusPage.severityStates.SEV1');
    expect(message).toContain('statusPage.historyDays');
    expect(message).toContain('statusPage.baseUrl');
  });

  it('refuses a component listed twice', () => {
    const result = resolveSettings([
      { source: 'test', value: { statusPage: { components: [{ name: 'API' }, { name: 'api' }] } } },
    ]);

    expect(result.ok ? '' : result.message).toMatch(
      /each component name may be listed once[\s\S]*statusPage\.components/,
    );
  });
});
