import { Aws, CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALERT_ROUTE_TOOLS } from '#shared/deployment-names.ts';
import type { Settings } from '#shared/settings.ts';
import { deadLetterQueue } from './dead-letter-queue.ts';
import { type EventTable, TABLE_ACCESS } from './event-table.ts';
import { IncidentFunction } from './incident-function.ts';
import type { IncidentSecrets } from './incident-secrets.ts';

/** The path of each tool's alert route on the HTTP API. */
export const ALERT_PATHS = ALERT_ROUTE_TOOLS.map((tool) => `/webhooks/alerts/${tool}`);

export interface AlertIntakeProps {
  readonly events: EventTable;
  readonly settings: Settings;
  readonly secrets: IncidentSecrets;
  /** The HTTP API the alert routes are added to (the Jira webhook's). */
  readonly api: HttpApi;
  /** The API's URL, for the outputs. */
  readonly apiUrl: string;
  /** 1 (deliveries one at a time, so two for the same new alert never open two incidents); undefined where none can be reserved. */
  readonly reservedConcurrency: number | undefined;
}

/**
 * Detection: alerts open incidents. The alert-intake function behind the alert routes of the HTTP API
 * (each request authenticated against the webhook secret) and subscribed to an encrypted alarm-intake
 * topic that only CloudWatch alarms of this account may publish to; it reads the Jira secret to open
 * issues and keeps its rows in the event table.
 */
export class AlertIntake extends Construct {
  readonly intakeFunction: IncidentFunction;
  readonly topic: Topic;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: AlertIntakeProps) {
    super(scope, id);

    this.intakeFunction = new IncidentFunction(this, 'Function', {
      job: 'alert-intake',
      settings: props.settings,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrency: props.reservedConcurrency }),
    });
    const fn = this.intakeFunction.function;
    props.events.connect(fn, TABLE_ACCESS.alerts);
    props.secrets.grantWebhook(fn);
    props.secrets.grantJira(fn);

    const integration = new HttpLambdaIntegration('AlertIntake', fn);
    for (const path of ALERT_PATHS)
      for (const route of props.api.addRoutes({ path, methods: [HttpMethod.POST], integration }))
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Alertmanager, Grafana and webhook templates send a bearer token or basic auth, which the function compares in constant time with the webhook secret before reading the body.',
        });

    const key = new Key(this, 'TopicKey', {
      description: 'Incident Flow: encrypts the alarm-intake topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch publishes to an encrypted topic only if the key lets it encrypt.
    key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters', 'of the alarm-intake subscription');
    this.topic.addSubscription(new LambdaSubscription(fn, { deadLetterQueue: this.deadLetterQueue }));
    Validations.of(this.intakeFunction).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked synchronously by the HTTP API (the tool sees the error status and retries) and by the topic, whose subscription keeps what it could not deliver in its own dead-letter queue.',
    });

    new CfnOutput(this, 'AlarmTopicArn', {
      key: 'AlarmTopicArn',
      description: "The SNS topic a CloudWatch alarm's actions publish to, to open incidents",
      value: this.topic.topicArn,
    });
    new CfnOutput(this, 'AlertWebhookBaseUrl', {
      key: 'AlertWebhookBaseUrl',
      description: 'Alertmanager, Grafana and generic alerts post to <this>/alertmanager, /grafana, /generic',
      value: `${props.apiUrl}webhooks/alerts`,
    });
  }
}
