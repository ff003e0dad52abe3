import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createDirectoryStatusSiteStore } from '#shared/adapters/directory-status-site-store.ts';
import type { IncidentEvent } from '#shared/domain/events.ts';
import type { Log } from '#shared/ports.ts';
import { refreshIncident } from '#shared/use-cases/refresh-incident.ts';
import { makeStatusPageWriterHandler } from '../../functions/status-page-writer/status-page-writer.ts';
import { incident, MINUTE, settingsWith, T0 } from '../builders.ts';
import { lifecycle } from '../status-page-builders.ts';
import { freshDynamoStore } from './dynamo.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const settings = settingsWith({
  statusPage: { components: [{ name: 'Checkout', jiraComponents: ['checkout-api'] }] },
});
const BASE_URL = 'https://status.example.com';

const message = (messageId: string, reason: string): SQSRecord =>
  ({ messageId, receiptHandle: messageId, body: JSON.stringify({ reason }), attributes: {} }) as SQSRecord;
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

function recordingLog(): Log & { readonly lines: { message: string; details?: Record<string, unknown> }[] } {
  const lines: { message: string; details?: Record<string, unknown> }[] = [];
  const record = (message: string, details?: Record<string, unknown>) => {
    lines.push({ message, ...(details ? { details } : {}) });
  };
  return { lines, info: record, warn: record, error: record };
}

/** A fresh table with the given incidents stored and folded, a fresh site directory, and the writer over both. */
async function writerWorld(...incidents: IncidentEvent[][]) {
  const { store } = await freshDynamoStore();
  const dir = mkdtempSync(join(tmpdir(), 'status-writer-'));
  dirs.push(dir);
  let clockMs = T0 + 3 * 60 * MINUTE;
  const nowMs = () => clockMs;
  const advance = (minutes: number) => {
    clockMs += minutes * MINUTE;
  };
  const stored = async (events: readonly IncidentEvent[]) => {
    await store.append(events);
    for (const issueId of new Set(events.map((event) => event.issueId))) {
      await refreshIncident(issueId, { store, settings, nowMs });
    }
  };
  for (const events of incidents) await stored(events);
  const log = recordingLog();
  const handler = makeStatusPageWriterHandler({
    incidents: store,
    settings,
    nowMs,
    site: createDirectoryStatusSiteStore(dir),
    log,
    baseUrl: BASE_URL,
  });
  const read = (path: string) => readFileSync(join(dir, path), 'utf8');
  return { store, dir, handler, log, stored, read, advance };
}

const published = (log: ReturnType<typeof recordingLog>) =>
  log.lines.filter((line) => line.message === 'status site published').map((line) => line.details);

describe('the status page writer', () => {
  it('writes the whole site from the stored incidents, once for a batch of several messages', async () => {
    const world = await writerWorld(
      lifecycle('1', { components: ['checkout-api'] }, { lastStatus: 'Investigating' }),
    );

    const response = await world.handler(
      batch(message('m1', 'incident-changed'), message('m2', 'incident-changed')),
      {} as never,
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(published(world.log)).toHaveLength(1);
    expect(world.read('index.html')).toContain('Checkout');
    expect(world.read('incidents/inc-1.html')).toContain('Investigating');
    expect(world.read('api/v2/summary.json')).toContain(`"url": "${BASE_URL}"`);
    expect(existsSync(join(world.dir, 'assets/status.css'))).toBe(true);
  });

  it('writes nothing when nothing a customer sees changed, minutes later, and only the changed files when it did', async () => {
    const world = await writerWorld(
      lifecycle('1', { components: ['checkout-api'] }, { lastStatus: 'Investigating' }),
    );
    await world.handler(batch(message('m1', 'incident-changed')), {} as never);

    world.advance(7);
    await world.handler(batch(message('m2', 'incident-changed')), {} as never);
    await world.stored([
      incident('1', { components: ['checkout-api'] }).move(105, 60, 'Investigating', 'Mitigating'),
    ]);
    await world.handler(batch(message('m3', 'incident-changed')), {} as never);

    const [, unchanged, changed] = published(world.log);
    expect(unchanged).toMatchObject({ written: 0, removed: 0 });
    expect(changed?.written).toBeGreaterThan(0);
    expect(changed?.unchanged).toBeGreaterThan(0);
    expect(world.read('incidents/inc-1.html')).toContain('Identified');
  });

  it('writes every file again on the daily rebuild', async () => {
    const world = await writerWorld(
      lifecycle('1', { components: ['checkout-api'] }, { lastStatus: 'Investigating' }),
    );
    await world.handler(batch(message('m1', 'incident-changed')), {} as never);

    await world.handler(batch(message('m2', 'daily')), {} as never);

    const [first, daily] = published(world.log);
    expect(daily).toMatchObject({ written: first?.written, unchanged: 0 });
  });

  it('removes the page of an incident the team marks internal after it was published', async () => {
    const world = await writerWorld(
      lifecycle('1', { components: ['checkout-api'] }, { lastStatus: 'Investigating' }),
    );
    await world.handler(batch(message('m1', 'incident-changed')), {} as never);

    await world.stored([
      incident('1', { components: ['checkout-api'], labels: ['internal'] }).move(
        105,
        60,
        'Investigating',
        'Mitigating',
      ),
    ]);
    await world.handler(batch(message('m2', 'incident-changed')), {} as never);

    expect(existsSync(join(world.dir, 'incidents/inc-1.html'))).toBe(false);
    expect(world.read('index.html')).not.toContain('inc-1');
  });

  it('fails every message of the batch when the site cannot be rebuilt, so SQS brings them back', async () => {
    const world = await writerWorld();
    const failing = makeStatusPageWriterHandler({
      incidents: {
        listStates: () => Promise.reject(new Error('throttled')),
        loadEvents: () => Promise.resolve([]),
      },
      settings,
      nowMs: () => T0,
      site: createDirectoryStatusSiteStore(world.dir),
      log: silentLog,
      baseUrl: BASE_URL,
    });

    const response = await failing(
      batch(message('m1', 'incident-changed'), message('m2', 'daily')),
      {} as never,
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }]);
  });
});
