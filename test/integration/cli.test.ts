import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import { createDynamoEventStore } from '#shared/adapters/dynamo-event-store.ts';
import { createLocalDynamoClient } from '#shared/adapters/local-dynamo.ts';
import { weekBounds } from '#shared/domain/iso-weeks.ts';
import { refreshIncident } from '#shared/use-cases/refresh-incident.ts';
import { demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';
import { CLI as cli, freePort, incidentFlow, waitForServer } from '../local-processes.ts';
import { generateIncidentHistories } from '../simulators/jira-history.ts';
import { startJiraSimulator } from '../simulators/jira-simulator.ts';
import { startSnsSimulator } from '../simulators/sns-simulator.ts';
import { freshDynamoStore } from './dynamo.ts';

/** The adapter over an existing table of the run's dynalite. */
async function freshDynamoStoreNamed(tableName: string) {
  return { store: createDynamoEventStore(createLocalDynamoClient(inject('dynamoEndpoint')), tableName) };
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

  it('opens the local store itself when no server is running, and lets go of DATA_DIR after', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'if-data-'));
    const server = await startLocalServer({
      port: 0,
      dynamoPort: 0,
      dataDir: join(dataDir, 'dynamodb'),
      lockDir: dataDir,
      settings: settingsWith(),
      webhookSecrets: null,
      log: silentLog,
    });
    const [created] = demoLifecycle({ issueId: '838383', key: 'INC-83', openedAtMs: Date.now() - 3_600_000 });
    await fetch(`${server.url}/webhooks/jira`, {
      method: 'POST',
      headers: created?.headers,
      body: created?.body,
    });
    await server.close();

    const result = await incidentFlow(['incidents'], {
      DATA_DIR: dataDir,
      DYNAMODB_PORT: String(await freePort()),
    });

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).incidents).toEqual([expect.objectContaining({ key: 'INC-83' })]);
    expect(existsSync(join(dataDir, 'lock.json'))).toBe(false);
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
      // The processor runs after the answers; any read of the server waits for it.
      await fetch(`http://127.0.0.1:${port}/notifications`);

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

describe('npm start after a crash', () => {
  it('folds what the killed run answered for but had not folded yet, before it serves', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'if-crash-'));
    const env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
    };
    const startServer = (extra: Record<string, string>) =>
      spawn(process.execPath, [cli, 'start'], { env: { ...process.env, ...env, ...extra }, stdio: 'ignore' });
    // A ten-minute batching window: the first run folds nothing by itself before it is killed.
    const first = startServer({ PROCESSOR_BATCH_WINDOW_MS: '600000' });
    const openedAtMs = Date.now() - 3_600_000;
    try {
      await waitForServer(`http://127.0.0.1:${env.PORT}/health`);
      for (const delivery of demoLifecycle({ issueId: '828282', key: 'INC-82', openedAtMs })) {
        const response = await fetch(`http://127.0.0.1:${env.PORT}/webhooks/jira`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
        });
        expect([200, 202]).toContain(response.status);
      }
    } finally {
      first.kill('SIGKILL');
      await new Promise((done) => first.once('exit', done));
    }

    const second = startServer({});
    try {
      await waitForServer(`http://127.0.0.1:${env.PORT}/health`);
      // Read as any DynamoDB tool would, without a read of the server that could fold it on the way.
      const client = createLocalDynamoClient(`http://127.0.0.1:${env.DYNAMODB_PORT}`);
      const state = await createDynamoEventStore(client, 'incident-flow-events').getStateByKey('INC-82');
      client.destroy();
      expect(state).toMatchObject({ key: 'INC-82', reopenCount: 1, stage: 'analysis' });
    } finally {
      second.kill();
      await new Promise((done) => second.once('exit', done));
    }
  }, 60_000);
});

/** Polls until the server answers; the deadline is generous because a loaded machine starts slowly. */

