import { CfnOutput, Validations } from 'aws-cdk-lib';
import { type CfnStage, type HttpApi, HttpMethod, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ENV } from '#shared/deployment-names.ts';
import type { Settings } from '#shared/settings.ts';
import { IncidentFunction } from './incident-function.ts';

/** The HTTP API route the status page's form posts to, as on the local server. */
export const SUBSCRIBE_PATH = '/status/subscribe';

/**
 * The subscribe route's own throttle on the API stage: a person subscribes once, so a few requests a
 * second is ample, and it bounds how fast anyone can make SNS mail confirmation requests.
 */
export const SUBSCRIBE_THROTTLE = { rateLimit: 2, burstLimit: 5 } as const;

export interface StatusPageSubscriptionsProps {
  readonly api: HttpApi;
  /** The API's stage, where the route's throttle is set. */
  readonly stage: HttpStage;
  /** The API's URL, ending in a slash. */
  readonly apiUrl: string;
  readonly settings: Settings;
  /** The keep-satisfied topic: its email subscribers get the customer-safe updates. */
  readonly topic: ITopic;
  /** The status page's https address, where the answers link back. */
  readonly siteUrl: string;
}

/**
 * The status page's "get updates by email" on AWS: a throttled POST /status/subscribe route of the
 * HTTP API to the status-subscribe function, which may only subscribe addresses to the keep-satisfied
 * topic (SNS then asks each address to confirm).
 */
export class StatusPageSubscriptions extends Construct {
  readonly subscribeFunction: IncidentFunction;
  /** The route's absolute URL, which the page's form posts to. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: StatusPageSubscriptionsProps) {
    super(scope, id);

    this.subscribeFunction = new IncidentFunction(this, 'Subscribe', {
      job: 'status-subscribe',
      settings: props.settings,
    });
    const fn = this.subscribeFunction.function;
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sns:Subscribe'], resources: [props.topic.topicArn] }),
    );
    fn.addEnvironment(ENV.subscribeTopicArn, props.topic.topicArn);
    fn.addEnvironment(ENV.statusSiteUrl, props.siteUrl);
    Validations.of(this.subscribeFunction).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked only synchronously by the HTTP API: the reader sees the error page and can send the form again.',
    });

    props.api.addRoutes({
      path: SUBSCRIBE_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('StatusSubscribe', fn),
    });
    // A per-client count in the function would not hold across execution environments: the stage
    // throttles the route as a whole instead.
    const cfnStage = props.stage.node.defaultChild as CfnStage;
    // RouteSettings is plain JSON to CloudFormation: its keys are written as the service names them.
    cfnStage.routeSettings = {
      [`POST ${SUBSCRIBE_PATH}`]: {
        ThrottlingRateLimit: SUBSCRIBE_THROTTLE.rateLimit,
        ThrottlingBurstLimit: SUBSCRIBE_THROTTLE.burstLimit,
      },
    };

    this.url = `${props.apiUrl}${SUBSCRIBE_PATH.slice(1)}`;
    new CfnOutput(this, 'Url', {
      description: "The status page form's subscribe endpoint (throttled; SNS asks each address to confirm)",
      value: this.url,
    });
  }
}
