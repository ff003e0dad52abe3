import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLog } from '#shared/adapters/console-log.ts';
import type { OutboxEntry } from '#shared/adapters/outbox-notifier.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { type Delivery, demoLifecycle } from '../../bin/demo-lifecycle.ts';
import { startLocalServer } from '../../bin/local-server.ts';
import { settingsWith } from '../builders.ts';

const openedAtMs = Date.now() - 3 * 3_600_000;

/**
 * Delivers the webhooks to a fresh local server, reading the incident after each delivery (so each
 * is folded on its own), and tells who got which announcement: group, channel, recipient, and what
 * was announced without the moment (a late fold may date a declaration by the event that carried it).
 */
async function announcementsOf(deliveries: readonly Delivery[]): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-order-'));
  const server = await startLocalServer({
    port: 0,
    dynamoPort: 0,
    dataDir: join(dataDir, 'dynamodb'),
    settings: settingsWith(),
    webhookSecrets: null,
    log: silentLog,
    notifications: { directory: DEMO_DIRECTORY, outboxPath: join(dataDir, 'outbox.jsonl') },
  });
  try {
    for (const delivery of deliveries) {
      const answer = await fetch(`${server.url}/webhooks/jira`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      expect(answer.status).toBeLessThan(300);
      await fetch(`${server.url}/incidents/INC-61`);
    }
    const response = await fetch(`${server.url}/notifications?incident=INC-61`);
    const { notifications } = (await response.json()) as { notifications: OutboxEntry[] };
    return notifications
      .map((entry) => {
        const what = entry.notificationId.split('#')[1]?.replace(/@\d+$/, '') ?? '';
        return `${entry.group} ${entry.channel} ${entry.recipient.name} ${what}`;
      })
      .sort();
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const lifecycle = demoLifecycle({ issueId: '616161', key: 'INC-61', openedAtMs }).filter(
  (delivery) => !delivery.label.endsWith('(redelivered)'),
);
const indexOf = (label: string, from = 0) => lifecycle.findIndex((d, i) => i >= from && d.label === label);

/** The lifecycle with the delivery at `late` moved to just after the one at `early`. */
function delayed(late: number, early: number): Delivery[] {
  const order = lifecycle.filter((_, i) => i !== late);
  const moved = lifecycle[late];
  if (!moved) throw new Error('no such delivery');
  order.splice(order.indexOf(lifecycle[early] as Delivery) + 1, 0, moved);
  return order;
}

describe('announcements in local mode, whatever the order Jira delivers in', () => {
  it.each([
    {
      name: 'Postmortem arrives before the last Resolved',
      late: () =>
        indexOf(
          'Mitigating → Resolved',
          indexOf('Investigating → Mitigating', indexOf('Resolved → Investigating')),
        ),
      early: () => indexOf('Resolved → Postmortem'),
    },
    {
      name: 'Triaged arrives before Declared',
      late: () => indexOf('Detected → Declared'),
      early: () => indexOf('Declared → Triaged'),
    },
  ])(
    'sends what the in-order run sends, each once, when $name',
    async ({ late, early }) => {
      const inOrder = await announcementsOf(lifecycle);

      const shuffled = await announcementsOf(delayed(late(), early()));

      expect(shuffled).toEqual(inOrder);
      expect(
        inOrder.filter((name) => name.startsWith('keep-satisfied email') && name.endsWith(' resolution')),
      ).toHaveLength(2);
      // manage-closely by SMS and email, customers by email, and the two pages of the SEV1's owners.
      expect(inOrder.filter((name) => name.endsWith(' declaration'))).toHaveLength(5);
    },
    60_000,
  );
});