describe('incident-flow backfill', () => {
  it('imports the history from Jira into the local store, then resumes as a no-op, never printing the token', async () => {
    const histories = generateIncidentHistories({
      count: 20,
      seed: 3,
      startMs: Date.parse('2026-10-01T00:00:00.000Z'),
    });
    const jira = await startJiraSimulator({
      email: 'reader@example.com',
      apiToken: 'a-secret-api-token',
      requestsPerSecond: 10_000,
      burst: 10_000,
    });
    for (const history of histories) jira.seedIssue(history);
    const env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'if-backfill-')),
      DYNAMODB_PORT: String(await freePort()),
      JIRA_SITE: jira.baseUrl,
      JIRA_EMAIL: 'reader@example.com',
      JIRA_API_TOKEN: 'a-secret-api-token',
    };
    try {
      const first = await incidentFlow(['backfill', '--since', '2026-09-01'], env);
      const again = await incidentFlow(['backfill', '--since', '2026-09-01'], env);
      const listed = await incidentFlow(['incidents'], env);

      expect(first.code).toBe(0);
      expect(first.stderr).toContain('Starting the backfill: about 20 incidents');
      expect(first.stderr).toMatch(/Done: 20 issues read, 0 already imported, 20 with new events/);
      expect(first.stderr).toMatch(/Jira requests: \d+ \(\d+\.\d+ per issue read\)/);
      expect(again.stderr).toContain('Resuming the backfill: about 20 incidents, 20 already imported');
      expect(again.stderr).toMatch(/Done: 0 issues read, 20 already imported/);
      expect(JSON.parse(listed.stdout).incidents).toHaveLength(20);
      for (const output of [first.stderr, first.stdout, again.stderr])
        expect(output).not.toContain('a-secret-api-token');
    } finally {
      await jira.close();
    }
  }, 60_000);

  it('stops on Ctrl-C saying how to resume, and the same command finishes the rest', async () => {
    const histories = generateIncidentHistories({
      count: 60,
      seed: 5,
      startMs: Date.parse('2026-10-01T00:00:00.000Z'),
    });
    // Jira's pace: about 30 requests a second, so the import takes a few seconds.
    const jira = await startJiraSimulator({ requestsPerSecond: 30, burst: 30 });
    for (const history of histories) jira.seedIssue(history);
    const env = {
      ...process.env,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'if-backfill-')),
      DYNAMODB_PORT: String(await freePort()),
      JIRA_SITE: jira.baseUrl,
      JIRA_EMAIL: 'bot@example.com',
      JIRA_API_TOKEN: 'test-token',
    };
    try {
      const child = spawn(process.execPath, [cli, 'backfill', '--since', '2026-09-01'], { env });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += String(chunk);
      });
      // Interrupted once the log shows a tenth of the way done (6 of 60 issues).
      await new Promise<void>((done) => {
        const check = () => {
          if (/\] (?:[6-9]|[1-5]\d)\/60 issues/.test(stderr)) {
            child.stderr.off('data', check);
            done();
          }
        };
        child.stderr.on('data', check);
      });
      child.kill('SIGINT');
      const code = await new Promise((done) => child.once('exit', done));
      const resumed = await incidentFlow(
        ['backfill', '--since', '2026-09-01'],
        env as Record<string, string>,
      );
      const listed = await incidentFlow(['incidents'], env as Record<string, string>);

      expect(code).toBe(130);
      expect(stderr).toContain('Interrupted: run the same command to resume');
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toMatch(/Resuming the backfill: about 60 incidents, [1-9]\d* already imported/);
      expect(JSON.parse(listed.stdout).incidents).toHaveLength(60);
    } finally {
      await jira.close();
    }
  }, 60_000);

  it('writes to a deployed table with --table, and the report reads it back from there', async () => {
    const histories = generateIncidentHistories({
      count: 12,
      seed: 9,
      startMs: Date.parse('2026-10-05T00:00:00.000Z'),
    });
    const jira = await startJiraSimulator({ requestsPerSecond: 10_000, burst: 10_000 });
    for (const history of histories) jira.seedIssue(history);
    // dynalite stands in for DynamoDB: the AWS SDK finds it through the standard endpoint variable.
    const { tableName } = await freshDynamoStore();
    const aws = {
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'if-aws-')),
      DYNAMODB_PORT: String(await freePort()),
    };
    try {
      const imported = await incidentFlow(['backfill', '--since', '2026-10-01', '--table', tableName], {
        ...aws,
        JIRA_SITE: jira.baseUrl,
        JIRA_EMAIL: 'bot@example.com',
        JIRA_API_TOKEN: 'test-token',
      });
      // On AWS the table's stream folds what the backfill stored; here the test plays the stream.
      const { store } = await freshDynamoStoreNamed(tableName);
      const settings = settingsWith();
      const states = [];
      for (const history of histories) {
        const refreshed = await refreshIncident(history.issue.id, { store, settings, nowMs: Date.now });
        if (refreshed) states.push(refreshed.state);
      }
      const week = weekBounds({ year: 2026, week: 41 }, 'UTC');
      const openedInWeek = states.filter(
        (state) => state.openedAtMs >= week.startMs && state.openedAtMs < week.endMs,
      );
      const report = await incidentFlow(
        ['report', '--week', '2026-W41', '--table', tableName, '--format', 'json'],
        aws,
      );

      expect(imported.code).toBe(0);
      expect(imported.stderr).toMatch(/Done: 12 issues read/);
      expect(states).toHaveLength(12);
      expect(openedInWeek.length).toBeGreaterThan(0);
      expect(report.code).toBe(0);
      expect(JSON.parse(report.stdout)).toMatchObject({
        weekId: '2026-W41',
        summary: { openedCount: openedInWeek.length },
      });
    } finally {
      await jira.close();
    }
  }, 60_000);

  it('says which Jira variable is missing', async () => {
    const result = await incidentFlow(['backfill', '--since', '2026-09-01'], {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'if-backfill-')),
      DYNAMODB_PORT: String(await freePort()),
      JIRA_SITE: 'https://example.atlassian.net',
      JIRA_EMAIL: 'reader@example.com',
      JIRA_API_TOKEN: '',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/JIRA_API_TOKEN/);
  });
});
