import type { Goal } from './verdicts.ts';

/** Every goal the bench judges (issue 15), in the order its verdicts print. */
export const GOALS = {
  webhookImport: {
    id: 'webhook-import',
    label: 'webhook cold import vs bare client-dynamodb (CPU)',
    comparison: 'at-most',
    target: 1.15,
    unit: '×',
  },
  processorImport: {
    id: 'processor-import',
    label: 'processor cold import vs bare client-dynamodb (CPU)',
    comparison: 'at-most',
    target: 1.4,
    unit: '×',
  },
  leanBundles: {
    id: 'lean-bundles',
    label: 'jira.js or the Notion client in the webhook or processor bundle',
    comparison: 'at-most',
    target: 0,
    unit: 'packages',
  },
  ingestDone: {
    id: 'ingest-done',
    label: 'ingest done/s under a burst vs bare conditional put',
    comparison: 'at-least',
    target: 0.75,
    unit: '×',
  },
  ingestP99: {
    id: 'ingest-p99',
    label: 'ingest answer p99 under a burst vs bare put p99',
    comparison: 'at-most',
    target: 2,
    unit: '×',
  },
  foldsPerWebhook: {
    id: 'folds-per-webhook',
    label: 'folds per webhook under the burst',
    comparison: 'at-most',
    target: 0.11,
    unit: 'folds',
  },
  notifyP99: {
    id: 'notify-p99',
    label: 'webhook → message in the outbox p99, one lifecycle at a time',
    comparison: 'at-most',
    target: 50,
    unit: 'ms',
  },
  reportItems: {
    id: 'report-items',
    label: 'weekly report items read, largest history vs smallest (same weeks)',
    comparison: 'at-most',
    target: 1,
    unit: '×',
  },
  reportWarm: {
    id: 'report-warm',
    label: 'weekly report at the largest history, warm',
    comparison: 'below',
    target: 2000,
    unit: 'ms',
  },
  reportCold: {
    id: 'report-cold',
    label: 'weekly report at the largest history, cold (first report)',
    comparison: 'below',
    target: 2000,
    unit: 'ms',
  },
  reconcileSteady: {
    id: 'reconcile-steady',
    label: 'reconciler Jira requests per issue, steady state',
    comparison: 'at-most',
    target: 0.05,
    unit: 'req/issue',
  },
  reconcileCold: {
    id: 'reconcile-cold',
    label: 'reconciler Jira requests per issue, cold (backfill)',
    comparison: 'at-most',
    target: 1.2,
    unit: 'req/issue',
  },
} as const satisfies Record<string, Goal>;
