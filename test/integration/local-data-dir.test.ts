import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleLog, silentLog } from '#shared/adapters/console-log.ts';
import { acquireDataDirLock, DataDirHeldError, LOCK_FILE } from '../../bin/data-dir-lock.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { type LocalServer, startLocalServer } from '../../bin/local-server.ts';
import { DYNAMO_SUBDIR, openLocalStore } from '../../bin/local-store.ts';
import { LOCAL_TABLE_NAME } from '../../bin/local-wiring.ts';
import { settingsWith } from '../builders.ts';
import { CLI as cli, freePort, incidentFlow } from '../local-processes.ts';

const newDataDir = () => mkdtempSync(join(tmpdir(), 'if-data-dir-'));
const holderIn = (dataDir: string) =>
  JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as Record<string, unknown>;

/** The id of a process that has exited: a lock naming it is stale. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((done) => child.once('exit', done));
  return child.pid ?? 0;
}

const servers: LocalServer[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A server in this process holding `dataDir`, as `npm start` does. */
async function serverOn(dataDir: string, ports: { port?: number; dynamoPort?: number } = {}) {
  const server = await startLocalServer({
    port: ports.port ?? 0,
    dynamoPort: ports.dynamoPort ?? 0,
    dataDir: join(dataDir, DYNAMO_SUBDIR),
    lockDir: dataDir,
    settings: settingsWith(),
    webhookSecrets: null,
    log: silentLog,
  });
  servers.push(server);
  return server;
}

async function deliverDemoIncident(server: LocalServer, issueId: string, key: string) {
  const [created] = demoLifecycle({ issueId, key, openedAtMs: Date.parse('2026-11-23T08:00:00.000Z') });
  if (!created) throw new Error('the demo lifecycle is empty');
  await fetch(`${server.url}/webhooks/jira`, {
    method: 'POST',
    headers: created.headers,
    body: created.body,
  });
  await server.drain();
}

