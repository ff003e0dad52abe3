import middy from '@middy/core';
import type { APIGatewayProxyEventV2, SNSEvent } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { AlertSettings } from '#shared/alert-settings.ts';
import { alertPolicyOf } from '#shared/alert-settings.ts';
import { alertmanagerBodySchema, alertmanagerDelivery } from '#shared/alerts/alertmanager.ts';
import { cloudwatchDeliveries } from '#shared/alerts/cloudwatch.ts';
import { genericAlertSchema, genericDelivery } from '#shared/alerts/generic-alert.ts';
import { ALERT_ROUTE_TOOLS } from '#shared/deployment-names.ts';
import type { AlertDelivery } from '#shared/domain/alert.ts';
import type { Severity, StatusMapping } from '#shared/domain/lifecycle.ts';
import { BadRequestError, NotFoundError, UnauthorizedError } from '#shared/errors.ts';
import { isAuthorizedAlert } from '#shared/lambda/alert-auth.ts';
import {
  formatPath,
  type HttpResult,
  httpErrors,
  json,
  parseJsonBody,
  rawBody,
} from '#shared/lambda/http.ts';
import type { WebhookSecrets } from '#shared/lambda/webhook-signature.ts';
import type { AlertStore, IncidentOpener, IncidentStates, Log } from '#shared/ports.ts';
import {
  type IngestAlertsDeps,
  type IngestAlertsResult,
  ingestAlerts,
} from '#shared/use-cases/ingest-alerts.ts';

/** The settings the alert intake reads. */
export interface AlertIntakeSettings {
  readonly alerts: AlertSettings;
  readonly severity: { readonly priorities: Readonly<Record<string, Severity>> };
  readonly board: { readonly statuses: readonly StatusMapping[] };
  readonly timeZone: string;
}

export interface AlertIntakeDeps {
  readonly alerts: AlertStore;
  readonly opener: IncidentOpener;
  readonly incidents: Pick<IncidentStates, 'getStateByKey'>;
  readonly settings: AlertIntakeSettings;
  /** The secrets to authenticate with; null turns authentication off (local mode without WEBHOOK_SECRET). */
  readonly secrets: () => Promise<WebhookSecrets | null>;
  readonly log: Log;
  readonly nowMs: () => number;
  readonly newDeliveryId: () => string;
}

/** The tools with a route of their own: POST /webhooks/alerts/<tool>. */
export const ALERT_TOOLS = ALERT_ROUTE_TOOLS;
export type AlertRouteTool = (typeof ALERT_TOOLS)[number];

function parsed<Schema extends z.ZodMiniType>(schema: Schema, body: unknown, what: string): z.infer<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new BadRequestError(
    `the body is not ${what}`,
    result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
  );
}

/** A body as the deliveries it holds, by the tool its route names; 400 naming the field otherwise. */
export function deliveriesOf(tool: AlertRouteTool, body: unknown): AlertDelivery[] {
  switch (tool) {
    case 'alertmanager':
    case 'grafana': {
      const what =
        tool === 'grafana' ? "a Grafana webhook contact point's body" : 'an Alertmanager webhook (version 4)';
      return [alertmanagerDelivery(parsed(alertmanagerBodySchema, body, what), tool)];
    }
    case 'cloudwatch':
      return cloudwatchDeliveries(body);
    case 'generic':
      return [genericDelivery(parsed(genericAlertSchema, body, 'a generic alert (docs/alerts.md)'))];
    default:
      return tool satisfies never;
  }
}

const toolOfPath = (path: string | undefined): AlertRouteTool | undefined => {
  const last = path?.replace(/\/+$/, '').split('/').at(-1);
  return ALERT_TOOLS.find((tool) => tool === last);
};

/** The status a new incident is moved to right after it is created: the board's detection status. */
export function detectedStatusOf(statuses: readonly StatusMapping[]): string {
  return (statuses.find((status) => status.stage === 'detection') ?? statuses[0])?.name ?? 'Detected';
}

