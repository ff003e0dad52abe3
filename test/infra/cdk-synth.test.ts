import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { CONFIG_FILE_VARIABLE } from '#shared/adapters/settings-files.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const binDir = join(projectRoot, 'node_modules', '.bin');
const scratch = mkdtempSync(join(tmpdir(), 'incident-flow-synth-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `cdk synth` as a person would, with the project's Node 24 first on PATH and no network needed. */
function cdkSynth(env: Record<string, string> = {}) {
  const outdir = mkdtempSync(join(scratch, 'out-'));
  const run = promisify(execFile)(join(binDir, 'cdk'), ['synth', '--quiet', '--no-notices', '-o', outdir], {
    cwd: projectRoot,
    env: { ...process.env, ...env, PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}` },
    timeout: 180_000,
  });
  return { outdir, run };
}

it('synthesizes the app named in cdk.json offline', async () => {
  const { outdir, run } = cdkSynth();

  await run;

  expect(existsSync(join(outdir, 'IncidentFlow.template.json'))).toBe(true);
}, 180_000);

it('stops synth with a message naming a bad setting from INCIDENT_FLOW_CONFIG', async () => {
  const path = join(scratch, 'settings.json');
  writeFileSync(path, JSON.stringify({ board: { acknowledgeStage: 'nope' } }));

  const { run } = cdkSynth({ [CONFIG_FILE_VARIABLE]: path });

  await expect(run).rejects.toMatchObject({ stderr: expect.stringMatching(/board\.acknowledgeStage/) });
}, 180_000);