describe('the DATA_DIR lock', () => {
  it('names the server, its pid, its ports and its start time while it runs, and goes when it stops', async () => {
    const dataDir = newDataDir();

    const server = await serverOn(dataDir);
    const holder = holderIn(dataDir);
    await server.close();
    servers.pop();

    expect(holder).toEqual({
      command: 'start',
      pid: process.pid,
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      port: Number(new URL(server.url).port),
      dynamoPort: Number(new URL(server.dynamoEndpoint).port),
    });
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('refuses a DATA_DIR another running process holds, naming it', async () => {
    const dataDir = newDataDir();
    writeFileSync(
      join(dataDir, LOCK_FILE),
      JSON.stringify({
        command: 'start',
        pid: process.ppid,
        startedAt: '2026-11-23T08:00:00.000Z',
        port: 3000,
      }),
    );

    const taken = serverOn(dataDir);

    await expect(taken).rejects.toThrow(DataDirHeldError);
    await expect(taken).rejects.toThrow(
      `${dataDir} is held by another incident-flow server, \`incident-flow start\` (pid ${process.ppid}, port 3000, since 2026-11-23T08:00:00.000Z)`,
    );
  });

  it('takes over a lock whose process is gone, with a note naming it', async () => {
    const dataDir = newDataDir();
    const gone = await deadPid();
    writeFileSync(
      join(dataDir, LOCK_FILE),
      JSON.stringify({ command: 'start', pid: gone, startedAt: '2026-11-23T08:00:00.000Z' }),
    );
    const lines: string[] = [];

    const server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      dataDir: join(dataDir, DYNAMO_SUBDIR),
      lockDir: dataDir,
      settings: settingsWith(),
      webhookSecrets: null,
      log: createConsoleLog((line) => lines.push(line)),
    });
    servers.push(server);

    expect(holderIn(dataDir)).toMatchObject({ command: 'start', pid: process.pid });
    expect(lines).toContainEqual(
      expect.stringContaining(`took over the lock of \`incident-flow start\` (pid ${gone}`),
    );
  });

  it('is held by a command that opened the files itself, so no server starts on them meanwhile', async () => {
    const dataDir = newDataDir();
    const local = await openLocalStore(
      { dataDir, tableName: LOCAL_TABLE_NAME },
      { command: 'backfill', create: true, note: () => undefined },
    );

    const taken = serverOn(dataDir);

    await expect(taken).rejects.toThrow(
      `${dataDir} is in use by \`incident-flow backfill\` (pid ${process.pid}`,
    );
    await local.close();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('is released when a command leaves through process.exit, as Ctrl-C does', async () => {
    const dataDir = newDataDir();
    const script = `import { acquireDataDirLock } from ${JSON.stringify(resolve(import.meta.dirname, '../../bin/data-dir-lock.ts'))};
      acquireDataDirLock(${JSON.stringify(dataDir)}, { command: 'backfill' });
      process.exit(130);`;

    const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
    const code = await new Promise((done) => child.once('exit', done));

    expect(code).toBe(130);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    expect(acquireDataDirLock(dataDir, { command: 'report' }).kind).toBe('acquired');
  });
});

describe('a second incident-flow server', { timeout: 60_000 }, () => {
  it('on a DATA_DIR a server holds says who holds it in one line and exits non-zero', async () => {
    const dataDir = newDataDir();
    const first = await serverOn(dataDir);

    const second = await incidentFlow(['start'], {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
    });

    expect(second.code).toBe(1);
    expect(second.stderr.trimEnd().split('\n')).toEqual([
      expect.stringContaining(
        `${dataDir} is held by another incident-flow server, \`incident-flow start\` (pid ${process.pid}, port ${new URL(first.url).port}`,
      ),
    ]);
  });

  it.each([
    ['PORT', 'port'],
    ['DYNAMODB_PORT', 'DynamoDB port'],
  ] as const)(
    'on a busy %s says so in one line, with the way out, and exits non-zero',
    async (variable, name) => {
      const busy = await serverOn(newDataDir());
      const busyPort =
        variable === 'PORT' ? Number(new URL(busy.url).port) : Number(new URL(busy.dynamoEndpoint).port);
      const dataDir = newDataDir();

      const second = await incidentFlow(['start'], {
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        DYNAMODB_PORT: String(await freePort()),
        [variable]: String(busyPort),
      });

      expect(second.code).toBe(1);
      expect(second.stderr.trimEnd().split('\n')).toEqual([
        `${name} ${busyPort} is in use (another incident-flow server? \`${variable}=${busyPort + 1} npm start\`)`,
      ]);
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    },
  );
});

describe('commands on the local store', { timeout: 60_000 }, () => {
  it('find the server of their DATA_DIR by the port it recorded, not by DYNAMODB_PORT', async () => {
    const ours = newDataDir();
    const server = await serverOn(ours);
    await deliverDemoIncident(server, '515151', 'INC-51');
    // Another DATA_DIR's server on the port DYNAMODB_PORT names, as on the default port 8000.
    const other = await serverOn(newDataDir());
    await deliverDemoIncident(other, '525252', 'INC-52');

    const listed = await incidentFlow(['incidents'], {
      DATA_DIR: ours,
      DYNAMODB_PORT: new URL(other.dynamoEndpoint).port,
    });

    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).incidents.map((incident: { key: string }) => incident.key)).toEqual([
      'INC-51',
    ]);
  });

  it.each([[['incidents']], [['report', '--week', '2026-W47']], [['sync']]])(
    '%j on a DATA_DIR without data says so and how to start, in one line',
    async (args) => {
      const dataDir = newDataDir();

      const result = await incidentFlow(args, { DATA_DIR: dataDir });

      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd().split('\n')).toEqual([
        `no local data in ${dataDir}; start the server with \`npm start\` or run \`npm run demo\``,
      ]);
      expect(existsSync(join(dataDir, DYNAMO_SUBDIR))).toBe(false);
    },
  );

  it('say which server holds DATA_DIR when it does not answer on the port it recorded', async () => {
    const dataDir = newDataDir();
    // A process that is alive but serves nothing: the parent of the test run.
    const dynamoPort = await freePort();
    writeFileSync(
      join(dataDir, LOCK_FILE),
      JSON.stringify({
        command: 'start',
        pid: process.ppid,
        startedAt: '2026-11-23T08:00:00.000Z',
        port: 3000,
        dynamoPort,
      }),
    );

    const result = await incidentFlow(['incidents'], { DATA_DIR: dataDir });

    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `the server holding ${dataDir}, \`incident-flow start\` (pid ${process.ppid}, port 3000, DynamoDB port ${dynamoPort}, since 2026-11-23T08:00:00.000Z), does not answer on http://127.0.0.1:${dynamoPort}; stop it and try again`,
    ]);
  });
});

describe('npm run demo', { timeout: 60_000 }, () => {
  it('against no server says which address it tried and how to start one, in one line', async () => {
    const port = await freePort();

    const result = await incidentFlow(['demo'], { DATA_DIR: newDataDir(), PORT: String(port) });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `no incident-flow server answers at http://127.0.0.1:${port} (ECONNREFUSED); start one with \`npm start\` in another terminal, or set PORT to the port yours listens on`,
    ]);
  });

  it('without PORT finds the server of its DATA_DIR by the port it recorded', async () => {
    const dataDir = newDataDir();
    const server = await serverOn(dataDir);
    const { PORT: _ignored, ...env } = process.env;

    const result = await new Promise<{ code: number | null; stdout: string }>((done) => {
      execFile(process.execPath, [cli, 'demo'], { env: { ...env, DATA_DIR: dataDir } }, (error, stdout) =>
        done({ code: error ? (error.code as number) : 0, stdout }),
      );
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`lifecycle to ${server.url}/webhooks/jira`);
  });
});
