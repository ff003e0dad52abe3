import { rmSync } from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, TABLE } from '#shared/deployment-names.ts';
import { SUBSCRIBE_PATH, SUBSCRIBE_THROTTLE } from '../../infra/constructs/status-page-subscriptions.ts';
import type { IncidentFlowStack } from '../../infra/incident-flow-stack.ts';
import { synthesizeStack } from './synthesize-stack.ts';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
let stack: IncidentFlowStack;
let template: Template;
const outdirs: string[] = [];

beforeAll(() => {
  const synthesized = synthesizeStack({
    bundle: false,
    context: {
      statusPage: {
        enabled: true,
        customDomain: { domainName: 'status.example.com', certificateArn: CERTIFICATE },
      },
    },
  });
  ({ stack, template } = synthesized);
  outdirs.push(synthesized.outdir);
}, 120_000);

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const writerRole = () => {
  const [id] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, fn]) =>
    JSON.stringify(fn).includes('"POWERTOOLS_SERVICE_NAME":"status-page-writer"'),
  ) ?? [undefined];
  const fn = template.toJSON().Resources[id ?? ''];
  return fn.Properties.Role['Fn::GetAtt'][0] as string;
};

const roleOf = (service: string) => {
  const [id] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, fn]) =>
    JSON.stringify(fn).includes(`"POWERTOOLS_SERVICE_NAME":"${service}"`),
  ) ?? [undefined];
  const fn = template.toJSON().Resources[id ?? ''];
  return fn.Properties.Role['Fn::GetAtt'][0] as string;
};

const policyStatementsOf = (roleId: string) =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]);

