import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE_VARIABLE } from '#shared/adapters/settings-files.ts';
import { settingsForSynth } from '../../infra/app-settings.ts';

const scratch = mkdtempSync(join(tmpdir(), 'incident-flow-settings-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function configFile(settings: unknown): string {
  const path = join(mkdtempSync(join(scratch, 'layer-')), 'settings.json');
  writeFileSync(path, JSON.stringify(settings));
  return path;
}

describe('settingsForSynth', () => {
  it('uses the defaults when the context has no incidentFlow object', () => {
    const settings = settingsForSynth(undefined, {});

    expect(settings.timeZone).toBe('UTC');
    expect(settings.board.acknowledgeStage).toBe('declaration');
  });

  it('lets the config file override the context key by key', () => {
    const path = configFile({ board: { resolveStage: 'mitigation' } });

    const settings = settingsForSynth(
      { timeZone: 'Europe/Berlin', board: { resolveStage: 'closed' } },
      { [CONFIG_FILE_VARIABLE]: path },
    );

    expect(settings.timeZone).toBe('Europe/Berlin');
    expect(settings.board.resolveStage).toBe('mitigation');
  });

  it('stops synth naming the bad stage and the stages allowed', () => {
    const context = { board: { acknowledgeStage: 'nope' } };

    const synth = () => settingsForSynth(context, {});

    expect(synth).toThrow(/board\.acknowledgeStage/);
    expect(synth).toThrow(/declaration/);
    expect(synth).toThrow(/CDK context "incidentFlow"/);
  });

  it('stops synth naming a time zone that does not exist', () => {
    const path = configFile({ timeZone: 'Mars/Base' });

    const synth = () => settingsForSynth({}, { [CONFIG_FILE_VARIABLE]: path });

    expect(synth).toThrow(/timeZone/);
    expect(synth).toThrow(/IANA time zone/);
  });
});
