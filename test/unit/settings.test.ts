import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSettings, settingsJsonSchema } from '#shared/settings.ts';

describe('resolveSettings', () => {
  it('defaults to the standard board, incident types, priority severities and UTC', () => {
    const result = resolveSettings([]);

    expect(result.ok && result.settings).toMatchObject({
      board: { acknowledgeStage: 'declaration', resolveStage: 'resolution' },
      incidents: { issueTypes: ['Incident', '[System] Incident'], labels: ['incident'] },
      severity: {
        source: 'priority',
        priorities: { Highest: 'SEV1', High: 'SEV2', Medium: 'SEV3', Low: 'SEV4', Lowest: 'SEV4' },
      },
      timeZone: 'UTC',
    });
    expect(
      result.ok && result.settings.board.statuses.map((status) => `${status.name}:${status.stage}`),
    ).toEqual([
      'Detected:detection',
      'Declared:declaration',
      'Triaged:categorization',
      'Investigating:diagnosis',
      'Mitigating:mitigation',
      'Resolved:resolution',
      'Postmortem:analysis',
      'Done:closed',
    ]);
  });

  it('lets a later layer override an earlier one key by key', () => {
    const result = resolveSettings([
      { source: 'cdk.json', value: { timeZone: 'Europe/Berlin', board: { resolveStage: 'mitigation' } } },
      { source: 'file', value: { board: { acknowledgeStage: 'categorization' } } },
    ]);

    expect(result.ok && result.settings.timeZone).toBe('Europe/Berlin');
    expect(result.ok && result.settings.board).toMatchObject({
      resolveStage: 'mitigation',
      acknowledgeStage: 'categorization',
    });
  });

  it.each([
    ['an unknown stage', { board: { acknowledgeStage: 'ack' } }, /board\.acknowledgeStage/, /declaration/],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, /timeZone/, /IANA time zone/],
    ['a misspelt key', { bord: {} }, /bord/, /Unrecognized key/],
    [
      'a field source without its field',
      { severity: { source: 'field' } },
      /severity\.field/,
      /customfield_10070/,
    ],
    [
      'a status mapped twice',
      {
        board: {
          statuses: [
            { name: 'A', stage: 'detection' },
            { name: 'a', stage: 'closed' },
          ],
        },
      },
      /board\.statuses/,
      /mapped once/,
    ],
  ])('refuses %s, naming the key and what is allowed', (_name, value, key, allowed) => {
    const result = resolveSettings([{ source: 'INCIDENT_FLOW_CONFIG=team.json', value }]);

    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(key);
    expect(!result.ok && result.message).toMatch(allowed);
    expect(!result.ok && result.message).toMatch(/INCIDENT_FLOW_CONFIG=team.json/);
  });

  it('reports every bad key at once', () => {
    const result = resolveSettings([
      { source: 'test', value: { timeZone: 'Nowhere', board: { resolveStage: 'x' } } },
    ]);

    expect(!result.ok && result.message).toMatch(/timeZone[\s\S]*resolveStage|resolveStage[\s\S]*timeZone/);
  });
});

describe('the settings JSON Schema', () => {
  it('is committed as generated, for editors to complete settings files', () => {
    const committed = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../incident-flow.schema.json'), 'utf8'),
    );

    expect(committed).toEqual(settingsJsonSchema());
  });
});
