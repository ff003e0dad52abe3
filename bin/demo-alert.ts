/** An Alertmanager webhook (version 4) of one firing alert, as Alertmanager would POST it. */
export function demoAlertmanagerBody(nowMs: number) {
  const startsAt = new Date(nowMs - 4 * 60_000).toISOString();
  const fingerprint = `demo${Math.floor(nowMs / 1000).toString(16)}`;
  const labels = {
    alertname: 'CheckoutErrorRateHigh',
    service: 'checkout',
    severity: 'critical',
    instance: 'checkout-api-7f9c:8080',
  };
  return {
    version: '4',
    status: 'firing',
    receiver: 'incident-flow',
    groupKey: `{}/{service="checkout"}:{alertname="CheckoutErrorRateHigh"}#${fingerprint}`,
    truncatedAlerts: 0,
    groupLabels: { alertname: labels.alertname },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.com:9093',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations: {
          summary: 'Checkout 5xx error rate above 5% for 3 minutes',
          description: 'checkout-api answers 5xx to 7.2% of requests.',
          runbook_url: 'https://runbooks.example.com/checkout/error-rate',
        },
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example.com:9090/graph?g0.expr=checkout_5xx_ratio+%3E+0.05',
        fingerprint,
      },
    ],
  };
}

interface AlertAnswer {
  alerts?: { name: string; outcome: { kind: string; incidentKey?: string } }[];
  error?: string;
}

/**
 * Sends the demo's alert to the running server: an incident opened by an alert, in the local Jira
 * stand-in. Returns the key it opened, or null (no catch-all project: the alert is stored as unrouted).
 */
export async function sendDemoAlert(
  baseUrl: string,
  secret: string | undefined,
  write: (text: string) => void,
): Promise<{ ok: boolean; key: string | null }> {
  const url = `${baseUrl}/webhooks/alerts/alertmanager`;
  write(`\nSending a firing Alertmanager alert to ${url}\n`);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret ? { authorization: `Bearer ${secret}` } : {}),
    },
    body: JSON.stringify(demoAlertmanagerBody(Date.now())),
  });
  const answer = (await response.json()) as AlertAnswer;
  const outcome = answer.alerts?.[0]?.outcome;
  write(`  ${response.status}  ${JSON.stringify(outcome ?? answer)}\n`);
  if (!response.ok) return { ok: false, key: null };
  if (outcome?.incidentKey === undefined) {
    write(
      '  No route took it (stored as unrouted): set alerts.catchAll.project (cdk.json or INCIDENT_FLOW_CONFIG) to open incidents.\n',
    );
    return { ok: true, key: null };
  }
  const key = outcome.incidentKey;
  write(
    [
      `  The alert opened ${key} in Detected, as Jira would hold it; walk it through the board:`,
      `    npx incident-flow move ${key} Declared`,
      `    npx incident-flow comment ${key} "Rolling back the 14:02 deploy"`,
      `    npx incident-flow move ${key} Resolved`,
      `    curl ${baseUrl}/incidents/${key}`,
      '',
    ].join('\n'),
  );
  return { ok: true, key };
}
