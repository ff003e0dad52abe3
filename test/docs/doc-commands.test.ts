import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { incidentFlow, waitForServer } from '../local-processes.ts';
import { type DocCommand, docFiles, scanDocs, scanMarkdown, stepsOf } from './doc-commands.ts';

const checkout = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

const unplanned = (commands: readonly DocCommand[]) =>
  commands
    .filter((command) => stepsOf(command).some((step) => step.plan.kind === 'unknown'))
    .map((command) => `${command.file}:${command.line}: ${command.text}`);

describe('the shell commands of README.md and docs/', () => {
  it('are each run by the doc test or skipped with a reason, and every fence names its language', () => {
    const scan = scanDocs(checkout, docFiles(checkout));

    const unknown = unplanned(scan.commands);

    expect(scan.problems).toEqual([]);
    expect(unknown, 'add a `# needs …` comment, or a way to run it in test/docs').toEqual([]);
  });

  it('name only incident-flow commands and npm scripts that exist, inline code included', async () => {
    const help = await incidentFlow(['help'], {});
    const known = new Set(['help', ...[...help.stdout.matchAll(/^ {2}(\w+)/gm)].map((match) => match[1])]);
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as { scripts: object }).scripts,
    );
    const text = docFiles(checkout)
      .map((file) => readFileSync(join(checkout, file), 'utf8'))
      .join('\n');

    const commands = [...text.matchAll(/npx incident-flow (\w+)/g)].map((match) => match[1]);
    const npmScripts = [...text.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1]);

    expect(known.size).toBeGreaterThan(5);
    expect(commands.filter((command) => !known.has(command))).toEqual([]);
    expect(npmScripts.filter((script) => !scripts.includes(script ?? ''))).toEqual([]);
  });
});

describe('reading a command from markdown', () => {
  it.each([
    ['a sh block line, without its comment', '```sh\nnpm start   # the server\n```', ['npm start']],
    [
      'a bash block line ending in \\, joined',
      '```bash\nnpx incident-flow report \\\n  --week current\n```',
      ['npx incident-flow report --week current'],
    ],
    [
      'only the $ lines of a console block',
      '```console\n$ npm run demo\nINC-1 resolved\n```',
      ['npm run demo'],
    ],
    ['a $ line outside any fence', 'Run\n\n    $ npm start\n', ['npm start']],
    ['an indented block inside a list item', '- run:\n  ```shell\n  npm ci\n  ```\n', ['npm ci']],
    [
      'a heredoc with its body',
      "```sh\ncat > a.json <<'JSON'\n{}\nJSON\n```",
      ["cat > a.json <<'JSON'\n{}\nJSON"],
    ],
    ['a # inside quotes as part of the command', "```sh\necho 'a # b'\n```", ["echo 'a # b'"]],
    ['nothing from a text or json block', '```text\nnpm start\n```\n```json\n{"a": 1}\n```', []],
  ])('reads %s', (_, markdown, expected) => {
    const scan = scanMarkdown('page.md', markdown);

    expect(scan.commands.map((command) => command.text)).toEqual(expected);
  });

  it('skips a command under a `# needs …` line of its block, with that reason', () => {
    const scan = scanMarkdown('page.md', '```sh\n# needs a Jira site\nnpx incident-flow backfill\n```');

    const plans = scan.commands.flatMap(stepsOf).map((step) => step.plan);

    expect(plans).toEqual([{ kind: 'skip', reason: 'needs a Jira site' }]);
  });

  it('flags a fence that names no language, where a command could hide', () => {
    const scan = scanMarkdown('page.md', 'text\n```\nrm -rf build\n```\n');

    expect(scan.problems).toEqual(['page.md:2: a fence that names no language (sh, text, json…)']);
  });

  it('leaves a command it has no way to run unplanned, so the test fails on it', () => {
    const scan = scanMarkdown(
      'page.md',
      '```sh\nnpm install && curl -fsS http://127.0.0.1:3000/incidents\n```',
    );

    const unknown = unplanned(scan.commands);

    expect(unknown).toEqual(['page.md:2: npm install && curl -fsS http://127.0.0.1:3000/incidents']);
  });
});

/** The machine's own node (the first on PATH outside any node_modules), as a newcomer's shell has it. */
function newcomerShell(): { env: Record<string, string>; node: string } {
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !dir.includes('node_modules'));
  const dir = path.find((entry) => existsSync(join(entry, 'node')));
  if (dir === undefined) throw new Error(`no node on PATH outside node_modules: ${path.join(delimiter)}`);
  // Nothing of npm's or vitest's environment: a login shell has none of it.
  return {
    env: { HOME: process.env.HOME ?? homedir(), PATH: path.join(delimiter), LANG: 'C.UTF-8' },
    node: join(dir, 'node'),
  };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

