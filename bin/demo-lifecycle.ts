import { signWebhookBody } from '#shared/lambda/webhook-signature.ts';

/** One delivery as Jira Cloud would POST it. */
export interface Delivery {
  readonly label: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

const MINUTE = 60_000;

const jiraTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

const STATUS_IDS: Record<string, string> = {
  Detected: '10100',
  Declared: '10101',
  Triaged: '10102',
  Investigating: '10103',
  Mitigating: '10104',
  Resolved: '10105',
  Postmortem: '10106',
  Done: '10107',
};

const people = {
  reporter: {
    accountId: '5b10ac8d82e05b22cc7d4ef5',
    displayName: 'Dana On-call',
    active: true,
    timeZone: 'UTC',
    accountType: 'atlassian',
  },
  commander: {
    accountId: '5b10a2844c20165700ede21g',
    displayName: 'Mia Commander',
    active: true,
    timeZone: 'UTC',
    accountType: 'atlassian',
  },
};

export interface DemoIncident {
  readonly issueId: string;
  readonly key: string;
  readonly openedAtMs: number;
  readonly site?: string;
}

/**
 * A realistic SEV1 lifecycle in Jira Cloud's webhook shapes: declared, escalated, mitigated,
 * resolved, reopened when the fix did not hold, resolved again, into the postmortem, with comments.
 */
export function demoLifecycle(incident: DemoIncident, secret?: string): Delivery[] {
  const { issueId, key, openedAtMs } = incident;
  const site = incident.site ?? 'https://your-team.atlassian.net';
  let status = 'Detected';
  let priority = 'High';
  let updatedMs = openedAtMs;
  let changelogId = Number(issueId) * 100;
  let commentId = Number(issueId) * 100;
  let delivery = 0;

  const issue = () => ({
    id: issueId,
    self: `${site}/rest/api/2/issue/${issueId}`,
    key,
    fields: {
      summary: 'Checkout payments failing for card customers',
      issuetype: { id: '10010', name: 'Incident', subtask: false },
      project: { id: '10000', key: key.split('-')[0], name: 'Incidents' },
      status: {
        id: STATUS_IDS[status],
        name: status,
        statusCategory: { key: status === 'Done' ? 'done' : 'indeterminate' },
      },
      priority: { id: priority === 'Highest' ? '1' : '2', name: priority },
      assignee: people.commander,
      reporter: people.reporter,
      components: [{ id: '10020', name: 'checkout-api' }],
      labels: ['incident', 'payments'],
      created: jiraTime(openedAtMs),
      updated: jiraTime(updatedMs),
      description: 'Card payments fail with HTTP 502 from checkout-api.',
    },
  });

  const deliver = (label: string, payload: Record<string, unknown>): Delivery => {
    delivery += 1;
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-atlassian-webhook-identifier': `${issueId}-${delivery}`,
      'user-agent': 'Atlassian Webhook HTTP Client',
    };
    if (secret) headers['x-hub-signature'] = signWebhookBody(body, secret);
    return { label, body, headers };
  };

  const move = (minutes: number, to: string): Delivery => {
    const atMs = openedAtMs + minutes * MINUTE;
    const from = status;
    status = to;
    updatedMs = atMs;
    changelogId += 1;
    return deliver(`${from} → ${to}`, {
      timestamp: atMs,
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_generic',
      user: people.commander,
      issue: issue(),
      changelog: {
        id: String(changelogId),
        items: [
          {
            field: 'status',
            fieldtype: 'jira',
            fieldId: 'status',
            from: STATUS_IDS[from],
            fromString: from,
            to: STATUS_IDS[to],
            toString: to,
          },
        ],
      },
    });
  };

  const escalate = (minutes: number, to: string): Delivery => {
    const atMs = openedAtMs + minutes * MINUTE;
    const from = priority;
    priority = to;
    updatedMs = atMs;
    changelogId += 1;
    return deliver(`priority ${from} → ${to}`, {
      timestamp: atMs,
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_updated',
      user: people.commander,
      issue: issue(),
      changelog: {
        id: String(changelogId),
        items: [
          {
            field: 'priority',
            fieldtype: 'jira',
            fieldId: 'priority',
            from: '2',
            fromString: from,
            to: '1',
            toString: to,
          },
        ],
      },
    });
  };

  const comment = (minutes: number, text: string): Delivery => {
    const atMs = openedAtMs + minutes * MINUTE;
    commentId += 1;
    return deliver(`comment "${text.slice(0, 30)}…"`, {
      timestamp: atMs,
      webhookEvent: 'comment_created',
      issue: {
        id: issueId,
        key,
        fields: {
          summary: issue().fields.summary,
          issuetype: issue().fields.issuetype,
          status: issue().fields.status,
          priority: issue().fields.priority,
        },
      },
      comment: {
        id: String(commentId),
        self: `${site}/rest/api/2/issue/${issueId}/comment/${commentId}`,
        author: people.commander,
        updateAuthor: people.commander,
        body: text,
        created: jiraTime(atMs),
        updated: jiraTime(atMs),
        jsdPublic: true,
      },
    });
  };

  const created = deliver('created in Detected', {
    timestamp: openedAtMs + 1,
    webhookEvent: 'jira:issue_created',
    issue_event_type_name: 'issue_created',
    user: people.reporter,
    issue: issue(),
    changelog: {
      id: String(changelogId),
      items: [
        {
          field: 'assignee',
          fieldtype: 'jira',
          fieldId: 'assignee',
          from: null,
          fromString: null,
          to: people.commander.accountId,
          toString: people.commander.displayName,
        },
      ],
    },
  });

  const deliveries = [
    created,
    move(4, 'Declared'),
    escalate(6, 'Highest'),
    move(9, 'Triaged'),
    comment(12, 'Error rate at 30% on checkout-api since the 14:02 deploy.'),
    move(15, 'Investigating'),
    move(41, 'Mitigating'),
    comment(43, 'Rolling back deploy 2026.11.24-3.'),
    move(58, 'Resolved'),
    move(75, 'Investigating'),
    comment(76, 'Errors are back after the cache warmed up; reopening.'),
    move(95, 'Mitigating'),
    move(112, 'Resolved'),
    move(150, 'Postmortem'),
  ];
  // Jira retries a delivery it thinks failed: the same payload again must change nothing.
  const retried = deliveries[8];
  if (retried) deliveries.push({ ...retried, label: `${retried.label} (redelivered)` });
  return deliveries;
}
