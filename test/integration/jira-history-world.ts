import { afterEach } from 'vitest';
import { jiraWebhookSchema, readingOf } from '#shared/jira/jira-webhook.ts';
import type { EventStore } from '#shared/ports.ts';
import { ingestJiraWebhook } from '#shared/use-cases/ingest-jira-webhook.ts';
import { settingsWith } from '../builders.ts';
import {
  HISTORY_SPAN_DAYS,
  type SimulatedIssueHistory,
  type WebhookDelivery,
} from '../simulators/jira-history.ts';
import { type JiraSimulator, startJiraSimulator } from '../simulators/jira-simulator.ts';

/** What the reconciler and backfill tests share: generated histories, a Jira holding them, their webhooks. */
export const DAY = 86_400_000;
export const START = Date.parse('2026-10-01T00:00:00.000Z');
/** Just after the generated window: every issue settled, all within a 720-hour first-run lookback. */
export const NOW = START + (HISTORY_SPAN_DAYS + 1) * DAY;
export const settings = settingsWith();
export const reading = readingOf(settings);

const simulators: JiraSimulator[] = [];

/** Closes the simulators a test started; call once at the top of a test file. */
export function closeSimulatorsAfterEach(): void {
  afterEach(async () => {
    await closeSimulators();
  });
}

export async function closeSimulators(): Promise<void> {
  await Promise.all(simulators.splice(0).map((jira) => jira.close()));
}

/** A Jira simulator holding the histories, unlimited in rate, its clock at NOW. */
export async function jiraHolding(histories: readonly SimulatedIssueHistory[]): Promise<JiraSimulator> {
  const jira = await startJiraSimulator({ requestsPerSecond: 100_000, burst: 100_000, nowMs: () => NOW });
  simulators.push(jira);
  for (const history of histories) jira.seedIssue(history);
  return jira;
}

/** Delivers webhooks as the webhook function would store them. */
export async function deliver(store: EventStore, deliveries: readonly WebhookDelivery[]): Promise<void> {
  for (const delivery of deliveries)
    await ingestJiraWebhook(jiraWebhookSchema.parse(delivery.payload), {
      store,
      reading,
      incidents: settings.incidents,
    });
}