describe('the status page on AWS', () => {
  it('is left out unless statusPage.enabled is set', () => {
    const synthesized = synthesizeStack({ bundle: false });
    outdirs.push(synthesized.outdir);

    synthesized.template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    synthesized.template.resourceCountIs('AWS::Pipes::Pipe', 0);
    synthesized.template.resourcePropertiesCountIs(
      'AWS::ApiGatewayV2::Route',
      { RouteKey: `POST ${SUBSCRIBE_PATH}` },
      0,
    );
    synthesized.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: Match.absent(),
    });
    expect(synthesized.stack.statusPage).toBeUndefined();
  });

  it('names the key when a custom domain is set without the page, or its certificate is not an ACM ARN', () => {
    const attempt = (statusPage: unknown) => () =>
      synthesizeStack({ bundle: false, context: { statusPage } });

    expect(
      attempt({ customDomain: { domainName: 'status.example.com', certificateArn: CERTIFICATE } }),
    ).toThrow(/statusPage\.customDomain/);
    expect(
      attempt({
        enabled: true,
        customDomain: { domainName: 'status.example.com', certificateArn: 'arn:aws:iam::1:x' },
      }),
    ).toThrow(/statusPage\.customDomain\.certificateArn/);
  });

  it('pipes only saved incident states from the stream to a FIFO queue of one message group', () => {
    template.hasResourceProperties('AWS::Pipes::Pipe', {
      SourceParameters: Match.objectLike({
        FilterCriteria: {
          Filters: [
            {
              Pattern: JSON.stringify({
                eventName: ['INSERT', 'MODIFY'],
                dynamodb: { Keys: { [TABLE.sortKey]: { S: [TABLE.stateSortKey] } } },
              }),
            },
          ],
        },
        DynamoDBStreamParameters: Match.objectLike({
          StartingPosition: 'LATEST',
          DeadLetterConfig: Match.anyValue(),
        }),
      }),
      TargetParameters: {
        InputTemplate: '{"reason":"incident-changed"}',
        SqsQueueParameters: { MessageGroupId: 'status-site', MessageDeduplicationId: '$.eventID' },
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      ContentBasedDeduplication: true,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
  });

  it('rebuilds the history bars daily, in the team’s time zone, through the same queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(5 0 * * ? *)',
      Target: Match.objectLike({
        Input: '{"reason":"daily"}',
        SqsParameters: { MessageGroupId: 'status-site' },
      }),
    });
  });

  it('lets the writer only query the table, put the site’s files and delete incident pages', () => {
    const actions = policyStatementsOf(writerRole())
      .flatMap((statement) => [statement.Action].flat())
      .filter((action) => !action.startsWith('logs:') && !action.startsWith('sqs:'));

    expect([...new Set(actions)].sort()).toEqual(['dynamodb:Query', 's3:DeleteObject', 's3:PutObject']);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:DeleteObject',
            Resource: { 'Fn::Join': ['', [Match.anyValue(), '/incidents/*']] },
          }),
        ]),
      },
    });
  });

  it('tells the writer its bucket and the page’s address, and shows the address as a stack output', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'status-page-writer',
          [ENV.statusSiteBucket]: Match.anyValue(),
          [ENV.statusSiteUrl]: 'https://status.example.com',
        }),
      },
    });
    const outputs = Object.values(template.toJSON().Outputs ?? {}) as { Value: unknown }[];
    expect(outputs.map((output) => output.Value)).toContain('https://status.example.com');
  });

  it('routes POST /status/subscribe on the HTTP API to the subscribe function, throttled on the stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `POST ${SUBSCRIBE_PATH}` });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: {
        [`POST ${SUBSCRIBE_PATH}`]: {
          ThrottlingRateLimit: SUBSCRIBE_THROTTLE.rateLimit,
          ThrottlingBurstLimit: SUBSCRIBE_THROTTLE.burstLimit,
        },
      },
    });
    expect(SUBSCRIBE_THROTTLE.rateLimit).toBeLessThanOrEqual(5);
  });

  it('lets the subscribe function only sns:Subscribe, on the keep-satisfied topic alone', () => {
    const topicId = stack.getLogicalId(
      stack.notifications.topics['keep-satisfied'].node.defaultChild as CfnElement,
    );

    const statements = policyStatementsOf(roleOf('status-subscribe')).filter(
      (statement) => ![statement.Action].flat().every((action) => action.startsWith('logs:')),
    );

    expect(statements).toEqual([{ Action: 'sns:Subscribe', Effect: 'Allow', Resource: { Ref: topicId } }]);
  });

  it('tells the subscribe function its topic and the page’s address, and alarms on its errors', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'status-subscribe',
          [ENV.subscribeTopicArn]: Match.anyValue(),
          [ENV.statusSiteUrl]: 'https://status.example.com',
        }),
      },
    });
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.some((id) => id.includes('StatusSubscribeErrors'))).toBe(true);
  });

  it('has the writer render the form with the endpoint’s absolute URL', () => {
    const apiId = stack.getLogicalId(stack.ingest.api.node.defaultChild as CfnElement);

    const writer = Object.values(template.findResources('AWS::Lambda::Function')).find((fn) =>
      JSON.stringify(fn).includes('"POWERTOOLS_SERVICE_NAME":"status-page-writer"'),
    );
    const url = JSON.stringify(writer?.Properties.Environment.Variables[ENV.statusSubscribeUrl]);

    expect(url).toMatch(/^\{"Fn::Join":\["",\["https:\/\/",/);
    expect(url).toContain(`{"Ref":"${apiId}"}`);
    expect(url).toMatch(/\/status\/subscribe"\]\]\}$/);
  });

  it('lets the page’s CSP post forms to the API’s origin only', () => {
    const apiId = stack.getLogicalId(stack.ingest.api.node.defaultChild as CfnElement);

    const policy = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0];
    const csp = JSON.stringify(
      policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy,
    );

    expect(csp).toContain(`form-action ",{"Fn::GetAtt":["${apiId}","ApiEndpoint"]},"; frame-ancestors`);
  });

  it.each([
    ['AwsSolutions', new AwsSolutionsChecks()],
    ['Serverless', new ServerlessChecks()],
  ])('passes cdk-nag %s with every exception acknowledged and explained', (_name, pack: NagPack) => {
    const findings = pack
      .validateScope(stack)
      .violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
      );

    expect(findings).toEqual([]);
  });
});
