import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../local-processes.ts';

const projectDir = resolve(import.meta.dirname, '../..');

async function isPortFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((done) => {
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** Resolves with everything the process printed once `pattern` shows in it. */
function printed(child: ChildProcess, pattern: RegExp): Promise<string> {
  let output = '';
  return new Promise((done, fail) => {
    const look = (chunk: Buffer) => {
      output += String(chunk);
      if (pattern.test(output)) done(output);
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code) => fail(new Error(`exited with ${code} before ${pattern}:\n${output}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

interface Started {
  readonly npm: ChildProcess;
  readonly port: number;
  readonly dynamoPort: number;
  readonly dataDir: string;
  output(): string;
}

const started: Started[] = [];

/** `npm start` as a person runs it, on free ports and a fresh DATA_DIR; resolves once it listens. */
async function npmStart(options: { detached?: boolean } = {}): Promise<Started> {
  const port = await freePort();
  const dynamoPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'if-npm-start-'));
  const npm = spawn('npm', ['start'], {
    cwd: projectDir,
    env: { ...process.env, PORT: String(port), DYNAMODB_PORT: String(dynamoPort), DATA_DIR: dataDir },
    detached: options.detached ?? false,
  });
  let output = '';
  npm.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  npm.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  const server = { npm, port, dynamoPort, dataDir, output: () => output };
  started.push(server);
  await printed(npm, /is listening on/);
  return server;
}

/** Polls until both ports can be taken again, or gives up after `withinMs` (a bound, not a wait). */
async function portsFreed(ports: readonly number[], withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const free = await Promise.all(ports.map(isPortFree));
    if (free.every(Boolean)) return true;
    await new Promise((done) => setTimeout(done, 100));
  }
  return false;
}

afterEach(() => {
  // Whatever a failed run left behind: npm, and the server the lock file names.
  for (const server of started.splice(0)) {
    server.npm.kill('SIGKILL');
    const lockPath = join(server.dataDir, 'lock.json');
    if (!existsSync(lockPath)) continue;
    try {
      process.kill((JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number }).pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

describe('npm start stopped through npm', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops the server on %s sent to the npm process, frees both ports and says where the data is',
    async (signal) => {
      const server = await npmStart();

      server.npm.kill(signal);
      const code = await exitOf(server.npm);
      const freed = await portsFreed([server.port, server.dynamoPort], 20_000);

      expect(freed).toBe(true);
      expect(code).toBe(0);
      expect(server.output()).toContain(`Incident Flow stopped; data kept in ${server.dataDir}`);
      expect(existsSync(join(server.dataDir, 'lock.json'))).toBe(false);
    },
    60_000,
  );

  it('stops once on Ctrl-C, which reaches npm and the server both', async () => {
    const server = await npmStart({ detached: true });

    // A terminal's Ctrl-C goes to the whole foreground process group.
    process.kill(-(server.npm.pid ?? 0), 'SIGINT');
    const code = await exitOf(server.npm);
    const freed = await portsFreed([server.port, server.dynamoPort], 20_000);

    expect(freed).toBe(true);
    expect(code).toBe(0);
    expect(server.output().match(/Incident Flow stopped/g)).toHaveLength(1);
  }, 60_000);
});
