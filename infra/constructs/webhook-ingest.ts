import { CfnOutput, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '#shared/deployment-names.ts';
import type { Settings } from '#shared/settings.ts';
import type { EventTable } from './event-table.ts';
import { IncidentFunction } from './incident-function.ts';

export const WEBHOOK_PATH = '/webhooks/jira';

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
}

/** Jira's webhook in: a throttled HTTP API route to the jira-webhook function, and the secret that signs it. */
export class WebhookIngest extends Construct {
  readonly api: HttpApi;
  readonly webhookFunction: IncidentFunction;
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: WebhookIngestProps) {
    super(scope, id);

    // A known name, so the team can read it; per stack, so two stacks in an account do not collide.
    const secretName = `${Stack.of(this).stackName}/jira-webhook-secret`;
    // The function expects {"current": "...", "previous"?: "..."}; "previous" is added by hand while rotating.
    this.secret = new Secret(this, 'WebhookSecret', {
      secretName,
      description: 'Incident Flow: the secret Jira signs its webhooks with (paste "current" into Jira).',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'current',
        excludePunctuation: true,
        passwordLength: 48,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation needs the new value pasted into Jira, which no rotation Lambda can do; it is rotated by hand, with "previous" accepted meanwhile.',
    });

    this.webhookFunction = new IncidentFunction(this, 'JiraWebhook', {
      job: 'jira-webhook',
      settings: props.settings,
    });
    const fn = this.webhookFunction.function;
    props.events.connect(fn);
    Validations.of(this.webhookFunction).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked only synchronously by the HTTP API: Jira sees the error status; the reconciler recovers what it missed.',
    });
    this.secret.grantRead(fn);
    fn.addEnvironment(ENV.webhookSecretArn, this.secret.secretArn);

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
    this.api.addRoutes({
      path: WEBHOOK_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('JiraWebhook', fn),
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Jira cannot send credentials an authorizer accepts; the function verifies the HMAC signature of every request.',
    });

    new CfnOutput(this, 'WebhookUrl', {
      key: 'WebhookUrl',
      description: 'The URL to register as the Jira webhook',
      value: `${stage.url}${WEBHOOK_PATH.slice(1)}`,
    });
    new CfnOutput(this, 'WebhookSecretName', {
      key: 'WebhookSecretName',
      description: 'The secret holding the webhook secret to paste into Jira (read its "current" key)',
      value: secretName,
    });
  }
}
