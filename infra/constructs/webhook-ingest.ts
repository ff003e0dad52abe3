import { CfnOutput, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Settings } from '#shared/settings.ts';
import { type EventTable, TABLE_ACCESS } from './event-table.ts';
import { IncidentFunction } from './incident-function.ts';
import type { IncidentSecrets } from './incident-secrets.ts';

export const WEBHOOK_PATH = '/webhooks/jira';
export const AUTOMATION_PATH = '/webhooks/jira/automation';
export const DEPLOYMENT_PATH = '/webhooks/deployment';

/** HTTP API variables only: the REST API's standard fields ($context.identity.user ...) do not exist here. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    integrationError: '$context.integrationErrorMessage',
  }),
);

export interface WebhookIngestProps {
  readonly events: EventTable;
  readonly settings: Settings;
  readonly secrets: IncidentSecrets;
  /** At most this many concurrent webhook functions; null for no cap (accounts that cannot reserve any). */
  readonly reservedConcurrency: number | null;
}

/** Jira's webhook in: a throttled HTTP API route to the capped jira-webhook function, which checks signatures. */
export class WebhookIngest extends Construct {
  readonly api: HttpApi;
  /** The API's one stage, where its throttles are set. */
  readonly stage: HttpStage;
  /** The API's default stage URL, ending in a slash. */
  readonly apiUrl: string;
  readonly webhookFunction: IncidentFunction;
  readonly deploymentFunction: IncidentFunction;
  /** The API's URL, with a trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebhookIngestProps) {
    super(scope, id);

    this.webhookFunction = new IncidentFunction(this, 'JiraWebhook', {
      job: 'jira-webhook',
      settings: props.settings,
      // Jira sends a few deliveries a minute; a flood beyond this is throttled (Jira retries 429 and 5xx)
      // instead of scaling DynamoDB writes and the processor after it.
      reservedConcurrency: props.reservedConcurrency ?? undefined,
    });
    const fn = this.webhookFunction.function;
    props.events.connect(fn, TABLE_ACCESS.ingest);
    Validations.of(this.webhookFunction).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked only synchronously by the HTTP API: Jira sees the error status; the reconciler recovers what it missed.',
    });
    props.secrets.grantWebhook(fn);

    this.api = new HttpApi(this, 'Api', {
      description: 'Incident Flow: Jira webhooks',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // Jira sends a few events a minute; this bounds the cost of anyone flooding the public URL.
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
    });
    this.stage = stage;
    this.apiUrl = stage.url;
    const jiraIntegration = new HttpLambdaIntegration('JiraWebhook', fn);
    this.api.addRoutes({ path: WEBHOOK_PATH, methods: [HttpMethod.POST], integration: jiraIntegration });
    // Teams that cannot register admin webhooks send Jira Automation's "Send web request" here instead.
    this.api.addRoutes({
      path: AUTOMATION_PATH,
      methods: [HttpMethod.POST],
      integration: jiraIntegration,
    });

    // A CI/CD pipeline reports deployments (for the change failure rate), signed with the same secret.
    this.deploymentFunction = new IncidentFunction(this, 'DeploymentWebhook', {
      job: 'deployment-webhook',
      settings: props.settings,
    });
    const deployments = this.deploymentFunction.function;
    props.events.connect(deployments, TABLE_ACCESS.deployments);
    props.secrets.grantWebhook(deployments);
    Validations.of(this.deploymentFunction).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked only synchronously by the HTTP API: the pipeline sees the error status and retries.',
    });
    this.api.addRoutes({
      path: DEPLOYMENT_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('DeploymentWebhook', deployments),
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Jira cannot send credentials an authorizer accepts; the function verifies the HMAC signature (or, for Jira Automation, the shared-secret header) of every request.',
    });

    this.url = stage.url;
    new CfnOutput(this, 'WebhookUrl', {
      key: 'WebhookUrl',
      description: 'The URL to register as the Jira webhook',
      value: `${stage.url}${WEBHOOK_PATH.slice(1)}`,
    });
    new CfnOutput(this, 'AutomationWebhookUrl', {
      key: 'AutomationWebhookUrl',
      description: 'The URL a Jira Automation "Send web request" posts to (shared secret in a header)',
      value: `${stage.url}${AUTOMATION_PATH.slice(1)}`,
    });
    new CfnOutput(this, 'DeploymentWebhookUrl', {
      key: 'DeploymentWebhookUrl',
      description: 'The URL a CI/CD pipeline posts deployments to',
      value: `${stage.url}${DEPLOYMENT_PATH.slice(1)}`,
    });
  }
}
