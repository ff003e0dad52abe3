import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLog } from '#shared/adapters/console-log.ts';
import { readOutbox } from '#shared/adapters/outbox-notifier.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { resolveSettings } from '#shared/settings.ts';
import { demoLifecycle } from '../bin/demo-lifecycle.ts';
import { startLocalServer } from '../bin/local-server.ts';
import { percentile } from './stats.ts';

export interface NotifyLatency {
  readonly webhooks: number;
  readonly notifyingWebhooks: number;
  readonly messages: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Time from a webhook leaving the sender to its first message in the outbox, through the local
 * server (verify, store, answer, the processor's poll, fold, plan, render, write), for demo
 * lifecycles sent one after another.
 */
export async function measureNotifyLatency(incidentCount: number): Promise<NotifyLatency> {
  const dir = mkdtempSync(join(tmpdir(), 'incident-flow-notify-bench-'));
  const outboxPath = join(dir, 'outbox.jsonl');
  const settings = resolveSettings([]);
  if (!settings.ok) throw new Error(settings.message);
  const server = await startLocalServer({
    port: 0,
    dynamoPort: 0,
    settings: settings.settings,
    webhookSecrets: null,
    log: silentLog,
    notifications: { directory: DEMO_DIRECTORY, outboxPath },
  });
  const latencies: number[] = [];
  let webhooks = 0;
  let seen = 0;
  try {
    for (let n = 0; n < incidentCount; n++) {
      const openedAtMs = Date.now() - 3 * 3_600_000;
      for (const delivery of demoLifecycle({ issueId: String(900_000 + n), key: `BENCH-${n}`, openedAtMs })) {
        const sentAtMs = Date.now();
        await fetch(`${server.url}/webhooks/jira`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
        });
        webhooks += 1;
        // The processor runs after the answer, on its own poll; wait for it without hurrying it.
        await server.idle();
        const outbox = readOutbox(outboxPath);
        const fresh = outbox.slice(0, outbox.length - seen);
        seen = outbox.length;
        const first = Math.min(...fresh.map((entry) => entry.atMs));
        if (fresh.length > 0) latencies.push(first - sentAtMs);
      }
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    webhooks,
    notifyingWebhooks: latencies.length,
    messages: seen,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}
