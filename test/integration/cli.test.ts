import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = resolve(import.meta.dirname, '../../bin/incident-flow.ts');

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((done) => server.once('listening', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

async function incidentFlow(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the incident-flow command', () => {
  it('stops on a bad settings file, naming the key and what is allowed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'if-config-')), 'team.json');
    writeFileSync(file, JSON.stringify({ board: { resolveStage: 'fixed' } }));

    const result = await incidentFlow(['check'], { INCIDENT_FLOW_CONFIG: file });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`INCIDENT_FLOW_CONFIG=${file}`);
    expect(result.stderr).toMatch(/board\.resolveStage/);
    expect(result.stderr).toMatch(/expected one of .*"resolution"/);
  });

  it('names a settings file that is not JSON', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'if-config-')), 'team.json');
    writeFileSync(file, '{ "timeZone": ');

    const result = await incidentFlow(['check'], { INCIDENT_FLOW_CONFIG: file });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/team\.json is not valid JSON/);
  });

  it('opens the local store itself when no server is running', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'if-data-'));

    const result = await incidentFlow(['incidents'], {
      DATA_DIR: dataDir,
      DYNAMODB_PORT: String(await freePort()),
    });

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ incidents: [] });
  });

  it('refuses a port that is not a number', async () => {
    const result = await incidentFlow(['incidents'], { PORT: 'eighty' });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
  });
});
