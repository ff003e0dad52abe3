/**
 * Memory and timeout of each function, from `node test/infra/measure-functions.ts` (local: node 24,
 * dynalite, the demo lifecycle; see docs/operations.md "Sizing"). Re-measure with real traffic in
 * CloudWatch Logs Insights (`max(@maxMemoryUsed)`, `pct(@duration, 99)`) before changing them.
 */
export const FUNCTION_SIZING = {
  'jira-webhook': { memorySizeMb: 256, timeoutSeconds: 10 },
  'incident-processor': { memorySizeMb: 256, timeoutSeconds: 30 },
  // Not measured on AWS yet: the webhook's size (one signed body, one PutItem).
  'deployment-webhook': { memorySizeMb: 256, timeoutSeconds: 10 },
  // Not measured yet: a few DynamoDB reads and writes and at most three Jira calls (find, create,
  // move); GitHub gives up on a delivery after 10 s, so more would not help.
  'ci-webhook': { memorySizeMb: 256, timeoutSeconds: 10 },
  // Not measured yet: a delivery is a few DynamoDB reads and, per new incident, 2 Jira requests (search, create).
  'alert-intake': { memorySizeMb: 256, timeoutSeconds: 29 },
  // Not measured on AWS yet: 16 index queries and summary reads in the bench take < 0.5 s locally.
  'weekly-report': { memorySizeMb: 512, timeoutSeconds: 60 },
  // Not measured yet: a recheck refolds one incident and notifies, as the processor does for an event.
  'incident-recheck': { memorySizeMb: 256, timeoutSeconds: 30 },
  // Not measured yet: a long postmortem is many Notion requests (a block append per 100 blocks, the
  // template's pages copied) paced at Notion's ~3 requests/s, then one Jira comment; 120 s leaves room.
  'postmortem-writer': { memorySizeMb: 512, timeoutSeconds: 120 },
  // Not measured on AWS yet: a quiet hour is one search page; the bench reads ~2 Jira requests per issue.
  // Fifteen minutes leaves a long repair room; the run stops starting pages 90 s before the timeout.
  reconciler: { memorySizeMb: 512, timeoutSeconds: 900 },
  // Not measured yet: a sync reads each followed postmortem's blocks (paced ~3 requests/s by Notion)
  // and makes a few Jira calls per new item; five minutes covers dozens of open postmortems.
  'postmortem-sync': { memorySizeMb: 512, timeoutSeconds: 300 },
  // Not measured yet: one query of open follow-ups and a Jira comment per reminder.
  'follow-up-reminder': { memorySizeMb: 256, timeoutSeconds: 120 },
  // Not measured on AWS yet: one query of the states, the events of the shown incidents, the pure
  // render, and a PUT per changed file (a cold start puts every file once, eight at a time).
  'status-page-writer': { memorySizeMb: 256, timeoutSeconds: 60 },
  // Not measured yet: one form, one SNS Subscribe; the HTTP API gives up after 30 s, a reader sooner.
  'status-subscribe': { memorySizeMb: 256, timeoutSeconds: 10 },
} as const satisfies Record<string, { memorySizeMb: number; timeoutSeconds: number }>;

/** A function of Incident Flow: its folder under functions/, and its key in FUNCTION_SIZING. */
export type FunctionJob = keyof typeof FUNCTION_SIZING;
