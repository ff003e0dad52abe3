import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { formatIsoWeek, isoWeekOf, shiftWeeks } from '#shared/domain/iso-weeks.ts';
import { MIME_BOUNDARY } from '#shared/domain/mime-message.ts';
import { startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';

const outbox = mkdtempSync(join(tmpdir(), 'incident-flow-outbox-'));

afterAll(() => rmSync(outbox, { recursive: true, force: true }));

function start() {
  return startLocalServer({
    port: 0,
    dynamoPort: 0,
    settings: settingsWith(),
    webhookSecrets: null,
    log: silentLog,
    weeklyEmailDir: outbox,
  });
}

describe('the local weekly email', () => {
  it("writes last week's email to the outbox as an .eml file, once", async () => {
    const lastWeek = formatIsoWeek(shiftWeeks(isoWeekOf(Date.now(), 'UTC'), -1));

    const first = await start();
    await first.close();
    const writtenAtMs = statSync(join(outbox, `${lastWeek}.eml`)).mtimeMs;
    const second = await start();
    await second.close();

    const eml = readFileSync(join(outbox, `${lastWeek}.eml`), 'utf8');
    expect(readdirSync(outbox)).toEqual([`${lastWeek}.eml`]);
    expect(statSync(join(outbox, `${lastWeek}.eml`)).mtimeMs).toBe(writtenAtMs);
    expect(eml).toMatch(
      /^From: incident-flow@localhost\r\nTo: weekly-report@localhost\r\nSubject: Incidents, week /,
    );
    expect(eml).toContain(`Content-Type: multipart/alternative; boundary="${MIME_BOUNDARY}"`);
    expect(eml.indexOf('Content-Type: text/plain')).toBeLessThan(eml.indexOf('Content-Type: text/html'));
  });
});
