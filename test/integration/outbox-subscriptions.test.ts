import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOutbox } from '#shared/adapters/outbox-notifier.ts';
import { CONFIRMATION_SUBJECT, createOutboxSubscriptions } from '#shared/adapters/outbox-subscriptions.ts';
import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-flow-subscriptions-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function subscriptionsIn(name: string) {
  const path = join(dataDir, name);
  const lines: string[] = [];
  const subscriptions = createOutboxSubscriptions(path, {
    directory: DEMO_DIRECTORY,
    nowMs: () => 1_000,
    announce: (line) => lines.push(line),
  });
  return { path, lines, subscriptions };
}

describe('the subscriptions of local mode', () => {
  it('records the confirmation SNS would mail in the outbox, and announces it with the address masked', async () => {
    const { path, lines, subscriptions } = subscriptionsIn('new.jsonl');

    const outcome = await subscriptions.subscribe('reader@example.org');

    expect(outcome).toBe('pending-confirmation');
    expect(readOutbox(path)).toMatchObject([
      {
        group: 'keep-satisfied',
        channel: 'email',
        recipient: { address: 'reader@example.org' },
        subject: CONFIRMATION_SUBJECT,
        atMs: 1_000,
      },
    ]);
    expect(lines).toEqual(['outbox: subscription confirmation for r***@***.org (keep-satisfied)']);
    expect(lines.join('\n')).not.toContain('reader@example.org');
  });

  it('says a keep-satisfied member of the directory already gets the updates, and records nothing', async () => {
    const { path, subscriptions } = subscriptionsIn('member.jsonl');

    const outcome = await subscriptions.subscribe('Casey@Example.com');

    expect(outcome).toBe('already-subscribed');
    expect(readOutbox(path)).toEqual([]);
  });

  it('leaves the outbox’s incident view alone: a confirmation belongs to no incident', async () => {
    const { path, subscriptions } = subscriptionsIn('incident.jsonl');

    await subscriptions.subscribe('reader@example.org');

    expect(readOutbox(path, 'INC-1')).toEqual([]);
  });
});
