import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { formatIsoWeek, isoWeekOf, shiftWeeks, weekLabel } from '#shared/domain/iso-weeks.ts';
import { runDemo } from '../../bin/demo.ts';
import { startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';
import { CLI as cli, freePort } from '../local-processes.ts';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'if-report-'));

async function report(args: string[]) {
  const env = { ...process.env, DATA_DIR: dataDir, DYNAMODB_PORT: String(await freePort()) };
  return run(process.execPath, [cli, 'report', ...args], { env });
}

describe('the report command after the demo', () => {
  let demoKey = '';

  beforeAll(async () => {
    // As README says: the server running, `npm run demo`, then the report (here once the server is stopped).
    const server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      dataDir: join(dataDir, 'dynamodb'),
      settings: settingsWith(),
      webhookSecrets: null,
      log: silentLog,
    });
    let printed = '';
    await runDemo(server.url, undefined, (text) => {
      printed += text;
    });
    await server.close();
    demoKey = /Sending (INC-\d+)/.exec(printed)?.[1] ?? '';
  }, 60_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('shows the demo’s incident with --week current, the week so far marked incomplete', async () => {
    // The demo's incident opens 3 hours ago; in a Monday's first 3 hours (UTC, cdk.json's time zone)
    // it belongs to the week before, which the default, the last complete week, then shows.
    const openedWeek = isoWeekOf(Date.now() - 3 * 3_600_000, 'UTC');
    const isThisWeek = formatIsoWeek(openedWeek) === formatIsoWeek(isoWeekOf(Date.now(), 'UTC'));

    const { stdout } = await report(
      isThisWeek ? ['--week', 'current', '--format', 'json'] : ['--format', 'json'],
    );

    const json = JSON.parse(stdout);
    expect(demoKey).toMatch(/^INC-\d+$/);
    expect(json.metrics.incidents.map((incident: { key: string }) => incident.key)).toContain(demoKey);
    expect(json.complete).toBe(!isThisWeek);
  }, 60_000);

  it('reports the last complete week by default, and says so in its first line', async () => {
    const lastWeek = shiftWeeks(isoWeekOf(Date.now(), 'UTC'), -1);

    const { stdout, stderr } = await report([]);
    const json = await report(['--format', 'json']);

    expect(stdout.split('\n')[0]).toBe(
      `The last complete week, ${weekLabel(lastWeek)}, ${formatIsoWeek(lastWeek)} (--week current: this week so far).`,
    );
    expect(stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ weekId: formatIsoWeek(lastWeek), complete: true });
    expect(json.stderr).toContain('The last complete week');
  }, 60_000);

  it('marks this week’s report incomplete in its first lines', async () => {
    const { stdout } = await report(['--week', 'current']);

    expect(stdout.split('\n')[0]).toMatch(/^Incidents, week \d+ \(.+\) so far: /);
    expect(stdout).toMatch(/The week so far, not complete: counted to \w{3} \d+ \d\d:\d\d \(UTC\)\./);
  }, 60_000);
});
