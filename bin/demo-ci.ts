import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';

const MINUTE_MS = 60_000;

/** A workflow_run webhook as GitHub sends it, with only what Incident Flow reads. */
function workflowRun(repository: string, run: { id: number; conclusion: string; sha: string; atMs: number }) {
  const runUrl = `https://github.com/${repository}/actions/runs/${run.id}`;
  return {
    action: 'completed',
    workflow_run: {
      id: run.id,
      name: 'CI',
      head_branch: 'main',
      head_sha: run.sha,
      run_attempt: 1,
      status: 'completed',
      conclusion: run.conclusion,
      html_url: runUrl,
      updated_at: new Date(run.atMs).toISOString(),
      head_commit: { message: 'Cache the price list', author: { name: 'Dana (demo)' } },
    },
    repository: { full_name: repository, name: repository.split('/')[1], default_branch: 'main' },
  };
}

/**
 * The CI part of the demo: a failed build on main opens a premortem, a second failure comments on
 * it, the green run closes the streak. False when the server refused a delivery.
 */
export async function runCiDemo(
  baseUrl: string,
  secret: string | undefined,
  write: (text: string) => void,
  nowMs: number,
): Promise<boolean> {
  const repository = `demo/shop-${Math.floor(nowMs / 1000)}`;
  const runs = [
    {
      label: 'CI failed on main (opens the premortem)',
      id: 1,
      conclusion: 'failure',
      sha: 'a1b2c3d4e5f6',
      atMs: nowMs - 40 * MINUTE_MS,
    },
    {
      label: 'CI failed again (a comment on it)',
      id: 2,
      conclusion: 'failure',
      sha: 'b2c3d4e5f6a1',
      atMs: nowMs - 25 * MINUTE_MS,
    },
    {
      label: 'CI green again (closes the streak)',
      id: 3,
      conclusion: 'success',
      sha: 'c3d4e5f6a1b2',
      atMs: nowMs,
    },
  ];
  write(`\nSending ${repository}'s builds to ${baseUrl}/webhooks/github${secret ? ' (signed)' : ''}\n`);
  for (const run of runs) {
    const body = JSON.stringify(workflowRun(repository, run));
    const response = await fetch(`${baseUrl}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'workflow_run',
        'x-github-delivery': randomUUID(),
        ...(secret ? { 'x-hub-signature-256': await sign(secret, body) } : {}),
      },
      body,
    });
    write(`  ${String(response.status).padEnd(4)} ${run.label.padEnd(44)} ${await response.text()}\n`);
    if (response.status === 404) {
      write('This server takes no CI webhooks (it was started without a local tickets file).\n');
      return true;
    }
    if (response.status >= 400) return false;
  }
  write('The premortem and its comments are in DATA_DIR/local-tickets.json (LOCAL-n tickets).\n');
  return true;
}
