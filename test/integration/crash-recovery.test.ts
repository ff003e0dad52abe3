import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Delivery, demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { CLI as cli, freePort, waitForServer } from '../local-processes.ts';

const INCIDENTS = 8;
const CRASHES = 4;

/** Posts the deliveries eight at a time until they are all answered or the server is gone. */
async function post(url: string, deliveries: readonly Delivery[], answered: Set<Delivery>): Promise<void> {
  const queue = deliveries.filter((delivery) => !answered.has(delivery));
  const worker = async () => {
    for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
      try {
        const response = await fetch(`${url}/webhooks/jira`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
        });
        if (response.status < 300) answered.add(delivery);
      } catch {
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

type IncidentView = {
  key: string;
  stage: string;
  reopenCount: number;
  notifications: { notificationId: string; channel: string; recipient: string }[];
};
type OutboxLine = { notificationId: string; issueKey: string; channel: string; recipient: { name: string } };

describe('npm start killed with SIGKILL in the middle of a burst', () => {
  it('repeats at most the messages in flight and leaves none of what it sent unrecorded', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'if-kill-'));
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
    };
    const url = `http://127.0.0.1:${env.PORT}`;
    const openedAtMs = Date.now() - 3 * 3_600_000;
    const deliveries = Array.from({ length: INCIDENTS }, (_, i) =>
      demoLifecycle({ issueId: String(71_000 + i), key: `INC-${710 + i}`, openedAtMs }),
    ).flat();
    const answered = new Set<Delivery>();
    const start = (): ChildProcess => spawn(process.execPath, [cli, 'start'], { env, stdio: 'ignore' });
    const stop = async (server: ChildProcess, signal: NodeJS.Signals) => {
      server.kill(signal);
      if (server.exitCode === null) await new Promise((done) => server.once('exit', done));
    };

    for (let crash = 1; crash <= CRASHES; crash += 1) {
      const server = start();
      await waitForServer(`${url}/health`);
      const burst = post(url, deliveries, answered);
      await new Promise((done) => setTimeout(done, 40 + crash * 60));
      await stop(server, 'SIGKILL');
      await burst;
    }
    const last = start();
    try {
      await waitForServer(`${url}/health`);
      // Everything again, answered or not: Jira retries what it got no answer for, and redelivers.
      await post(url, deliveries, new Set());
      const keys = Array.from({ length: INCIDENTS }, (_, i) => `INC-${710 + i}`);
      const views = await Promise.all(
        keys.map(async (key) => (await (await fetch(`${url}/incidents/${key}`)).json()) as IncidentView),
      );
      const outbox = readFileSync(join(dataDir, 'outbox.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((line): OutboxLine[] => {
          try {
            return [JSON.parse(line) as OutboxLine];
          } catch {
            return [];
          }
        });

      const recorded = new Set(
        views.flatMap((view) =>
          view.notifications.map((note) => `${note.notificationId} ${note.channel} ${note.recipient}`),
        ),
      );
      const named = (line: OutboxLine) => `${line.notificationId} ${line.channel} ${line.recipient.name}`;
      const counts = new Map<string, number>();
      for (const line of outbox) counts.set(named(line), (counts.get(named(line)) ?? 0) + 1);
      const repeated = [...counts.values()].reduce((sum, count) => sum + count - 1, 0);
      const unrecorded = outbox.filter((line) => !recorded.has(named(line)));
      console.info(
        `kill -9 test: ${JSON.stringify({ crashes: CRASHES, messages: outbox.length, repeated, unrecorded: unrecorded.length })}`,
      );

      expect(views.map((view) => [view.stage, view.reopenCount])).toEqual(keys.map(() => ['analysis', 1]));
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(1 + CRASHES);
      expect(repeated).toBeLessThanOrEqual(CRASHES * INCIDENTS * 3);
      expect(unrecorded).toEqual([]);
    } finally {
      await stop(last, 'SIGTERM');
    }
  }, 120_000);
});