/** The status a flapping incident is reopened to: the board's first diagnosis status, else its first. */
export function reopenStatusOf(statuses: readonly StatusMapping[]): string {
  return (statuses.find((status) => status.stage === 'diagnosis') ?? statuses[0])?.name ?? 'Investigating';
}

/**
 * POST /webhooks/alerts/{alertmanager,grafana,cloudwatch,generic}: authenticate (401, nothing
 * stored), parse the tool's shape (400 naming the field), apply the delivery, and answer 200 with
 * what became of each alert.
 */
export function makeAlertIntakeHandler(deps: AlertIntakeDeps) {
  const ingestDeps = ingestDepsOf(deps);
  const serially = oneAtATime();
  return middy<APIGatewayProxyEventV2, HttpResult>(
    async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
      const tool = toolOfPath(event.rawPath);
      if (tool === undefined)
        throw new NotFoundError(
          `no alert route ${event.rawPath}; try /webhooks/alerts/${ALERT_TOOLS.join('|')}`,
        );
      const body = rawBody(event);
      const secrets = await deps.secrets();
      if (secrets !== null && !isAuthorizedAlert(event, body, secrets))
        throw new UnauthorizedError(
          'missing or invalid credentials: send the webhook secret as a bearer token or basic auth password',
        );
      const deliveries = deliveriesOf(tool, parseJsonBody(body));
      const result = await serially(() => ingestAlerts(deliveries, deps.newDeliveryId(), ingestDeps));
      logResult(deps.log, tool, result);
      return json(200, { delivery: result.deliveryId, tool, alerts: result.alerts });
    },
  ).use(httpErrors(deps.log));
}

/**
 * Runs deliveries one after another: two requests for the same new alert arriving together would
 * otherwise both find no incident and open two. Within a process this is enough (local mode, a warm
 * Lambda); on AWS the function's reserved concurrency of 1 makes it so across invocations.
 */
function oneAtATime() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

function logResult(log: Log, tool: string, result: IngestAlertsResult): void {
  log.info('alerts received', {
    tool,
    delivery: result.deliveryId,
    alerts: result.alerts.length,
    incidents: [
      ...new Set(
        result.alerts.flatMap((alert) =>
          alert.outcome.kind === 'incident' ? [alert.outcome.incidentKey] : [],
        ),
      ),
    ],
  });
}

/**
 * The alarm-intake topic's subscription: each SNS record is a CloudWatch alarm (IAM, not a secret,
 * lets only the team's alarms publish). A record that is not an alarm is logged and dropped (retrying
 * cannot fix it); a failure to apply one throws, so Lambda's async retries and the failure
 * destination keep it.
 */
export function makeAlertTopicHandler(deps: Omit<AlertIntakeDeps, 'secrets'>) {
  const ingestDeps = ingestDepsOf(deps);
  return async (event: SNSEvent): Promise<void> => {
    for (const record of event.Records) {
      let deliveries: AlertDelivery[];
      try {
        deliveries = cloudwatchDeliveries({ Records: [record] });
      } catch (error) {
        if (!(error instanceof BadRequestError)) throw error;
        deps.log.warn('an SNS message on the alarm topic is not a CloudWatch alarm', {
          messageId: record.Sns.MessageId,
          error: error.message,
        });
        continue;
      }
      const result = await ingestAlerts(deliveries, record.Sns.MessageId, ingestDeps);
      logResult(deps.log, 'cloudwatch', result);
    }
  };
}

function ingestDepsOf(deps: Omit<AlertIntakeDeps, 'secrets'>): IngestAlertsDeps {
  return {
    alerts: deps.alerts,
    opener: deps.opener,
    incidents: deps.incidents,
    policy: alertPolicyOf(deps.settings.alerts),
    priorities: deps.settings.severity.priorities,
    timeZone: deps.settings.timeZone,
    reopenStatus: reopenStatusOf(deps.settings.board.statuses),
    detectedStatus: detectedStatusOf(deps.settings.board.statuses),
    nowMs: deps.nowMs,
  };
}
