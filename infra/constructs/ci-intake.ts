import { CfnOutput, Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import type { Settings } from '#shared/settings.ts';
import { type EventTable, TABLE_ACCESS } from './event-table.ts';
import { IncidentFunction } from './incident-function.ts';
import type { IncidentSecrets } from './incident-secrets.ts';

export const GITHUB_PATH = '/webhooks/github';
export const GITLAB_PATH = '/webhooks/gitlab';

export interface CiIntakeProps {
  /** The webhook API the routes are added to. */
  readonly api: HttpApi;
  /** The API's URL, for the outputs. */
  readonly apiUrl: string;
  readonly events: EventTable;
  readonly settings: Settings;
  readonly secrets: IncidentSecrets;
}

/**
 * GitHub and GitLab webhooks in: one function behind two routes that verifies the webhook secret,
 * keeps streaks, deployments and fix links in the event table, and opens premortems and incidents in Jira.
 */
export class CiIntake extends Construct {
  readonly ciFunction: IncidentFunction;

  constructor(scope: Construct, id: string, props: CiIntakeProps) {
    super(scope, id);

    this.ciFunction = new IncidentFunction(this, 'CiWebhook', {
      job: 'ci-webhook',
      settings: props.settings,
    });
    const fn = this.ciFunction.function;
    props.events.connect(fn, TABLE_ACCESS.ci);
    props.secrets.grantWebhook(fn);
    props.secrets.grantJira(fn);
    Validations.of(this.ciFunction).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked only synchronously by the HTTP API: GitHub and GitLab show the error status and the delivery can be redelivered.',
    });
    const integration = new HttpLambdaIntegration('CiWebhook', fn);
    for (const path of [GITHUB_PATH, GITLAB_PATH])
      props.api.addRoutes({ path, methods: [HttpMethod.POST], integration });

    new CfnOutput(this, 'GitHubWebhookUrl', {
      key: 'GitHubWebhookUrl',
      description: 'The Payload URL of the GitHub webhook (content type application/json)',
      value: `${props.apiUrl}${GITHUB_PATH.slice(1)}`,
    });
    new CfnOutput(this, 'GitLabWebhookUrl', {
      key: 'GitLabWebhookUrl',
      description: 'The URL of the GitLab webhook (secret token: the webhook secret)',
      value: `${props.apiUrl}${GITLAB_PATH.slice(1)}`,
    });
  }
}