/** The HTTP port the server of `dataDir` recorded in its lock file, once it listens. */
async function recordedPort(dataDir: string, server: ChildProcess, output: () => string): Promise<number> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}:\n${output()}`);
    try {
      const { port } = JSON.parse(readFileSync(join(dataDir, 'lock.json'), 'utf8')) as { port?: number };
      if (port !== undefined && port !== 0) return port;
    } catch {
      // not written yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`no port in ${dataDir}/lock.json:\n${output()}`);
}

const servers: ChildProcess[] = [];
let clone: string | undefined;

afterAll(() => {
  for (const server of servers) {
    if (server.exitCode === null && server.pid !== undefined) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  if (clone !== undefined) {
    // The link first, so nothing of the checkout's node_modules is ever removed.
    if (existsSync(join(clone, 'node_modules'))) unlinkSync(join(clone, 'node_modules'));
    rmSync(clone, { recursive: true, force: true });
  }
});

interface Served {
  readonly step: string;
  readonly status: number;
  readonly body: string;
  readonly exitCode: number | null;
  readonly output: string;
}

/** Starts a server command as written, runs `meanwhile` once it answers, then stops it with Ctrl-C. */
async function serve(cwd: string, text: string, env: Record<string, string>, meanwhile: () => Promise<void>) {
  // Ports 0: the machine is shared and 3000 may be taken; the commands find the server in lock.json.
  const server = spawn('bash', ['-c', text], {
    cwd,
    env: { ...env, PORT: '0', DYNAMODB_PORT: '0' },
    detached: true,
  });
  servers.push(server);
  let output = '';
  server.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  server.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  const port = await recordedPort(join(cwd, '.data'), server, () => output);
  await waitForServer(`http://127.0.0.1:${port}/incidents`, 120_000);
  await meanwhile();
  const incidents = await fetch(`http://127.0.0.1:${port}/incidents`);
  const body = await incidents.text();
  // Ctrl-C in the server's shell: the whole foreground process group gets SIGINT.
  process.kill(-(server.pid ?? 0), 'SIGINT');
  const exitCode = await exitOf(server);
  return { step: text, status: incidents.status, body, exitCode, output } satisfies Served;
}

describe('the docs on a fresh clone of HEAD, from a shell whose node is the machine’s own', () => {
  it('run as written: the server starts, answers and stops, every command succeeds, no tracked file changes', async () => {
    clone = mkdtempSync(join(tmpdir(), 'if-doc-commands-'));
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: checkout, encoding: 'utf8' }).trim();
    execFileSync('git', ['clone', '--quiet', '--no-checkout', checkout, clone]);
    execFileSync('git', ['checkout', '--quiet', head], { cwd: clone });
    // Instead of `npm install`/`npm ci` (minutes, and the network): the checkout's installed tree.
    symlinkSync(join(checkout, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const cwd = clone;
    const shell = newcomerShell();
    const steps = scanDocs(cwd, docFiles(cwd)).commands.flatMap((command) =>
      stepsOf(command).map((step) => ({ ...step, where: `${command.file}:${command.line}` })),
    );
    const serves = steps.filter((step) => step.plan.kind === 'serve');
    const runs = steps.filter((step) => step.plan.kind === 'run');
    const failures: string[] = [];
    const runAll = async () => {
      for (const step of runs) {
        try {
          await run('bash', ['-c', step.text], { cwd, env: shell.env, timeout: 180_000 });
        } catch (error) {
          const failed = error as { code: number; stdout: string; stderr: string };
          failures.push(
            `${step.where}: ${step.text} exited ${failed.code}\n${failed.stdout}${failed.stderr}`,
          );
        }
      }
    };

    // The README runs the other commands in a second shell while the first server runs.
    const served: Served[] = [];
    for (const [index, step] of serves.entries()) {
      served.push(await serve(cwd, step.text, shell.env, index === 0 ? runAll : async () => {}));
    }
    const changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd,
      encoding: 'utf8',
    });

    expect(serves.length).toBeGreaterThan(0);
    expect(runs.length).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    for (const server of served) {
      expect(server.status, server.output).toBe(200);
      expect(server.exitCode, server.output).toBe(0);
      expect(server.output).toContain('Incident Flow stopped; data kept in');
    }
    if (runs.some((step) => step.text === 'npm run demo')) expect(served[0]?.body).toMatch(/INC-\d+/);
    expect(changed).toBe('');
    expect(execFileSync(shell.node, ['--version'], { encoding: 'utf8' })).toMatch(/^v\d+/);
  }, 600_000);
});
