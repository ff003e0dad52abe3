import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { STATUS_PAGE_CSP } from '#shared/status-page-headers.ts';
import {
  StatusPageHosting,
  type StatusPageHostingProps,
} from '../../infra/constructs/status-page-hosting.ts';

function synth(props?: StatusPageHostingProps) {
  const stack = new Stack(new App(), 'StatusPage', { env: { account: '123456789012', region: 'eu-west-1' } });
  new StatusPageHosting(stack, 'StatusPage', props);
  return { stack, template: Template.fromStack(stack) };
}

describe('the status page hosting', () => {
  it('keeps the bucket private, readable by CloudFront only through origin access control', () => {
    const { template } = synth();

    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' }),
        ]),
      },
    });
  });

  it('serves HTTPS only, with the page’s CSP, HSTS, nosniff and no framing, cached at most a minute', () => {
    const { template } = synth();

    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'https-only' }),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: STATUS_PAGE_CSP, Override: true },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31_536_000, Override: true }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        },
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ DefaultTTL: 30, MaxTTL: 60 }),
    });
    expect(STATUS_PAGE_CSP).not.toContain('unsafe-inline');
  });

  it('answers a page the bucket does not hold (a withdrawn incident) with the status page, as a 404', () => {
    const { template } = synth();

    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 404, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 30 },
        ],
      }),
    });
  });

  it('answers on the team’s domain with its certificate when one is set', () => {
    const { template } = synth({
      customDomain: {
        domainName: 'status.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
      },
    });

    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['status.example.com'],
        ViewerCertificate: Match.objectLike({
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        }),
      }),
    });
  });

  it.each([
    ['without', undefined],
    [
      'with',
      {
        customDomain: {
          domainName: 'status.example.com',
          certificateArn:
            'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
        },
      },
    ],
  ])('passes cdk-nag AwsSolutions %s a custom domain, every exception explained', (_, props) => {
    const { stack } = synth(props);

    const findings = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
      );

    expect(findings).toEqual([]);
  });
});
