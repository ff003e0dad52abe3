import { resolve } from 'node:path';
import { createLocalJiraIssues, UnknownLocalIssueError } from '#shared/adapters/local-jira-issues.ts';
import { type LocalIssue, PERSON_ACTOR } from '#shared/jira/local-issue-webhooks.ts';
import { signWebhookBody } from '#shared/lambda/webhook-signature.ts';
import type { Settings } from '#shared/settings.ts';

/** The file the local Jira stand-in keeps its issues in. */
export const LOCAL_JIRA_FILE = 'jira-issues.json';

export interface LocalJiraCommandContext {
  readonly settings: Settings;
  readonly dataDir: string;
  /** The running server's address (from DATA_DIR's lock, else PORT). */
  readonly baseUrl: string;
  readonly secret: string | undefined;
  readonly out: (text: string) => void;
}

/**
 * `incident-flow move KEY "Status"` and `incident-flow comment KEY "text"`: a person's move on an
 * issue of the local Jira stand-in, changed in DATA_DIR/jira-issues.json and sent to the running
 * server as the signed webhook Jira would send.
 */
export async function localJiraCommand(
  command: 'move' | 'comment',
  args: readonly string[],
  context: LocalJiraCommandContext,
): Promise<void> {
  const [key, value] = args;
  if (key === undefined || value === undefined || args.length !== 2)
    throw new Error(
      command === 'move'
        ? 'usage: incident-flow move KEY "Status"   (for example: move OPS-1 Declared)'
        : 'usage: incident-flow comment KEY "text"',
    );
  try {
    await fetch(`${context.baseUrl}/health`, { signal: AbortSignal.timeout(5_000) });
  } catch {
    throw new Error(
      `no incident-flow server answers at ${context.baseUrl}; start one with \`npm start\` first`,
    );
  }
  const jira = createLocalJiraIssues({
    path: resolve(context.dataDir, LOCAL_JIRA_FILE),
    issueType: context.settings.incidents.issueTypes[0] ?? 'Incident',
    statuses: context.settings.board.statuses.map((status) => status.name),
    startField: context.settings.incidents.startField,
    nowMs: Date.now,
    async emit(payload) {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (context.secret) headers['x-hub-signature'] = signWebhookBody(body, context.secret);
      const response = await fetch(`${context.baseUrl}/webhooks/jira`, { method: 'POST', headers, body });
      if (response.status >= 400)
        throw new Error(
          `the server answered ${response.status} to the webhook: ${await response.text()}` +
            (response.status === 401 ? ' (run with the same WEBHOOK_SECRET as the server)' : ''),
        );
    },
  });
  const act = () =>
    command === 'move' ? jira.move(key, value, PERSON_ACTOR) : jira.addComment(key, value, PERSON_ACTOR);
  const issue = await act().catch(async (error: unknown) => {
    if (!(error instanceof UnknownLocalIssueError)) throw error;
    const known = await knownIncident(context.baseUrl, key, context.settings);
    if (known === null) throw error;
    jira.adopt(known);
    return act();
  });
  context.out(
    command === 'move'
      ? `${issue.key} is now ${issue.status}; see ${context.baseUrl}/incidents/${issue.key}\n`
      : `commented on ${issue.key}; see ${context.baseUrl}/incidents/${issue.key}\n`,
  );
}

/**
 * An incident the server knows but the stand-in did not open (the demo's, sent as Jira webhooks), as
 * a local issue: its changes then go out as the same webhooks. Change ids start from the current time
 * so that they never meet the ids of the webhooks it came from.
 */
async function knownIncident(baseUrl: string, key: string, settings: Settings): Promise<LocalIssue | null> {
  const response = await fetch(`${baseUrl}/incidents/${encodeURIComponent(key)}`);
  if (!response.ok) return null;
  const view = (await response.json()) as {
    issueId: string;
    summary: string;
    status: string | null;
    priority: string | null;
    components: string[];
    openedAt: string;
  };
  const nowMs = Date.now();
  return {
    id: view.issueId,
    key,
    summary: view.summary,
    issueType: settings.incidents.issueTypes[0] ?? 'Incident',
    status: view.status ?? settings.board.statuses[0]?.name ?? 'Detected',
    priority: view.priority,
    components: view.components,
    labels: [],
    description: '',
    createdMs: Date.parse(view.openedAt),
    updatedMs: nowMs,
    startedAtMs: null,
    lastSeq: nowMs,
    comments: [],
  };
}
