import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { startSnsSimulator } from '../simulators/sns-simulator.ts';

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

describe('npm start pointed at SNS topics', () => {
  it('sends the notifications through SNS instead of the outbox', async () => {
    const sns = await startSnsSimulator();
    const dataDir = mkdtempSync(join(tmpdir(), 'if-sns-'));
    const port = await freePort();
    const server = spawn(process.execPath, [cli, 'start'], {
      env: {
        ...process.env,
        PORT: String(port),
        DYNAMODB_PORT: String(await freePort()),
        DATA_DIR: dataDir,
        NOTIFY_TOPIC_ARNS: JSON.stringify({
          'manage-closely': 'arn:aws:sns:eu-west-1:123456789012:manage-closely',
        }),
        AWS_ENDPOINT_URL_SNS: sns.endpoint,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      },
      stdio: 'ignore',
    });
    try {
      await waitForServer(`http://127.0.0.1:${port}/health`);
      const openedAtMs = Date.now() - 3_600_000;
      for (const delivery of demoLifecycle({ issueId: '818181', key: 'INC-81', openedAtMs }).slice(0, 3)) {
        await fetch(`http://127.0.0.1:${port}/webhooks/jira`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
        });
      }

      expect(sns.published.map((message) => message.topicArn)).toContain(
        'arn:aws:sns:eu-west-1:123456789012:manage-closely',
      );
      expect(sns.published.find((message) => message.topicArn)?.messageStructure).toBe('json');
    } finally {
      server.kill();
      await sns.close();
    }
  }, 30_000);
});

async function waitForServer(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered`);
}
